"""Per-run state: what one execution owns (:class:`RunState`) and what one line of it sees (:class:`Frame`).

The compiled program is shared and immutable; everything that changes while a machine runs lives here:
the event log and its counter, the clock, the seeded random source, the task resolvers, and per line
of execution (the execution itself, each Parallel branch, each Map iteration) the variable scope and
the id of the last event on that line (AWS's ``previousEventId``).
"""
from __future__ import annotations

import random
import threading
import uuid as _uuid
from typing import Any, Callable

from ..errors import RUNTIME, StatesError
from .clock import Clock, branch_of, format_timestamp
from .history import HistoryLog

_BUILD_LOCK = threading.RLock()      # re-entrant: a forked run builds through its parent

STANDARD = "STANDARD"
EXPRESS = "EXPRESS"
MAX_HISTORY_EVENTS = 25_000


class HistoryLimitExceeded(StatesError):
    """A Standard execution went past 25,000 history events: it fails, and nothing catches that."""

    terminal = True


class ExecutionAborted(Exception):
    """Someone stopped the execution (StopExecution). Like a timeout, nothing inside may catch it."""

    def __init__(self, error: str | None = None, cause: str | None = None):
        super().__init__(error or "aborted")
        self.error = error
        self.cause = cause


class ExecutionTimedOut(Exception):
    """The execution ran past its TimeoutSeconds. Not a StatesError: no Catch or Map/Parallel may
    intercept it on its way out."""


class RunState:
    """Everything one execution owns, shared by all its branches and iterations."""

    __slots__ = (
        "log", "clock", "rng", "resolvers", "lambdas", "workflow_type", "trace", "execution_context",
        "state_machine_context", "max_events", "region", "account", "deadline", "stopped",
        "machine", "children", "stop_at", "build_resolvers", "nesting",
    )

    def __init__(self, *, clock: Clock, seed: int | None, recording: bool, workflow_type: str,
                 resolvers: Any, lambdas: Any, trace: Callable | None, execution_context: dict,
                 state_machine_context: dict, region: str, account: str):
        self.log = HistoryLog(recording)
        self.clock = clock
        self.rng = random.Random(seed)
        self.resolvers = resolvers
        self.lambdas = lambdas
        self.workflow_type = workflow_type
        self.trace = trace
        self.execution_context = execution_context
        self.state_machine_context = state_machine_context
        self.max_events: float = MAX_HISTORY_EVENTS if workflow_type == STANDARD else float("inf")
        self.region = region
        self.account = account
        self.deadline: float | None = None    # the execution's TimeoutSeconds, on the clock
        self.stopped: tuple | None = None     # (error, cause) once Execution.stop() was called
        self.machine: Any = None              # the Machine running (child executions start from it)
        self.children: list = []              # child executions (states:startExecution), in start order
        self.stop_at: float | None = None     # a child: when its parent's task stops it (ABORTED)
        self.build_resolvers: Callable | None = None   # makes ``resolvers`` on the first Task (registry())
        self.nesting = 0                      # how many parent executions started this one (children)

    def fork(self) -> "RunState":
        """A run for a Distributed Map child execution: same clock, randomness and resolvers, its own
        (unrecorded) history."""
        child = object.__new__(RunState)
        for name in RunState.__slots__:
            setattr(child, name, getattr(self, name))
        child.log = HistoryLog(False)
        child.max_events = float("inf")
        child.build_resolvers = self.registry      # the parent's chain, built once for both
        return child

    def registry(self) -> Any:
        """The run's resolver chain, built when the first Task needs it: a machine without Task states
        never imports the resolvers or the services."""
        registry = self.resolvers
        if registry is None:
            with _BUILD_LOCK:                 # Map iterations may run in threads on a real clock
                registry = self.resolvers
                if registry is None:
                    registry = self.resolvers = self.build_resolvers()
        return registry

    # effects: everything random comes from the seeded source, so runs repeat exactly
    def uuid(self) -> str:
        return str(_uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def random(self) -> float:
        return self.rng.random()


class Frame:
    """One line of execution: the top level, a Parallel branch or a Map iteration.

    ``variables`` is this scope's view of the workflow variables (outer values copied in, so reads
    never walk a chain and writes never leak out); ``last`` is the id of this line's latest event.
    """

    __slots__ = ("run", "variables", "last", "depth", "label", "clock", "in_branch")

    def __init__(self, run: RunState, variables: dict, last: int = 0, depth: int = 0, label: str = "",
                 clock: Any = None):
        self.run = run
        self.variables = variables
        self.last = last
        self.depth = depth
        self.label = label
        self.clock = run.clock if clock is None else clock
        self.in_branch = False      # a Parallel branch: a Task failing out of it is recorded as aborted

    def sleep(self, seconds: float) -> None:
        """Let time pass on this line's clock, stopping at the execution's deadline (TimeoutSeconds)."""
        if self.run.stopped is not None:
            raise ExecutionAborted(*self.run.stopped)
        if not getattr(self.clock, "virtual", True) and seconds > 0.05:
            self._sleep_watching_stop(seconds)
            return
        deadline = self.run.deadline
        if deadline is not None:
            now = self.clock.now()
            if now + seconds >= deadline:
                self.clock.sleep(max(0.0, deadline - now))
                raise ExecutionTimedOut()
        self.clock.sleep(seconds)

    def _sleep_watching_stop(self, seconds: float) -> None:
        """On a real clock, sleep in slices so that a stop() or the deadline interrupts a long wait."""
        end = self.clock.now() + seconds
        deadline = self.run.deadline
        while True:
            now = self.clock.now()
            if self.run.stopped is not None:
                raise ExecutionAborted(*self.run.stopped)
            if deadline is not None and now >= deadline:
                raise ExecutionTimedOut()
            if now >= end:
                return
            self.clock.sleep(min(0.05, end - now))

    def branch_clock(self, start: float | None = None) -> Any:
        """The clock for a concurrent line started now (or at ``start``): a clock that can branch
        (virtual time: :class:`~asl.runtime.clock.VirtualClock`, an Environment's scheduler clock) gives
        each branch or iteration its own, so concurrent waits overlap as they do on AWS; a clock that
        cannot (real time) is shared."""
        return branch_of(self.clock, start)

    def detached(self, clock: Any = None) -> "Frame":
        """A line in a child execution of this one (Distributed Map): no outer variables, its own history."""
        return Frame(self.run.fork(), {}, 0, self.depth + 1, self.label, clock or self.clock)

    def child(self, *, variables: dict | None = None, label: str = "", clock: Any = None) -> "Frame":
        """A nested line (branch / iteration) starting after this line's latest event."""
        return Frame(self.run, dict(self.variables) if variables is None else variables, self.last,
                     self.depth + 1, label, clock)

    # -- history -------------------------------------------------------------------------------
    def event(self, type_: str, key: str | None = None, details: dict | None = None, *,
              advance: bool = True, previous: int | None = None, at: float | None = None) -> int:
        """Record (or just count) one event; returns its id."""
        run = self.run
        log = run.log
        log.count += 1
        event_id = log.count
        if log.recording:
            log.events.append((event_id, self.last if previous is None else previous,
                               self.clock.now() if at is None else at,
                               type_, key, details))
        if advance:
            self.last = event_id
        if run.trace is not None:
            run.trace(self, type_, details)
        if event_id > run.max_events:
            self._too_many_events()
        return event_id

    def _too_many_events(self) -> None:
        self.run.max_events = float("inf")   # the failure itself may still be recorded
        raise HistoryLimitExceeded(
            RUNTIME, f"The execution has reached the maximum number of history events ({MAX_HISTORY_EVENTS}).")

    # The two events of every state, written out in full: they are most of the interpreter's work.
    def entered(self, type_: str, name: str, data: Any) -> int:
        run = self.run
        if run.stopped is not None:
            raise ExecutionAborted(*run.stopped)
        log = run.log
        event_id = log.count = log.count + 1
        details = {"name": name, "input": data}
        if log.recording:
            log.events.append((event_id, self.last, self.clock.now(), type_, "stateEnteredEventDetails", details))
        self.last = event_id
        if run.trace is not None:
            run.trace(self, type_, details)
        if event_id > run.max_events:
            self._too_many_events()
        return event_id

    def exited(self, type_: str, name: str, data: Any, assigned: dict | None = None) -> int:
        run = self.run
        log = run.log
        event_id = log.count = log.count + 1
        details = {"name": name, "output": data}
        if assigned:
            details["assignedVariables"] = assigned
        if log.recording:
            log.events.append((event_id, self.last, self.clock.now(), type_, "stateExitedEventDetails", details))
        self.last = event_id
        if run.trace is not None:
            run.trace(self, type_, details)
        if event_id > run.max_events:
            self._too_many_events()
        return event_id

    # -- the context object ($$) -------------------------------------------------------------------
    def context(self, state_name: str, entered_time: float, *, retry_count: int | None = None,
                task_token: str | None = None, map_item: tuple | None = None) -> dict:
        """The context object as a state sees it (built only for states that read it)."""
        run = self.run
        state: dict[str, Any] = {"EnteredTime": format_timestamp(entered_time), "Name": state_name}
        if retry_count is not None:
            state["RetryCount"] = retry_count
        ctx: dict[str, Any] = {
            "Execution": run.execution_context,
            "StateMachine": run.state_machine_context,
            "State": state,
        }
        if task_token is not None:
            ctx["Task"] = {"Token": task_token}
        if map_item is not None:
            item: dict[str, Any] = {"Index": map_item[0], "Value": map_item[1]}
            if len(map_item) > 2 and map_item[2] is not None:
                item["Key"] = map_item[2]
            ctx["Map"] = {"Item": item}
        return ctx
