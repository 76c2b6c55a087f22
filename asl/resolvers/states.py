"""``arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]``: child state machines
run in the same engine.

* Request-response: the child is started (run on the scheduler, as AWS runs it independently) and the
  task gets ``{ExecutionArn, StartDate}`` at once.
* ``.sync`` / ``.sync:2``: the task waits for the child and gets the DescribeExecution view of it —
  ``Input``/``Output`` as JSON *text* for ``.sync``, as JSON values for ``.sync:2``. A child that did
  not succeed fails the task with ``States.TaskFailed`` and that view (with ``Error``/``Cause``) as the
  cause.
* ``.waitForTaskToken``: the child is started and the task waits for a callback.

Children come from ``request.start_child`` when the runtime injects it; otherwise from the state
machines registered here (definitions, paths or loaded machines, by name or ARN), loaded with
``asl.load`` and executed with the same resolvers and clock.
"""
from __future__ import annotations

import inspect
import json
import uuid
from typing import Any, Callable, Mapping

from ..errors import TaskFailed
from ..runtime import clock as clocks
from ..services.errors import ServiceError
from . import _aws
from ._integration import IntegrationResolver, service_failure
from .base import TaskRequest


class StepFunctionsResolver(IntegrationResolver):
    service_name = "states"
    actions = frozenset({"startExecution"})
    patterns = frozenset({None, "sync", "sync:2", "waitForTaskToken"})

    def __init__(self, machines: Mapping[str, Any] | None = None, *, region: str = "us-east-1",
                 account: str = "111111111111", resolvers: Callable[[], list] | None = None, **kw: Any):
        super().__init__(**kw)
        self.region = region
        self.account = account
        self.machines: dict[str, Any] = {}
        self._loaded: dict[str, Any] = {}
        self._resolvers = resolvers            # the environment's resolver list, for children
        self.executions: list[dict] = []       # every child started, its describe view
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
        pattern = request.resource.pattern
        if pattern in ("sync", "sync:2"):
            view = self._start(request, clock, wait=True)
            if callable(request.submitted):
                request.submitted({"ExecutionArn": view["ExecutionArn"], "StartDate": view["StartDate"]})
            if view["Status"] != "SUCCEEDED":
                raise TaskFailed("States.TaskFailed", _aws.compact(view))
            return view
        return super().invoke(request)

    def call(self, request: TaskRequest, clock: Any) -> Any:
        view = self._start(request, clock, wait=False)
        request_id = str(uuid.uuid4())
        headers = {"x-amzn-RequestId": request_id, "Date": "", "Content-Type": "application/x-amz-json-1.0",
                   "Content-Length": str(len(json.dumps(view)))}
        return {"ExecutionArn": view["ExecutionArn"], "StartDate": view["StartDate"],
                **self.metadata_for(headers, request_id, clock)}

    def _start(self, request: TaskRequest, clock: Any, *, wait: bool) -> dict:
        params = request.payload if isinstance(request.payload, Mapping) else {}
        arn = params.get("StateMachineArn")
        raw_input = params.get("Input", {})
        try:
            value = json.loads(raw_input) if isinstance(raw_input, str) else raw_input
        except ValueError:
            raise service_failure(ServiceError("states", "InvalidExecutionInput", "Invalid State Machine Execution "
                                               "Input: 'Unexpected character'", 400,
                                               "InvalidExecutionInputException"), str(uuid.uuid4())) from None
        name = params.get("Name") or str(uuid.uuid4())
        if not isinstance(arn, str) or (request.start_child is None and arn not in self.machines
                                        and arn.rsplit(":", 1)[-1] not in self.machines):
            raise service_failure(ServiceError("states", "StateMachineDoesNotExist",
                                               f"State Machine Does Not Exist: '{arn}'", 400,
                                               "StateMachineDoesNotExistException"), str(uuid.uuid4()))
        sm_name = arn.rsplit(":", 1)[-1]
        exec_arn = f"arn:aws:states:{self.region}:{self.account}:execution:{sm_name}:{name}"
        started = clocks.now_of(clock)
        pattern = request.resource.pattern
        view: dict[str, Any] = {"ExecutionArn": exec_arn, "StartDate": int(started * 1000)}

        def run() -> None:
            status, output, error, cause = self._run_child(request, arn, value, name, clock)
            view.update(self._describe(arn, exec_arn, name, value, status, output, error, cause, started,
                                       clocks.now_of(clock), parsed=pattern == "sync:2"))

        self.executions.append(view)
        if wait:
            run()
        else:
            self.callbacks.scheduler.call_later(0.0, run, f"child execution {name}")
        return view

    def _run_child(self, request: TaskRequest, arn: str, value: Any, name: str, clock: Any) -> tuple:
        if request.start_child is not None:
            try:
                return tuple(request.start_child(arn, value, name))
            except TaskFailed:
                raise
            except Exception as exc:  # noqa: BLE001 - a broken child is the task's failure, not a crash
                return "FAILED", None, "States.Runtime", f"{type(exc).__name__}: {exc}"
        machine = self._machine(arn)
        kwargs: dict[str, Any] = {"clock": clock if clock is not None else "virtual"}
        if self._resolvers is not None:
            kwargs["resolvers"] = self._resolvers()
        execution = _execute(machine, value, **kwargs)
        return (getattr(execution, "status", "FAILED"), getattr(execution, "output", None),
                getattr(execution, "error", None), getattr(execution, "cause", None))

    def _machine(self, arn: str) -> Any:
        key = arn if arn in self.machines else arn.rsplit(":", 1)[-1]
        if key not in self._loaded:
            definition = self.machines[key]
            if hasattr(definition, "execute"):
                self._loaded[key] = definition
            else:
                import asl

                self._loaded[key] = asl.load(definition)
        return self._loaded[key]

    @staticmethod
    def _describe(arn: str, exec_arn: str, name: str, value: Any, status: str, output: Any, error: Any,
                  cause: Any, started: float, stopped: float, *, parsed: bool) -> dict:
        view: dict[str, Any] = {
            "ExecutionArn": exec_arn,
            "Input": value if parsed else json.dumps(value, separators=(",", ":")),
            "InputDetails": {"Included": True},
            "Name": name,
        }
        if status == "SUCCEEDED":
            view["Output"] = output if parsed else json.dumps(output, separators=(",", ":"))
            view["OutputDetails"] = {"Included": True}
        else:
            if error is not None:
                view["Error"] = error
            if cause is not None:
                view["Cause"] = cause
        view.update({"StartDate": int(started * 1000), "StateMachineArn": arn, "Status": status,
                     "StopDate": int(stopped * 1000)})
        return view


def _execute(machine: Any, value: Any, **kwargs: Any) -> Any:
    """``machine.execute(value, **kwargs)`` passing only the keywords its signature takes."""
    try:
        params = inspect.signature(machine.execute).parameters
    except (TypeError, ValueError):
        params = {}
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        kwargs = {k: v for k, v in kwargs.items() if k in params}
    return machine.execute(value, **kwargs)
