"""``arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]``: child state machines
run in the same engine.

The resolver knows *which* machines exist (definitions, paths or loaded machines registered by name or
ARN, plus the running machine itself, which a workflow may start); the runtime *runs* them: it hands
the request a ``start_child`` (:meth:`asl.runtime.machine.Machine.child_execution`) that prepares a child
execution with the parent's resolvers, Lambda handlers, seeded randomness and a branch of its clock.
There is no other way children run.

* Request-response: the child is started and runs on the services' scheduler from the start time, as
  AWS runs it independently; the task gets StartExecution's response ``{ExecutionArn, StartDate}`` with
  the SDK metadata at once.
* ``.sync`` / ``.sync:2``: the task reports that response as submitted (``TaskSubmitted``), waits for the
  child and gets the DescribeExecution view of it — ``Input``/``Output`` as JSON *text* for ``.sync``,
  as JSON values for ``.sync:2``. A child that did not succeed fails the task with
  ``States.TaskFailed`` and that view (with ``Error``/``Cause``) as the cause. A child running past the
  task's ``TimeoutSeconds`` times the task out (``States.Timeout``).
* ``.waitForTaskToken``: the child is started and the task waits for a callback.
"""
from __future__ import annotations

import json
import random
from typing import Any, Mapping

from ..errors import TIMEOUT, DefinitionError, TaskFailed
from ..runtime import clock as clocks
from ..services.errors import ServiceError
from ..services.ids import seeded_uuid
from . import _aws
from ._integration import IntegrationResolver, service_failure
from .base import TaskRequest

SUCCEEDED = "SUCCEEDED"
MAX_CAUSE = 32_768          # DescribeExecution's and the history's longest cause; longer ones are cut


class StepFunctionsResolver(IntegrationResolver):
    service_name = "states"
    actions = frozenset({"startExecution"})
    patterns = frozenset({None, "sync", "sync:2", "waitForTaskToken"})

    def __init__(self, machines: Mapping[str, Any] | None = None, *, region: str = "us-east-1",
                 account: str = "111111111111", seed: int = 0, **kw: Any):
        super().__init__(**kw)
        self.region = region
        self.account = account
        self.machines: dict[str, Any] = {}
        self._loaded: dict[str, Any] = {}
        self._random = random.Random(seed)
        self.executions: list[dict] = []       # every child started: its DescribeExecution view
        for key, value in (machines or {}).items():
            self.add(key, value)

    def add(self, name_or_arn: str, definition: Any) -> str:
        """Register a child machine; returns its ARN."""
        name = name_or_arn.rsplit(":", 1)[-1]
        arn = name_or_arn if name_or_arn.startswith("arn:") else \
            f"arn:aws:states:{self.region}:{self.account}:stateMachine:{name}"
        self.machines[arn] = definition
        self.machines[name] = definition
        return arn

    # -- the task ---------------------------------------------------------------------------------
    def invoke(self, request: TaskRequest) -> Any:
        clock = request.clock if request.clock is not None else self.clock
        self.callbacks.scheduler.attach(clock)
        if request.resource.pattern in ("sync", "sync:2"):
            return self._run_to_end(request, clock)
        return super().invoke(request)      # request-response, or .waitForTaskToken around it

    def call(self, request: TaskRequest, clock: Any) -> Any:
        """StartExecution: the child runs on its own, from now, on the scheduler."""
        child, view = self._start(request)
        self.callbacks.scheduler.call_at(child.start_time, lambda: self._finish(child.run(), view, parsed=False),
                                         f"child execution {child.name}")
        return self._start_response(child, clock)

    def _run_to_end(self, request: TaskRequest, clock: Any) -> dict:
        timeout = request.timeout_seconds
        child, view = self._start(request, timeout=timeout)
        if callable(request.submitted):
            request.submitted(self._start_response(child, clock))
        self._finish(child.run(), view, parsed=request.resource.pattern == "sync:2")
        clocks.advance_to(clock, child.stop_time)     # the parent waited for the child
        if timeout is not None and child.stop_time - child.start_time >= timeout and view["Status"] == "ABORTED":
            raise TaskFailed(TIMEOUT, None)           # the task timed out and stopped the child
        if view["Status"] != SUCCEEDED:
            raise TaskFailed("States.TaskFailed", _aws.compact(view)[:MAX_CAUSE])
        return view

    # -- starting a child -------------------------------------------------------------------------
    def _start(self, request: TaskRequest, *, timeout: float | None = None) -> tuple[Any, dict]:
        params = request.payload if isinstance(request.payload, Mapping) else {}
        arn = params.get("StateMachineArn")
        value = self._input(params.get("Input"))
        name = params.get("Name")
        if not isinstance(arn, str) or not arn:
            raise self._failure("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: null'",
                                "InvalidArnException")
        if request.start_child is None:
            raise TaskFailed("States.Runtime", "states:startExecution runs child executions through the aslkit "
                                               "runtime (TaskRequest.start_child), and this request has none")
        start = clocks.now_of(request.clock if request.clock is not None else self.clock)
        try:
            child = request.start_child(self._machine(arn) or arn, value,
                                        name=name if isinstance(name, str) and name else None, start=start,
                                        stop_at=None if timeout is None else start + timeout)
        except LookupError:
            raise self._failure("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'",
                                "StateMachineDoesNotExistException") from None
        view = {"ExecutionArn": child.arn, "StartDate": _millis(child.start_time),
                "StateMachineArn": child.state_machine_arn, "Status": "RUNNING"}
        self.executions.append(view)
        return child, view

    def _input(self, raw: Any) -> Any:
        """``Input`` as an object or as JSON text; absent or null starts the child with ``{}``."""
        if raw is None:
            return {}
        if isinstance(raw, str):
            try:
                return json.loads(raw)
            except ValueError:
                raise self._failure("InvalidExecutionInput", "Invalid State Machine Execution Input: "
                                    "'Unexpected character'", "InvalidExecutionInputException") from None
        return raw

    def _machine(self, arn: str) -> Any:
        """The registered machine for ``arn`` (loaded once), or None (the runtime may know it: itself)."""
        key = arn if arn in self.machines else arn.rsplit(":", 1)[-1]
        if key not in self.machines:
            return None
        if key not in self._loaded:
            definition = self.machines[key]
            if hasattr(definition, "child_execution"):
                self._loaded[key] = definition
            else:
                import asl

                try:
                    self._loaded[key] = asl.load(definition, name=arn.rsplit(":", 1)[-1], region=self.region,
                                                 account=self.account)
                except DefinitionError as exc:
                    raise self._failure("InvalidDefinition", f"Invalid State Machine Definition: '{exc}'",
                                        "InvalidDefinition") from None
        return self._loaded[key]

    def _failure(self, code: str, message: str, exception: str) -> TaskFailed:
        return service_failure(ServiceError("states", code, message, 400, exception), self._request_id())

    def _request_id(self) -> str:
        return seeded_uuid(self._random)

    def _start_response(self, child: Any, clock: Any) -> dict:
        """StartExecution's response as Step Functions shows it (with the Java SDK's metadata)."""
        request_id = self._request_id()
        body = json.dumps({"executionArn": child.arn, "startDate": round(child.start_time, 3)},
                          separators=(",", ":"))
        headers = {"x-amzn-RequestId": request_id, "connection": "keep-alive", "Content-Length": str(len(body)),
                   "Date": "", "Content-Type": "application/x-amz-json-1.0"}
        metadata = self.metadata_for(headers, request_id, clock)
        return {"ExecutionArn": child.arn, "SdkHttpMetadata": metadata["SdkHttpMetadata"],
                "SdkResponseMetadata": metadata["SdkResponseMetadata"], "StartDate": _millis(child.start_time)}

    @staticmethod
    def _finish(child: Any, view: dict, *, parsed: bool) -> None:
        """The DescribeExecution view of a finished child (keys in AWS's alphabetical order); ``parsed``:
        Input/Output as JSON values (``.sync:2``), else as JSON text."""
        described: dict[str, Any] = {
            "ExecutionArn": child.arn,
            "Input": child.input if parsed else _aws.compact(child.input),
            "InputDetails": {"Included": True},
            "Name": child.name,
            "StartDate": view["StartDate"],
            "StateMachineArn": view["StateMachineArn"],
            "Status": child.status,
        }
        if child.status == SUCCEEDED:
            described["Output"] = child.output if parsed else _aws.compact(child.output)
            described["OutputDetails"] = {"Included": True}
        else:
            if child.error is not None:
                described["Error"] = child.error
            if child.cause is not None:
                described["Cause"] = child.cause[:MAX_CAUSE]
        if child.stop_time is not None:
            described["StopDate"] = _millis(child.stop_time)
        view.clear()
        view.update(sorted(described.items()))


def _millis(seconds: float) -> int:
    return int(round(seconds * 1000))
