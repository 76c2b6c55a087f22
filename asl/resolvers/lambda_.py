"""Task resolver for Lambda: the plain function ARN and ``arn:aws:states:::lambda:invoke``.

Step Functions' two ways of calling Lambda differ in what a Task sees:

* ``arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`` — the result is the function's
  return value; a function error's cause is the runtime's error payload *as Lambda returned it*
  (``json.dumps`` spacing);
* ``arn:aws:states:::lambda:invoke`` (Parameters ``FunctionName``, ``Payload``, ``InvocationType``,
  ``Qualifier``, ``LogType``, ``ClientContext``) — the result is the Invoke response
  ``{ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}`` with the payload
  parsed when it is JSON; a function error's cause is the payload re-serialised compactly. A string
  ``Payload`` is sent as the request body unchanged (``"0.0"`` arrives as the number 0.0); null or absent
  sends ``{}``.

Errors: function errors are named by the payload's ``errorType`` (``Lambda.Unknown`` when there is
none), Invoke API errors ``Lambda.<Exception>`` with the SDK's cause text, a result over 256 KiB
``States.DataLimitExceeded``, and the Task's own timeout ``States.Timeout`` (no cause).
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from ..errors import DATA_LIMIT_EXCEEDED, TIMEOUT, ResolverNotFound, TaskFailed
from ..services.handlers import load_handler
from ..services.lambda_ import (
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    LATEST,
    MAX_TIMEOUT,
    CallerTimedOut,
    InvokeResult,
    LambdaApiError,
    LambdaFunction,
    LambdaService,
    split_function_name,
)
from ..services.callbacks import CallbackHub
from ..services.scheduler import Scheduler
from . import _aws
from ._integration import with_callback
from .base import ResourceInfo, TaskRequest

STATE_DATA_LIMIT = 256 * 1024


class LambdaResolver:
    """Serves Lambda Task resources from a :class:`LambdaService` (local Python handlers)."""

    def __init__(self, service: LambdaService, *, metadata: str = _aws.NORMALIZED, clock: Any = None,
                 callbacks: CallbackHub | None = None):
        self.service = service
        self.metadata = metadata
        self.clock = clock
        if service.scheduler is None:
            service.scheduler = callbacks.scheduler if callbacks is not None else Scheduler(clock)
        self.callbacks = callbacks or CallbackHub(service.scheduler)

    def accepts(self, resource: ResourceInfo) -> bool:
        if resource.legacy_lambda:
            return True
        return (resource.service == "lambda" and resource.action == "invoke"
                and resource.pattern in (None, "waitForTaskToken"))

    # -- invoke -----------------------------------------------------------------------------------
    def invoke(self, request: TaskRequest) -> Any:
        clock = request.clock if request.clock is not None else self.clock
        self.service.scheduler.attach(clock)
        if request.resource.legacy_lambda:
            return self._invoke_function_arn(request, clock)
        if request.resource.pattern == "waitForTaskToken":
            return with_callback(self.callbacks, request, clock, lambda: self._invoke_integration(request, clock))
        return self._invoke_integration(request, clock)

    def _known(self, function_name: str) -> bool:
        return split_function_name(function_name)[0] in self.service.functions

    @staticmethod
    def _passed_on(request: TaskRequest) -> tuple[bool, Any]:
        """A function the local service does not have goes to the resolvers after this one (boto3...);
        (False, None) when nobody there serves it either: then Lambda answers ResourceNotFound."""
        if request.pass_on is None:
            return False, None
        try:
            return True, request.pass_on(request)
        except ResolverNotFound:
            return False, None

    def _invoke_function_arn(self, request: TaskRequest, clock: Any) -> Any:
        arn = request.resource.arn
        if not self._known(arn):
            passed, result = self._passed_on(request)
            if passed:
                return result
        body = json.dumps(request.payload, ensure_ascii=False).encode("utf-8")
        outcome = self._call(request, arn, body, "RequestResponse", None, None, None, clock)
        if outcome.function_error:
            raise _aws.lambda_function_failure(outcome.payload, reserialised=False)
        if len(outcome.payload) > STATE_DATA_LIMIT:
            raise TaskFailed(DATA_LIMIT_EXCEEDED, _data_limit_cause(arn))
        return _aws.json_or_text(outcome.payload.decode("utf-8", "replace"))

    def _invoke_integration(self, request: TaskRequest, clock: Any) -> Any:
        params = request.payload if isinstance(request.payload, Mapping) else {}
        name = params.get("FunctionName")
        if not isinstance(name, str) or not name:
            raise TaskFailed("Lambda.InvalidParameterValueException",
                             "The FunctionName parameter is required and must be a string.")
        if not self._known(name):
            passed, result = self._passed_on(request)
            if passed:
                return result
        payload = params.get("Payload")
        if payload is None:
            body = b"{}"
        elif isinstance(payload, str):
            body = payload.encode("utf-8")
        else:
            body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        invocation_type = params.get("InvocationType") or "RequestResponse"
        outcome = self._call(request, name, body, invocation_type, params.get("Qualifier"),
                             params.get("LogType"), params.get("ClientContext"), clock)
        if outcome.function_error:
            raise _aws.lambda_function_failure(outcome.payload, reserialised=True)
        if len(outcome.payload) > STATE_DATA_LIMIT:
            raise TaskFailed(DATA_LIMIT_EXCEEDED, _data_limit_cause("lambda"))
        return self.invoke_response(outcome, clock)

    def _call(self, request: TaskRequest, name: str, body: bytes, invocation_type: str, qualifier: Any,
              log_type: Any, client_context: Any, clock: Any) -> InvokeResult:
        try:
            return self.service.invoke(
                name, body, invocation_type=str(invocation_type),
                qualifier=qualifier if isinstance(qualifier, str) else None,
                log_type=log_type if isinstance(log_type, str) else None,
                client_context=client_context if isinstance(client_context, str) else None,
                clock=clock, caller_timeout=request.timeout_seconds)
        except CallerTimedOut:
            raise TaskFailed(TIMEOUT, None) from None
        except LambdaApiError as exc:
            message = exc.message
            if exc.code == "ResourceNotFoundException":
                message = self._not_found_message(name, qualifier if isinstance(qualifier, str) else None, request)
            request_id = exc.request_id or self.service.new_request_id()
            raise TaskFailed(f"Lambda.{exc.code}", _aws.sdk_cause(
                message, service="AWSLambda", status=exc.status, code=exc.code, request_id=request_id)) from None

    def _not_found_message(self, name: str, qualifier: str | None, request: TaskRequest) -> str:
        fn, embedded = split_function_name(name)
        if name.startswith("arn:"):
            arn = name if embedded else f"{name}:{qualifier or LATEST}"
        else:
            partition, region, account = _aws.context_arn_parts(request.context)
            arn = (f"arn:{partition or 'aws'}:lambda:{region or self.service.region}:"
                   f"{account or self.service.account}:function:{fn}:{qualifier or embedded or LATEST}")
        return f"Function not found: {arn}"

    def invoke_response(self, outcome: InvokeResult, clock: Any = None) -> dict:
        """The ``lambda:invoke`` result for one Invoke response (also used by mocks and tests)."""
        if self.metadata == _aws.NORMALIZED and outcome.log_result is None and not outcome.function_error \
                and outcome.executed_version:
            return _normalized_response(outcome)
        headers: dict[str, str] = {}
        if outcome.executed_version:
            headers["X-Amz-Executed-Version"] = outcome.executed_version
        if outcome.log_result is not None:
            headers["X-Amz-Log-Result"] = outcome.log_result
        if outcome.function_error:
            headers["X-Amz-Function-Error"] = outcome.function_error
        headers.update({
            "x-amzn-Remapped-Content-Length": "0",
            "Connection": "keep-alive",
            "x-amzn-RequestId": outcome.request_id,
            "Content-Length": str(len(outcome.payload)),
            "Date": "",
            "X-Amzn-Trace-Id": "",
            "Content-Type": "application/json",
        })
        result: dict[str, Any] = {}
        if outcome.executed_version:
            result["ExecutedVersion"] = outcome.executed_version
        if outcome.function_error:
            result["FunctionError"] = outcome.function_error
        if outcome.log_result is not None:
            result["LogResult"] = outcome.log_result
        result["Payload"] = _payload(outcome)
        result.update(_aws.sdk_metadata(headers, request_id=outcome.request_id, status=outcome.status_code,
                                        mode=self.metadata, clock=clock))
        result["StatusCode"] = outcome.status_code
        return result


def _normalized_response(outcome: InvokeResult) -> dict:
    """The common case of :meth:`LambdaResolver.invoke_response`, built directly (it is on the hot path)."""
    version = outcome.executed_version
    length = str(len(outcome.payload))
    return {
        "ExecutedVersion": version,
        "Payload": _payload(outcome),
        "SdkHttpMetadata": {
            "AllHttpHeaders": {"X-Amz-Executed-Version": [version], "x-amzn-Remapped-Content-Length": ["0"],
                               "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId",
                               "Content-Length": [length], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id",
                               "Content-Type": ["application/json"]},
            "HttpHeaders": {"Connection": "keep-alive", "Content-Length": length, "Content-Type": "application/json",
                            "Date": "date", "X-Amz-Executed-Version": version,
                            "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId",
                            "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"},
            "HttpStatusCode": outcome.status_code,
        },
        "SdkResponseMetadata": {"RequestId": "RequestId"},
        "StatusCode": outcome.status_code,
    }


def _payload(outcome: InvokeResult) -> Any:
    """The Invoke response's ``Payload`` as a Task sees it: parsed when it is JSON ("" when empty)."""
    return _aws.json_or_text(outcome.payload.decode("utf-8", "replace")) if outcome.payload else ""


def _data_limit_cause(what: str) -> str:
    return (f"The state/task '{what}' returned a result with a size exceeding the maximum number of bytes "
            "service limit.")


def lambda_resolver(mapping: Mapping[str, Any] | None = None, *, region: str = DEFAULT_REGION,
                    account: str = DEFAULT_ACCOUNT, seed: int = 0, metadata: str = _aws.NORMALIZED,
                    clock: Any = None, service: LambdaService | None = None) -> LambdaResolver:
    """A resolver for ``{function name or ARN: handler}``.

    A value may be a callable ``handler(event, context)``, a ``"module:function"`` /
    ``"file.py:function"`` spec, or a :class:`LambdaFunction` with its configuration. Bare handlers get
    Lambda's maximum timeout (900 s), so only the Task's own ``TimeoutSeconds`` cuts them short.
    """
    service = service or LambdaService(region=region, account=account, seed=seed)
    for key, value in (mapping or {}).items():
        if isinstance(value, LambdaFunction):
            service.add(value, key)
        else:
            name, _qualifier = split_function_name(key)
            service.add(LambdaFunction(name, load_handler(value), timeout=MAX_TIMEOUT), key)
    return LambdaResolver(service, metadata=metadata, clock=clock)


__all__ = ["LambdaResolver", "lambda_resolver", "LambdaFunction", "LambdaService"]
