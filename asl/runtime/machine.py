"""A runnable state machine and the record of one run of it.

``Machine(model).execute(input)`` compiles nothing: the program was compiled once when the Machine
was made. Each ``execute`` builds a fresh :class:`~asl.runtime.frame.RunState` (clock, seeded random
source, resolvers, history) and runs the program's top-level workflow on it.
"""
from __future__ import annotations

import json
import threading
from typing import Any, Callable, Iterable, Mapping

from ..errors import RUNTIME, TIMEOUT, InvalidExecutionInput, StatesError, TaskFailed
from ..model import StateMachine
from .clock import Clock, branch_of, format_timestamp, make_clock, to_datetime
from .frame import EXPRESS, STANDARD, ExecutionAborted, ExecutionTimedOut, Frame, RunState
from .history import render_event

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "111111111111"
DEFAULT_ROLE = "arn:aws:iam::111111111111:role/StepFunctionsLocal"
MAX_INPUT_BYTES = 262_144
# Child executions run on the caller's stack: a workflow that keeps starting itself stops here, with an
# error its Catch can handle, long before Python's recursion limit.
MAX_CHILD_NESTING = 32
EXPRESS_MAX_SECONDS = 5 * 60               # an Express one five minutes

SUCCEEDED = "SUCCEEDED"
FAILED = "FAILED"
TIMED_OUT = "TIMED_OUT"
ABORTED = "ABORTED"


class Execution:
    """The outcome of one run: ``status``, ``output`` (SUCCEEDED only), ``error``/``cause``, and the
    ``history`` (GetExecutionHistory-shaped event dicts, rendered on first access)."""

    def __init__(self, *, name: str, arn: str, input: Any, run: RunState, start: float):
        self.name = name
        self.arn = arn
        self.execution_arn = arn
        self.state_machine_arn: str | None = None
        self.input = input
        self.status = "RUNNING"
        self.output: Any = None
        self.error: str | None = None
        self.cause: str | None = None
        self.exception: BaseException | None = None   # set only when aslkit itself failed (a bug)
        self._run = run
        self.start_time = start
        self.stop_time: float | None = None
        self._done = threading.Event()
        self._thread: Any = None
        self._machine: Any = None        # set by Machine._prepare; run() needs it
        self._started = False

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> "Execution":
        """Block until the execution ends (for :meth:`Machine.start`); returns itself."""
        self._done.wait(timeout)
        return self

    def stop(self, error: str | None = None, cause: str | None = None) -> None:
        """Abort a running execution (StopExecution): it ends ABORTED at its next state or wait."""
        if not self._done.is_set():
            self._run.stopped = (error, cause)

    def run(self) -> "Execution":
        """Run a prepared execution to its end on the calling thread (the child executions a
        ``states:startExecution`` task starts are handed out prepared); returns itself."""
        if not self._started and self._machine is not None:
            self._machine._execute(self)
        return self

    @property
    def children(self) -> list["Execution"]:
        """The child executions this one started (``states:startExecution``), in start order."""
        return list(self._run.children)

    @property
    def succeeded(self) -> bool:
        return self.status == SUCCEEDED

    @property
    def history(self) -> list[dict[str, Any]]:
        return self._run.log.rendered()

    @property
    def event_count(self) -> int:
        """How many events the run produced (also when history recording was off)."""
        return self._run.log.count

    @property
    def states_entered(self) -> list[str]:
        """Names of the states entered, in history order (needs history recording)."""
        return [details["name"] for (_i, _p, _t, type_, _k, details) in self._run.log.events
                if type_.endswith("StateEntered")]

    @property
    def start_date(self):
        return to_datetime(self.start_time)

    @property
    def stop_date(self):
        return None if self.stop_time is None else to_datetime(self.stop_time)

    @property
    def output_json(self) -> str | None:
        return None if self.status != SUCCEEDED else json.dumps(self.output, separators=(",", ":"),
                                                               ensure_ascii=False)

    def describe(self) -> dict[str, Any]:
        """DescribeExecution-like summary."""
        out: dict[str, Any] = {"executionArn": self.arn, "name": self.name, "status": self.status,
                               "startDate": self.start_date}
        if self.stop_time is not None:
            out["stopDate"] = self.stop_date
        out["input"] = json.dumps(self.input, separators=(",", ":"), ensure_ascii=False)
        if self.status == SUCCEEDED:
            out["output"] = self.output_json
        if self.error is not None:
            out["error"] = self.error
        if self.cause is not None:
            out["cause"] = self.cause
        return out

    def __repr__(self) -> str:
        extra = f" error={self.error!r}" if self.error else ""
        return f"<Execution {self.name} {self.status}{extra}>"


class Machine:
    """A compiled state machine, ready to run any number of times."""

    def __init__(self, model: StateMachine, *, workflow_type: str = STANDARD, name: str = "StateMachine",
                 region: str = DEFAULT_REGION, account: str = DEFAULT_ACCOUNT, role_arn: str = DEFAULT_ROLE,
                 resolvers: Iterable[Any] | None = None, lambdas: Mapping[str, Any] | None = None):
        """``resolvers`` and ``lambdas`` serve every run (after the ones :meth:`execute` is given);
        ``name``, ``region``, ``account`` and ``role_arn`` make up the ARNs and the context object."""
        from ..compile import compile_machine

        self.model = model
        self.workflow_type = (workflow_type or STANDARD).upper()
        self.name = name
        self.region = region
        self.account = account
        self.role_arn = role_arn
        self.arn = f"arn:aws:states:{region}:{account}:stateMachine:{name}"
        self.resolvers = list(resolvers or [])
        self.lambdas = dict(lambdas or {})
        self.program = compile_machine(model)

    def execute(self, input: Any = None, *, lambdas: Mapping[str, Any] | None = None,
                clock: Clock | str | None = "virtual", resolvers: Iterable[Any] | None = None,
                seed: int | None = 0, history: bool = True, name: str | None = None,
                trace: Callable | None = None, start_time: Any = None) -> Execution:
        """Run the machine once on ``input`` (``None`` means ``{}``, as StartExecution does).

        ``clock``: ``"virtual"`` (default: waits take no real time; time starts at a fixed instant, or
        at ``start_time``, so runs repeat exactly), ``"real"``, or any object with ``now()``/``sleep()``.
        ``seed`` drives jitter, ``States.UUID``, ``States.MathRandom``, ``$random``, ``$uuid`` and the
        default execution name. ``history=False`` records nothing (events are still counted).
        ``trace`` is called with ``(frame, event_type, details)`` for every event as it happens.
        """
        execution = self._prepare(input, lambdas=lambdas, clock=clock, resolvers=resolvers, seed=seed,
                                  history=history, name=name, trace=trace, start_time=start_time)
        self._execute(execution)
        return execution

    def start(self, input: Any = None, **options: Any) -> Execution:
        """Like :meth:`execute`, but in a background thread: returns the RUNNING execution at once
        (``execution.wait()`` blocks until it ends, ``execution.stop()`` aborts it)."""
        execution = self._prepare(input, **options)
        thread = threading.Thread(target=self._execute, args=(execution,), name=f"asl-{execution.name}",
                                  daemon=True)
        execution._thread = thread
        thread.start()
        return execution

    def child_execution(self, frame: Frame, target: Any, input: Any, *, name: str | None = None,
                        start: float | None = None, stop_at: float | None = None) -> Execution:
        """A child execution started by a Task of the execution ``frame`` belongs to, prepared (run it
        with :meth:`Execution.run`) so the caller can record the start first.

        ``target`` is a Machine, or the ARN of this machine itself (a workflow starting itself); any
        other ARN raises :class:`LookupError`. The child runs in the same engine: the parent's resolvers
        and Lambda handlers, history recording, a seed drawn from the parent's random source (so runs
        repeat), and a branch of the parent's clock from ``start`` (default: now) — its waits do not move
        the parent's time; the caller decides how the parent's time follows. A child still running at
        ``stop_at`` (the parent task's timeout) is stopped there: it ends ``ABORTED``.
        """
        run = frame.run
        if isinstance(target, str):
            if target != self.arn:
                raise LookupError(target)
            target = self
        if not isinstance(target, Machine):
            raise TypeError(f"a child execution needs a Machine, not {type(target).__name__}")
        if run.nesting >= MAX_CHILD_NESTING:
            raise TaskFailed("StepFunctions.ExecutionLimitExceededException",
                             f"Execution Limit Exceeded: aslkit runs child executions nested at most "
                             f"{MAX_CHILD_NESTING} deep (this one was started by {run.nesting} ancestors)")
        clock = branch_of(frame.clock, start)
        child = target._prepare(input, clock=clock, seed=run.rng.getrandbits(64), history=run.log.recording,
                                name=name or run.uuid(), lambdas=run.lambdas, registry=run.registry())
        child._run.nesting = run.nesting + 1
        if stop_at is not None:
            child_run = child._run
            child_run.stop_at = stop_at
            if child_run.deadline is None or stop_at < child_run.deadline:
                child_run.deadline = stop_at
        run.children.append(child)
        return child

    def _prepare(self, input: Any = None, *, lambdas: Mapping[str, Any] | None = None,
                 clock: Clock | str | None = "virtual", resolvers: Iterable[Any] | None = None,
                 seed: int | None = 0, history: bool = True, name: str | None = None,
                 trace: Callable | None = None, start_time: Any = None, registry: Any = None) -> Execution:
        input = _own_json_copy(input)
        if start_time is not None and (clock is None or clock == "virtual"):
            from .clock import VirtualClock

            clock = VirtualClock(start_time)
        run_clock = make_clock(clock)
        run = RunState(
            clock=run_clock, seed=seed, recording=history, workflow_type=self.workflow_type,
            resolvers=None, lambdas=lambdas, trace=trace, execution_context={},
            state_machine_context={"Id": self.arn, "Name": self.name}, region=self.region,
            account=self.account)
        exec_name = name or run.uuid()
        if self.workflow_type == EXPRESS:
            arn = f"arn:aws:states:{self.region}:{self.account}:express:{self.name}:{exec_name}:{run.uuid()}"
        else:
            arn = f"arn:aws:states:{self.region}:{self.account}:execution:{self.name}:{exec_name}"
        start = run_clock.now()
        run.execution_context = {
            "Id": arn, "Input": input, "StartTime": format_timestamp(start), "Name": exec_name,
            "RoleArn": self.role_arn,
        }
        if self.workflow_type == STANDARD:
            run.execution_context["RedriveCount"] = 0
        run.machine = self
        if registry is not None:
            run.resolvers = registry
        else:   # built on the first Task (RunState.registry): a run without Tasks loads no resolvers
            run.build_resolvers = lambda: self._registry(run, lambdas, resolvers, seed)
        # Express runs stop at five minutes. (Standard's one-year cap is not enforced: virtual time starts
        # at a fixed instant, so an absolute Wait Timestamp may lie years ahead of it.)
        longest = EXPRESS_MAX_SECONDS if self.workflow_type == EXPRESS else None
        timeout = self.program.timeout_seconds
        if timeout is not None or longest is not None:
            run.deadline = start + min(t for t in (timeout, longest) if t is not None)
        execution = Execution(name=exec_name, arn=arn, input=input, run=run, start=start)
        execution._machine = self
        execution.state_machine_arn = self.arn
        return execution

    def _execute(self, execution: Execution) -> None:
        """Run a prepared execution to its end, recording how it ended."""
        execution._started = True
        run = execution._run
        run_clock = run.clock
        input = execution.input
        frame = Frame(run, {})
        frame.event("ExecutionStarted", "executionStartedEventDetails",
                    {"input": input, "roleArn": self.role_arn}, advance=False)
        try:
            output = self._run(input, frame)
        except StatesError as exc:
            self._fail(execution, frame, FAILED, exc.error, exc.cause, "ExecutionFailed")
        except ExecutionTimedOut:
            if run.deadline is not None and hasattr(run_clock, "advance_to"):
                run_clock.advance_to(run.deadline)   # a branch's own clock hit the deadline
            if run.stop_at is not None and run.deadline == run.stop_at:   # a child its parent stopped
                self._fail(execution, frame, ABORTED, None, None, "ExecutionAborted")
            else:
                self._fail(execution, frame, TIMED_OUT, TIMEOUT, None, "ExecutionTimedOut", record_error=False)
        except ExecutionAborted as stop:
            self._fail(execution, frame, ABORTED, stop.error, stop.cause, "ExecutionAborted")
        except RecursionError:
            self._fail(execution, frame, FAILED, RUNTIME, "The execution data is nested too deeply to process.",
                       "ExecutionFailed")
        except Exception as exc:  # noqa: BLE001 - an aslkit bug: report it in the execution, never crash
            execution.exception = exc
            self._fail(execution, frame, FAILED, RUNTIME, f"aslkit internal error: {type(exc).__name__}: {exc}",
                       "ExecutionFailed")
        else:
            execution.output = _detached(output)
            frame.event("ExecutionSucceeded", "executionSucceededEventDetails", {"output": output})
            execution.status = SUCCEEDED
        execution.stop_time = run_clock.now()
        execution._done.set()

    @staticmethod
    def _fail(execution: Execution, frame: Frame, status: str, error: str | None, cause: str | None,
              event: str, *, record_error: bool = True) -> None:
        execution.error, execution.cause = error, cause
        details: dict[str, Any] = {}
        if record_error and error is not None:
            details["error"] = error
        if cause is not None:
            details["cause"] = cause
        frame.run.max_events = float("inf")   # the closing event is always recorded
        key = event[0].lower() + event[1:] + "EventDetails"
        frame.event(event, key, details)
        execution.status = status

    def _run(self, input: Any, frame: Frame) -> Any:
        from ..compile.base import json_size
        from ..compile.failures import data_limit_exceeded

        if json_size(input) > MAX_INPUT_BYTES:
            raise data_limit_exceeded("ExecutionInput", terminal=True)
        return self.program.workflow.run(input, frame)

    def _registry(self, run: RunState, lambdas: Mapping[str, Any] | None, resolvers: Iterable[Any] | None,
                  seed: int | None) -> Any:
        """The run's resolver chain: explicit resolvers first, then local Lambda handlers, then the
        machine's own, then the default local services (built only if a Task asks for something the
        others do not serve). A resolver may pass a request on along it (``TaskRequest.pass_on``)."""
        from ..resolvers import ResolverRegistry, default_resolvers, local_lambdas

        registry = ResolverRegistry(list(resolvers or []))
        handlers = dict(self.lambdas)
        handlers.update(lambdas or {})
        if handlers:
            registry.add(local_lambdas(handlers, region=self.region, account=self.account, seed=seed or 0,
                                       clock=run.clock))
        registry.extend(self.resolvers)
        registry.extend(default_resolvers(clock=run.clock, region=self.region, account=self.account))
        return registry

    def __repr__(self) -> str:
        return f"<Machine {self.name} {self.workflow_type} states={len(self.model.states)}>"


def _detached(value: Any) -> Any:
    """The output handed to the caller, with containers of its own. Inside a run JSON values are shared,
    never changed (a Pass ``Result`` or a template's constant is the same object in every run), so a
    caller changing the output it got must not change what the machine, or its history, holds."""
    try:
        return _copy_containers(value)
    except RecursionError:       # nested deeper than Python recurses: hand it over as it is
        return value


def _copy_containers(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: _copy_containers(item) for key, item in value.items()}
    if kind is list:
        return [_copy_containers(item) for item in value]
    return value


__all__ = ["Machine", "Execution", "render_event", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]


def _own_json_copy(value: Any) -> Any:
    """The execution's own copy of its input, checked to be JSON.

    On AWS the input travels as JSON text, so an execution never shares objects with its caller and
    cannot receive a set, a datetime or NaN. Round-tripping through text gives both guarantees: later
    changes to the caller's object do not leak into the run or its history, and a value AWS would refuse
    is refused here (``None`` means ``{}``, as StartExecution does).
    """
    if value is None:
        return {}
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidExecutionInput(f"Invalid State Machine Execution Input: {exc}") from None
