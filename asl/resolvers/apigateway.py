"""``arn:aws:states:::apigateway:invoke[.waitForTaskToken]`` against local APIs (or real URLs).

Parameters ``ApiEndpoint``, ``Method``, ``Stage``, ``Path``, ``Headers`` and ``QueryParameters`` (maps of
lists), ``RequestBody``, ``AuthType``. The result is ``{Headers, ResponseBody, StatusCode, StatusText}``
(the body parsed when it is JSON); a 4XX/5XX answer fails the task with ``ApiGateway.<status>`` — a 429
from the stage's throttling is therefore ``ApiGateway.429``, the error a Retry should name.
"""
from __future__ import annotations

import json
from typing import Any

from ..errors import TaskFailed
from ..services.apigateway import STATUS_TEXT, ApiGatewayService
from ..services.errors import ServiceError
from . import _aws
from ._integration import ServiceResolver
from .base import TaskRequest


class ApiGatewayResolver(ServiceResolver):
    service_name = "apigateway"
    actions = frozenset({"invoke"})
    service: ApiGatewayService

    def call(self, request: TaskRequest, clock: Any) -> Any:
        params = self.parameters(request)
        endpoint, method = params.get("ApiEndpoint"), params.get("Method")
        if not isinstance(endpoint, str) or not isinstance(method, str):
            raise TaskFailed("ApiGateway.InvalidParameterException", "ApiEndpoint and Method are required")
        try:
            reply = self.service.invoke(endpoint, method, stage=params.get("Stage"), path=params.get("Path") or "",
                                        headers=params.get("Headers"), query=params.get("QueryParameters"),
                                        body=params.get("RequestBody"))
        except ServiceError as exc:
            if exc.status:
                raise TaskFailed(f"ApiGateway.{exc.status}", exc.message) from None
            raise TaskFailed(f"ApiGateway.{exc.code}", exc.message) from None
        try:
            body: Any = json.loads(reply.body) if reply.body else reply.body
        except ValueError:
            body = reply.body
        result = {"Headers": reply.headers, "ResponseBody": body, "StatusCode": reply.status,
                  "StatusText": STATUS_TEXT.get(reply.status, "")}
        if reply.status >= 400:
            raise TaskFailed(f"ApiGateway.{reply.status}", _aws.compact(result))
        return result
