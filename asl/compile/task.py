"""The compiled Task state: effective input -> resolver chosen by the resource ARN -> result.

History differs per resource kind, as on AWS: a plain Lambda function ARN records
``LambdaFunctionScheduled/Started/Succeeded|Failed|TimedOut``; every other resource records
``TaskScheduled/Started/[Submitted/]Succeeded|Failed|TimedOut`` with ``resourceType``/``resource``
(``arn:aws:states:::lambda:invoke`` -> ``lambda`` / ``invoke``). ``TaskSubmitted`` (with the API's
response) is recorded when a ``.sync`` / ``.waitForTaskToken`` resolver reports the work submitted,
through ``TaskRequest.submitted``; ``states:startExecution`` resolvers get ``TaskRequest.start_child``
to run child executions in this engine (:meth:`asl.runtime.machine.Machine.child_execution`).
"""
from __future__ import annotations

from typing import Any

from ..errors import TASK_FAILED, TIMEOUT, ResolverNotFound, StatesError
from ..paths import compact_json, compile_path
from ..model import JSONATA, JSONPATH
from .base import JsonPathIO, Scope, is_number, json_size, MAX_PAYLOAD_BYTES, runtime_error, jsonata_io
from .failures import data_limit_exceeded, failure, in_state
from .recovery import RecoverableState

DEFAULT_TIMEOUT = 99_999_999


def _literal_seconds(value: Any) -> int | None:
    """A literal TimeoutSeconds / HeartbeatSeconds as whole seconds (the linter refuses what is not a
    positive integer); None when absent or a JSONata expression."""
    return int(value) if is_number(value) else None


class TaskState(RecoverableState):
    __slots__ = ("resource", "resource_type", "resource_name", "timeout", "heartbeat", "timeout_path",
                 "heartbeat_path", "credentials", "credentials_role", "query_language", "uses_token", "family",
                 "details_prefix", "starts_children", "request_type")

    def __init__(self, model: Any):
        from ..resolvers.base import TaskRequest, parse_resource   # only machines with Tasks load them

        super().__init__(model)
        self.request_type = TaskRequest
        arn = model.resource if isinstance(model.resource, str) else ""
        self.resource = parse_resource(arn)
        self.resource_type, self.resource_name = _resource_labels(self.resource)
        self.jio = jsonata_io().TaskIO(model) if self.jsonata else None
        self.io = None if self.jsonata else JsonPathIO(
            model, parameters=model.parameters, result_selector=model.result_selector,
            result_path=model.result_path)
        self.timeout = _literal_seconds(model.timeout_seconds)
        self.heartbeat = _literal_seconds(model.heartbeat_seconds)
        self.timeout_path = compile_path(model.timeout_seconds_path, reference=True) if isinstance(
            model.timeout_seconds_path, str) else None
        self.heartbeat_path = compile_path(model.heartbeat_seconds_path, reference=True) if isinstance(
            model.heartbeat_seconds_path, str) else None
        self.credentials = model.credentials if isinstance(model.credentials, dict) else None
        role = self.credentials.get("RoleArn") if self.credentials is not None else None
        self.credentials_role = role if isinstance(role, str) else None     # TaskScheduled shows it
        self.query_language = JSONATA if self.jsonata else JSONPATH
        self.uses_token = self.resource.pattern == "waitForTaskToken" or self.resource.service == "activity"
        # the history events' family: LambdaFunction* for a function ARN, Activity* for an activity, else Task*
        self.family = ("LambdaFunction" if self.resource.legacy_lambda else
                       "Activity" if self.resource.service == "activity" else "Task")
        self.details_prefix = self.family[0].lower() + self.family[1:]
        self.starts_children = self.resource.service == "states" and self.resource.action == "startExecution"

    # -- one attempt ---------------------------------------------------------------------------------
    def _attempt(self, data: Any, frame: Any, scope: Scope) -> tuple[Any, dict | None]:
        run = frame.run
        if self.uses_token:
            scope.task_token = run.uuid()
            scope.reset_context()
        try:
            if self.jio is not None:
                payload = self.jio.arguments(data, scope)
                timeout, heartbeat = self.jio.timeouts(data, scope, self.timeout, self.heartbeat)
            else:
                payload = self.io.effective_input(data, scope)
                timeout, heartbeat = self._timeouts(data, scope)
        except StatesError as exc:
            raise in_state(exc, self.name, scope.entered_id, frame) from None
        family = self.family
        legacy = family == "LambdaFunction"
        if family == "Task":
            details: dict[str, Any] = {"resourceType": self.resource_type, "resource": self.resource_name,
                                       "region": run.region, "parameters": payload}
        else:
            details = {"resource": self.resource.arn, "input": payload}
        if timeout is not None:
            details["timeoutInSeconds"] = timeout
        if heartbeat is not None and not legacy:
            details["heartbeatInSeconds"] = heartbeat
        if self.credentials_role is not None:
            details["taskCredentials"] = {"roleArn": self.credentials_role}
        frame.event(f"{family}Scheduled", f"{self.details_prefix}ScheduledEventDetails", details)
        registry = run.registry()
        try:
            resolver = registry.find(self.resource)
        except ResolverNotFound:
            self._failed(frame, "ScheduleFailed" if family == "Activity" else "StartFailed", TASK_FAILED,
                         self._no_resolver())
        if family == "Task":
            frame.event("TaskStarted", "taskStartedEventDetails",
                        {"resourceType": self.resource_type, "resource": self.resource_name})
        elif family == "Activity":
            frame.event("ActivityStarted", "activityStartedEventDetails", {"workerName": "aslkit"})
        else:
            frame.event("LambdaFunctionStarted")
        request = self.request_type(
            resource=self.resource, payload=payload, state_name=self.name,
            context=scope.context(), task_token=scope.task_token,
            timeout_seconds=timeout if timeout is not None else DEFAULT_TIMEOUT,
            heartbeat_seconds=heartbeat, credentials=self.credentials,
            query_language=self.query_language, clock=frame.clock,
            submitted=self._submitted_recorder(frame),
            start_child=self._child_starter(frame) if self.starts_children else None,
            pass_on=registry.pass_on_after(resolver))
        try:
            result = resolver.invoke(request)
        except StatesError as exc:
            self._failed(frame, "Failed", exc.error, exc.cause, exc)
        except ResolverNotFound:   # the resolver passed the request on, and nobody after it serves it
            self._failed(frame, "Failed", TASK_FAILED, self._no_resolver())
        except Exception as exc:  # a resolver's own bug must not crash the run
            self._failed(frame, "Failed", TASK_FAILED, f"The task resolver raised {type(exc).__name__}: {exc}")
        if json_size(result) > MAX_PAYLOAD_BYTES:
            what = self.resource.arn if legacy else self.resource_type
            self._failed(frame, "Failed", "States.DataLimitExceeded",
                         data_limit_exceeded(what, terminal=False).cause)
        if family == "Task":
            frame.event("TaskSucceeded", "taskSucceededEventDetails",
                        {"resourceType": self.resource_type, "resource": self.resource_name, "output": result})
        else:
            frame.event(f"{family}Succeeded", f"{self.details_prefix}SucceededEventDetails", {"output": result})
        return self.finish(data, result, scope)

    def _submitted_recorder(self, frame: Any):
        """Resolvers of .sync / .waitForTaskToken tasks call this once the work is submitted."""
        if self.family != "Task":
            return None

        def submitted(response: Any) -> None:
            frame.event("TaskSubmitted", "taskSubmittedEventDetails",
                        {"resourceType": self.resource_type, "resource": self.resource_name, "output": response})
        return submitted

    def _no_resolver(self) -> str:
        return (f"No local resolver serves the resource '{self.resource.arn}'. Pass a handler with "
                "lambdas={...} or --lambda NAME=module:function, or a resolver with resolvers=[...].")

    @staticmethod
    def _child_starter(frame: Any):
        """``states:startExecution`` resolvers start child executions in this engine through this."""
        machine = frame.run.machine

        def start_child(target: Any, input: Any, *, name: str | None = None, start: float | None = None,
                        stop_at: float | None = None):
            return machine.child_execution(frame, target, input, name=name, start=start, stop_at=stop_at)
        return start_child

    def _failed(self, frame: Any, kind: str, error: str | None, cause: str | None,
                original: StatesError | None = None) -> None:
        """Record the task's failure event and raise the failure."""
        timed_out = error == TIMEOUT and kind == "Failed"
        if timed_out:
            kind = "TimedOut"
        details: dict[str, Any] = {}
        if error is not None:
            details["error"] = error
        if cause is not None:
            details["cause"] = cause
        type_ = f"{self.family}{kind}"
        key = f"{self.details_prefix}{kind}EventDetails"
        if self.family == "Task":
            details = {"resourceType": self.resource_type, "resource": self.resource_name, **details}
        frame.event(type_, key, details)
        exc = failure(error, cause)
        if original is not None and getattr(original, "heartbeat", False):
            exc.heartbeat = True   # type: ignore[attr-defined]
        raise exc

    def _timeouts(self, data: Any, scope: Scope) -> tuple[int | None, int | None]:
        timeout, heartbeat = self.timeout, self.heartbeat
        if self.timeout_path is not None or self.heartbeat_path is not None:
            ctx = scope.context() if self.io.uses_context else None
            if self.timeout_path is not None:
                timeout = _path_seconds(self.timeout_path, data, ctx, scope, "TimeoutSecondsPath")
            if self.heartbeat_path is not None:
                heartbeat = _path_seconds(self.heartbeat_path, data, ctx, scope, "HeartbeatSecondsPath")
        return timeout, heartbeat


def _path_seconds(path: Any, data: Any, ctx: Any, scope: Scope, field: str) -> int:
    value = path.get(data, ctx, scope.frame.variables)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and not value.is_integer()) or value <= 0:
        raise runtime_error(
            f"The {field} field refers to value {compact_json(value)} which is not a valid positive "
            f"integer: {path.text}")
    return int(value)


def _resource_labels(resource: Any) -> tuple[str, str]:
    """``resourceType`` and ``resource`` as TaskScheduled shows them."""
    if resource.legacy_lambda:
        return "lambda", "function"
    arn = resource.arn
    if ":::" in arn:
        tail = arn.split(":::", 1)[1]
        if tail.startswith("aws-sdk:"):
            parts = tail.split(":")
            return ":".join(parts[:2]), ":".join(parts[2:])
        service, _, action = tail.partition(":")
        return service, action
    if resource.service == "activity":
        return "activity", resource.action
    return resource.service, resource.action


__all__ = ["TaskState", "DEFAULT_TIMEOUT"]
