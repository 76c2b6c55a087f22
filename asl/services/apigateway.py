"""A local Amazon API Gateway: stages backed by a Python handler, a local Lambda, or a real URL, with
the account/stage throttling users must design Retry for.

Throttling is a token bucket per API stage, as on AWS: ``burst`` requests may arrive at once, tokens
refill at ``rate`` per second (on the injected clock), and a request finding the bucket empty is
answered ``429 {"message":"Too Many Requests"}``. A Python handler (or Lambda) gets the REST proxy
integration event and returns ``{"statusCode", "headers", "body"}`` (any other value is sent as a JSON
200); a handler that raises is answered ``502 {"message": "Internal server error"}``.
"""
from __future__ import annotations

import json
import random
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .errors import ServiceError
from .ids import seeded_uuid
from .scheduler import Scheduler

STATUS_TEXT = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad Request",
               401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict", 429: "Too Many Requests",
               500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
               504: "Gateway Timeout"}


@dataclass
class Response:
    status: int
    headers: dict
    body: str


@dataclass
class Stage:
    rate: float = 10000.0
    burst: float = 5000.0
    tokens: float = -1.0
    updated: float | None = None
    throttled: int = 0
    served: int = 0


@dataclass
class Api:
    api_id: str
    handler: Callable[[Any, Any], Any] | None = None
    function: str | None = None          # a function of the LambdaService
    url: str | None = None               # forward to a real endpoint
    stages: dict = field(default_factory=dict)
    rate: float = 10000.0
    burst: float = 5000.0


class ApiGatewayService:
    """APIs by id (the first label of ``<id>.execute-api.<region>.amazonaws.com``) or by any host name."""

    def __init__(self, *, region: str = "us-east-1", account: str = "111111111111", seed: int = 0,
                 scheduler: Scheduler | None = None, lambda_: Any = None):
        self.region = region
        self.account = account
        self.scheduler = scheduler or Scheduler()
        self.lambda_ = lambda_
        self.apis: dict[str, Api] = {}
        self._lock = threading.Lock()
        self._rng = random.Random(seed)          # request ids: the same seed, the same proxy events

    def add_api(self, api_id: str, *, handler: Callable[[Any, Any], Any] | None = None, function: str | None = None,
                url: str | None = None, rate: float = 10000.0, burst: float = 5000.0) -> Api:
        if sum(x is not None for x in (handler, function, url)) != 1:
            raise ValueError(f"API {api_id!r} needs exactly one of handler, function or url")
        api = Api(api_id, handler, function, url, rate=float(rate), burst=float(burst))
        self.apis[api_id] = api
        return api

    def endpoint(self, api_id: str) -> str:
        return f"{api_id}.execute-api.{self.region}.amazonaws.com"

    def find(self, endpoint: str) -> Api:
        host = urllib.parse.urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}").hostname or endpoint
        api = self.apis.get(host) or self.apis.get(host.split(".", 1)[0])
        if api is None:
            raise ServiceError("apigateway", "NotFoundException", f"No API found for endpoint {endpoint}", 404)
        return api

    def _admit(self, api: Api, stage_name: str) -> bool:
        now = self.scheduler.now()
        with self._lock:
            stage = api.stages.setdefault(stage_name, Stage(api.rate, api.burst))
            if stage.tokens < 0:
                stage.tokens, stage.updated = stage.burst, now
            stage.tokens = min(stage.burst, stage.tokens + (now - (stage.updated or now)) * stage.rate)
            stage.updated = now
            if stage.tokens < 1.0:
                stage.throttled += 1
                return False
            stage.tokens -= 1.0
            stage.served += 1
            return True

    def invoke(self, endpoint: str, method: str, *, stage: str | None = None, path: str = "",
               headers: Mapping[str, Any] | None = None, query: Mapping[str, Any] | None = None,
               body: Any = None) -> Response:
        api = self.find(endpoint)
        stage_name = stage or "$default"
        if not self._admit(api, stage_name):
            return Response(429, {"Content-Type": ["application/json"]}, json.dumps({"message": "Too Many Requests"}))
        text = body if isinstance(body, str) or body is None else json.dumps(body)
        if api.url is not None:
            return self._forward(api.url, method, stage, path, headers, query, text)
        event = self.proxy_event(api, method, stage_name, path, headers or {}, query or {}, text)
        try:
            if api.function is not None:
                result = self.lambda_.invoke(api.function, json.dumps(event).encode(), clock=self.scheduler.clock)
                if result.function_error:
                    raise RuntimeError(result.payload)
                output = json.loads(result.payload or b"null")
            else:
                output = api.handler(event, None)
        except Exception:  # noqa: BLE001 - a failing backend is API Gateway's 502, not a crash
            return Response(502, {"Content-Type": ["application/json"]}, json.dumps({"message": "Internal server error"}))
        if isinstance(output, Mapping) and "statusCode" in output:
            out_headers = {k: [str(v)] for k, v in (output.get("headers") or {}).items()}
            for k, values in (output.get("multiValueHeaders") or {}).items():
                out_headers[k] = [str(v) for v in values]
            out_body = output.get("body")
            out_body = out_body if isinstance(out_body, str) or out_body is None else json.dumps(out_body)
            return Response(int(output["statusCode"]), out_headers, out_body or "")
        return Response(200, {"Content-Type": ["application/json"]}, json.dumps(output))

    def proxy_event(self, api: Api, method: str, stage: str, path: str, headers: Mapping[str, Any],
                    query: Mapping[str, Any], body: str | None) -> dict:
        """The REST API Lambda-proxy integration event."""
        flat_headers = {k: (v[-1] if isinstance(v, list) and v else v) for k, v in headers.items()}
        multi_headers = {k: (v if isinstance(v, list) else [v]) for k, v in headers.items()}
        flat_query = {k: (v[-1] if isinstance(v, list) and v else v) for k, v in query.items()}
        multi_query = {k: (v if isinstance(v, list) else [v]) for k, v in query.items()}
        full_path = "/" + path.lstrip("/") if path else "/"
        return {
            "resource": full_path, "path": full_path, "httpMethod": method.upper(),
            "headers": flat_headers or None, "multiValueHeaders": multi_headers or None,
            "queryStringParameters": flat_query or None, "multiValueQueryStringParameters": multi_query or None,
            "pathParameters": None, "stageVariables": None,
            "requestContext": {"accountId": self.account, "apiId": api.api_id, "stage": stage,
                               "httpMethod": method.upper(), "path": f"/{stage}{full_path}",
                               "requestId": self._request_id(), "requestTimeEpoch": int(self.scheduler.now() * 1000),
                               "identity": {"sourceIp": "127.0.0.1"}},
            "body": body, "isBase64Encoded": False,
        }

    def _request_id(self) -> str:
        with self._lock:
            return seeded_uuid(self._rng)

    @staticmethod
    def _forward(base: str, method: str, stage: str | None, path: str, headers: Mapping[str, Any] | None,
                 query: Mapping[str, Any] | None, body: str | None) -> Response:
        url = base.rstrip("/")
        if stage and stage != "$default":
            url += "/" + stage
        if path:
            url += "/" + path.lstrip("/")
        if query:
            url += "?" + urllib.parse.urlencode([(k, x) for k, v in query.items()
                                                  for x in (v if isinstance(v, list) else [v])])
        request = urllib.request.Request(url, data=body.encode() if body is not None else None, method=method.upper())
        for key, value in (headers or {}).items():
            request.add_header(key, ",".join(value) if isinstance(value, list) else str(value))
        try:
            with urllib.request.urlopen(request, timeout=29) as reply:   # API Gateway's integration timeout
                return Response(reply.status, {k: [v] for k, v in reply.headers.items()},
                                reply.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as exc:
            return Response(exc.code, {k: [v] for k, v in exc.headers.items()},
                            exc.read().decode("utf-8", "replace"))
        except (urllib.error.URLError, OSError) as exc:
            raise ServiceError("apigateway", "SdkClientException", f"Unable to execute HTTP request: {exc}", 0) from None
