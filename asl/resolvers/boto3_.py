"""Task resources against real AWS (or any ``endpoint_url``, e.g. LocalStack or moto) through boto3.

Optional: ``pip install aslkit[aws]``; boto3 is imported when the resolver is first used, never by the
runtime or the linter. Served resources: the plain Lambda function ARN and ``lambda:invoke``,
``sqs:sendMessage``, ``sns:publish``, ``events:putEvents``, ``states:startExecution`` (also ``.sync`` and
``.sync:2``, polled on the clock) and every ``aws-sdk:<service>:<action>``; ``.waitForTaskToken``
variants wait on the environment's callback hub. Results take Step Functions' shapes (optimized
integrations add ``SdkHttpMetadata``; ``aws-sdk`` results are the API response with PascalCase keys),
errors its names (``SQS.AmazonSQSException``, ``S3.NoSuchKeyException``, ``Lambda.Unknown``...).
"""
from __future__ import annotations

import base64
import json
import re
from datetime import datetime
from typing import Any, Mapping

from ..errors import TaskFailed
from ..runtime import clock as clocks
from ..services.callbacks import CallbackHub
from . import _aws
from ._integration import ERROR_PREFIX, SDK_SERVICE, with_callback
from .base import ResourceInfo, TaskRequest

OPTIMIZED = {("lambda", "invoke"), ("sqs", "sendMessage"), ("sns", "publish"), ("events", "putEvents"),
             ("states", "startExecution")}
BOTO_SERVICE = {"states": "stepfunctions", "sfn": "stepfunctions", "eventbridge": "events"}
POLL_SECONDS = 5.0


class Boto3Resolver:
    """Serves Task resources with boto3 clients (one per service, created on first use)."""

    def __init__(self, *, session: Any = None, endpoint_url: str | None = None, region: str | None = None,
                 callbacks: CallbackHub | None = None, clock: Any = None, metadata: str = _aws.LIVE,
                 client_options: Mapping[str, Any] | None = None):
        self._session = session
        self.endpoint_url = endpoint_url
        self.region = region
        self.callbacks = callbacks or CallbackHub()
        self.clock = clock
        self.metadata = metadata
        self.client_options = dict(client_options or {})
        self._clients: dict[str, Any] = {}

    # -- plumbing ---------------------------------------------------------------------------------
    @property
    def session(self) -> Any:
        if self._session is None:
            try:
                import boto3
            except ImportError:
                raise TaskFailed("States.Runtime", "boto3 is not installed: pip install 'aslkit[aws]'") from None
            self._session = boto3.session.Session(region_name=self.region)
        return self._session

    def client(self, service: str) -> Any:
        if service not in self._clients:
            options = dict(self.client_options)
            if self.endpoint_url:
                options.setdefault("endpoint_url", self.endpoint_url)
            if self.region:
                options.setdefault("region_name", self.region)
            self._clients[service] = self.session.client(service, **options)
        return self._clients[service]

    def accepts(self, resource: ResourceInfo) -> bool:
        if resource.legacy_lambda:
            return True
        if resource.service.startswith("aws-sdk:"):
            return resource.pattern in (None, "waitForTaskToken")
        if (resource.service, resource.action) not in OPTIMIZED:
            return False
        if resource.service == "states":
            return resource.pattern in (None, "sync", "sync:2", "waitForTaskToken")
        return resource.pattern in (None, "waitForTaskToken")

    def invoke(self, request: TaskRequest) -> Any:
        clock = request.clock if request.clock is not None else self.clock
        self.callbacks.scheduler.attach(clock)
        if request.resource.pattern == "waitForTaskToken":
            return with_callback(self.callbacks, request, clock, lambda: self._call(request, clock))
        return self._call(request, clock)

    def _call(self, request: TaskRequest, clock: Any) -> Any:
        try:
            from botocore.exceptions import BotoCoreError, ClientError
        except ImportError:
            raise TaskFailed("States.Runtime", "boto3 is not installed: pip install 'aslkit[aws]'") from None

        resource = request.resource
        service = "lambda" if resource.legacy_lambda else resource.service
        try:
            if resource.legacy_lambda:
                return self._lambda_function(request)
            if service.startswith("aws-sdk:"):
                return self._sdk(service.split(":", 1)[1], resource.action, request.payload)
            return getattr(self, f"_{service}")(request, clock)
        except ClientError as exc:
            raise self._client_error(service, exc) from None
        except BotoCoreError as exc:
            prefix = ERROR_PREFIX.get(service, _pascal(service.split(":")[-1]))
            raise TaskFailed(f"{prefix}.SdkClientException", f"Unable to execute HTTP request: {exc}") from None

    def _client_error(self, service: str, exc: Any) -> TaskFailed:
        error = exc.response.get("Error", {})
        meta = exc.response.get("ResponseMetadata", {})
        code = str(error.get("Code", "Unknown"))
        message = str(error.get("Message", ""))
        status = meta.get("HTTPStatusCode", 400)
        request_id = meta.get("RequestId", "")
        if service.startswith("aws-sdk:"):
            name = service.split(":", 1)[1]
            exception = code if code.endswith("Exception") else f"{code}Exception"
            return TaskFailed(f"{_pascal(name)}.{exception}",
                              f"{message} (Service: {_pascal(name)}, Status Code: {status}, Request ID: {request_id})")
        exception = _optimized_exception(service, code)
        cause = _aws.sdk_cause(message, service=SDK_SERVICE.get(service, service), status=status, code=code,
                               request_id=request_id)
        return TaskFailed(f"{ERROR_PREFIX.get(service, service)}.{exception}", cause)

    def _metadata(self, response: Mapping[str, Any]) -> dict:
        meta = response.get("ResponseMetadata", {})
        headers = dict(meta.get("HTTPHeaders", {}))
        request_id = meta.get("RequestId", "")
        return _aws.sdk_metadata(headers, request_id=request_id, status=meta.get("HTTPStatusCode", 200),
                                 mode=_aws.LIVE if self.metadata == _aws.LIVE else _aws.NORMALIZED)

    # -- Lambda -----------------------------------------------------------------------------------
    def _lambda_function(self, request: TaskRequest) -> Any:
        response = self.client("lambda").invoke(FunctionName=request.resource.arn,
                                                Payload=json.dumps(request.payload).encode())
        body = response["Payload"].read()
        if response.get("FunctionError"):
            raise _aws.lambda_function_failure(body, reserialised=False)
        return _aws.json_or_text(body.decode("utf-8", "replace"))

    def _lambda(self, request: TaskRequest, clock: Any) -> Any:
        params = dict(request.payload) if isinstance(request.payload, Mapping) else {}
        payload = params.pop("Payload", None)
        if payload is None:
            params["Payload"] = b"{}"
        elif isinstance(payload, str):
            params["Payload"] = payload.encode()
        else:
            params["Payload"] = json.dumps(payload, separators=(",", ":")).encode()
        response = self.client("lambda").invoke(**params)
        body = response["Payload"].read()
        if response.get("FunctionError"):
            raise _aws.lambda_function_failure(body, reserialised=True)
        result: dict[str, Any] = {}
        if response.get("ExecutedVersion"):
            result["ExecutedVersion"] = response["ExecutedVersion"]
        if response.get("LogResult"):
            result["LogResult"] = response["LogResult"]
        result["Payload"] = _aws.json_or_text(body.decode("utf-8", "replace")) if body else ""
        result.update(self._metadata(response))
        result["StatusCode"] = response.get("StatusCode", 200)
        return result

    # -- SQS / SNS / EventBridge ------------------------------------------------------------------
    def _sqs(self, request: TaskRequest, clock: Any) -> Any:
        params = dict(request.payload) if isinstance(request.payload, Mapping) else {}
        if "MessageBody" in params and not isinstance(params["MessageBody"], str):
            params["MessageBody"] = json.dumps(params["MessageBody"], separators=(",", ":"))
        response = self.client("sqs").send_message(**params)
        return {**_strip(response), **self._metadata(response)}

    def _sns(self, request: TaskRequest, clock: Any) -> Any:
        params = dict(request.payload) if isinstance(request.payload, Mapping) else {}
        if "Message" in params and not isinstance(params["Message"], str):
            params["Message"] = json.dumps(params["Message"], separators=(",", ":"))
        response = self.client("sns").publish(**params)
        return {**_strip(response), **self._metadata(response)}

    def _events(self, request: TaskRequest, clock: Any) -> Any:
        params = dict(request.payload) if isinstance(request.payload, Mapping) else {}
        extra = _aws.execution_arns(request.context)
        entries = []
        for entry in params.get("Entries") or []:
            entry = dict(entry)
            if "Detail" in entry and not isinstance(entry["Detail"], str):
                entry["Detail"] = json.dumps(entry["Detail"], separators=(",", ":"))
            entry["Resources"] = list(entry.get("Resources") or []) + extra
            entries.append(entry)
        response = _strip(self.client("events").put_events(Entries=entries))
        if response.get("FailedEntryCount"):
            raise TaskFailed("EventBridge.FailedEntry", _aws.compact(response))
        return response

    # -- Step Functions ---------------------------------------------------------------------------
    def _states(self, request: TaskRequest, clock: Any) -> Any:
        params = request.payload if isinstance(request.payload, Mapping) else {}
        raw = params.get("Input", {})
        kwargs: dict[str, Any] = {"stateMachineArn": params.get("StateMachineArn"),
                                  "input": raw if isinstance(raw, str) else json.dumps(raw)}
        if params.get("Name"):
            kwargs["name"] = params["Name"]
        sfn = self.client("stepfunctions")
        started = sfn.start_execution(**kwargs)
        pattern = request.resource.pattern
        if pattern not in ("sync", "sync:2"):
            return {"ExecutionArn": started["executionArn"], "StartDate": _millis(started["startDate"]),
                    **self._metadata(started)}
        if callable(request.submitted):
            request.submitted({"ExecutionArn": started["executionArn"], "StartDate": _millis(started["startDate"])})
        while True:
            described = sfn.describe_execution(executionArn=started["executionArn"])
            if described["status"] != "RUNNING":
                break
            clocks.advance(clock, POLL_SECONDS)
        parsed = pattern == "sync:2"
        view = {"ExecutionArn": described["executionArn"],
                "Input": _aws.json_or_text(described.get("input", "null")) if parsed else described.get("input"),
                "InputDetails": {"Included": True}, "Name": described.get("name")}
        if "output" in described:
            view["Output"] = _aws.json_or_text(described["output"]) if parsed else described["output"]
            view["OutputDetails"] = {"Included": True}
        for key in ("error", "cause"):
            if key in described:
                view[key.capitalize()] = described[key]
        view.update({"StartDate": _millis(described["startDate"]), "StateMachineArn": described["stateMachineArn"],
                     "Status": described["status"]})
        if described.get("stopDate"):
            view["StopDate"] = _millis(described["stopDate"])
        if described["status"] != "SUCCEEDED":
            raise TaskFailed("States.TaskFailed", _aws.compact(view))
        return view

    # -- aws-sdk:* --------------------------------------------------------------------------------
    def _sdk(self, sdk_service: str, action: str, payload: Any) -> Any:
        from botocore import xform_name

        service = self._boto_service(sdk_service)
        client = self.client(service)
        operation = client.meta.service_model.operation_model(action[0].upper() + action[1:])
        params = _conform(payload if isinstance(payload, Mapping) else {}, operation.input_shape)
        response = getattr(client, xform_name(action))(**params)
        return _pascal_keys(_jsonable(_strip(response)))

    def _boto_service(self, sdk_service: str) -> str:
        if sdk_service in BOTO_SERVICE:
            return BOTO_SERVICE[sdk_service]
        wanted = sdk_service.replace("-", "").lower()
        for name in self.session.get_available_services():
            if name.replace("-", "").lower() == wanted:
                return name
        return sdk_service


def _optimized_exception(service: str, code: str) -> str:
    """The exception name Step Functions gives an optimized integration's API error."""
    if service == "sqs":
        return {"AWS.SimpleQueueService.NonExistentQueue": "QueueDoesNotExistException",
                "QueueDoesNotExist": "QueueDoesNotExistException"}.get(code, "AmazonSQSException")
    return code if code.endswith("Exception") else f"{code}Exception"


def _strip(response: Mapping[str, Any]) -> dict:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def _millis(value: Any) -> Any:
    return int(value.timestamp() * 1000) if isinstance(value, datetime) else value


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(bytes(value)).decode()
    if hasattr(value, "read"):
        return _jsonable(value.read())
    return value


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_]", name))


def _pascal_keys(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {(k[:1].upper() + k[1:] if isinstance(k, str) else k): _pascal_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_pascal_keys(v) for v in value]
    return value


def _conform(value: Any, shape: Any) -> Any:
    """Step Functions' PascalCase parameters to the member names the service model uses."""
    if shape is None:
        return value
    kind = getattr(shape, "type_name", "")
    if kind == "structure" and isinstance(value, Mapping):
        members = {name.lower(): (name, member) for name, member in shape.members.items()}
        out = {}
        for key, item in value.items():
            name, member = members.get(str(key).lower(), (key, None))
            out[name] = _conform(item, member)
        return out
    if kind == "list" and isinstance(value, list):
        return [_conform(v, shape.member) for v in value]
    if kind == "map" and isinstance(value, Mapping):
        return {k: _conform(v, shape.value) for k, v in value.items()}
    if kind == "blob" and isinstance(value, str):
        return value.encode()
    return value

