"""Run a state machine the way a test wants it run: with local handlers, mocks, faults, and a record
of every task call.

:func:`run` is what the pytest fixtures and ``asl test`` use::

    result = run(definition, {"order": 1},
                 lambdas={"Charge": charge},
                 mocks=Mocks().state("Notify").returns({"MessageId": "m-1"}),
                 faults=FaultSchedule({"Charge": [Fault.throttle()]}))
    result.assert_succeeded()
    assert result.attempts("Charge") == 2

One :class:`HarnessResolver` sits first in the runtime's resolver chain. For each Task attempt it
applies, in order: a scheduled fault, a mocked response, else it passes the request on
(``TaskRequest.pass_on``) to the real resolvers after it — the user's ``resolvers``, the services, the
local Lambda handlers, the machine's own resolvers and the default local account, as the runtime
orders them for any execution. Faults count every attempt
of a state; a mock's responses are consumed only by the attempts that reach it (so "throttle twice,
then return X" is a two-fault schedule and a one-response mock). Every attempt is recorded
as an :class:`Invocation`, which is how a test counts attempts and sees what was sent.
"""
from __future__ import annotations

import copy
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..errors import ResolverNotFound, StatesError, TaskFailed
from .faults import FaultSchedule
from .mocks import Mocks, StateMocks

RUNTIME = "States.Runtime"
_CALLBACK_PATTERNS = ("waitForTaskToken", "sync", "sync:2")


@dataclass(frozen=True, slots=True)
class Invocation:
    """One attempt of one Task state, as the harness saw it."""

    state: str
    resource: str
    attempt: int                 # per state, 0-based, retries and Map iterations included
    payload: Any
    result: Any = None
    error: str | None = None
    cause: str | None = None
    source: str = "resolver"     # "resolver" | "mock" | "fault"

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def function_name(self) -> str | None:
        """The Lambda function called (function ARN, or ``FunctionName`` of ``lambda:invoke``)."""
        if ":function:" in self.resource:
            return self.resource.split(":function:")[1].split(":")[0]
        if self.resource.endswith(":lambda:invoke") and isinstance(self.payload, Mapping):
            name = self.payload.get("FunctionName")
            if isinstance(name, str):
                return name.split(":function:")[-1].split(":")[0] if ":function:" in name else name.split(":")[0]
        return None


class HarnessResolver:
    """Faults, then mocks, then the resolvers after it — recording every attempt."""

    def __init__(self, *, mocks: Mocks | None = None, faults: FaultSchedule | None = None):
        self.mocks = mocks or Mocks()
        self.faults = faults
        self.invocations: list[Invocation] = []
        self._attempts: Counter[str] = Counter()
        self._mock_calls: Counter[str] = Counter()
        self._lock = threading.Lock()

    def accepts(self, resource: Any) -> bool:
        return True                          # it records every attempt, and passes on what it does not answer

    def invoke(self, request: Any) -> Any:
        state = request.state_name
        with self._lock:
            attempt = self._attempts[state]
            self._attempts[state] += 1
        base = dict(state=state, resource=request.resource.arn, attempt=attempt, payload=request.payload)
        fault = self.faults.fault_for(state, attempt) if self.faults is not None else None
        if fault is not None:
            self._record(Invocation(**base, error=fault.error, cause=fault.cause, source="fault"))
            raise fault.exception()
        if state in self.mocks:
            # a mock's responses are consumed by the calls that reach it (injected faults do not)
            with self._lock:
                served = self._mock_calls[state]
                self._mock_calls[state] += 1
            return self._mocked(request, base, served)
        try:
            if request.pass_on is None:
                raise ResolverNotFound(request.resource.arn)
            result = request.pass_on(request)
        except StatesError as exc:
            self._record(Invocation(**base, error=exc.error, cause=exc.cause))
            raise
        except ResolverNotFound:
            cause = (f"No local resolver serves the resource '{request.resource.arn}' (state '{state}'): give "
                     "the test a handler (lambdas=...), a mock (mocks=...) or a resolver (resolvers=...).")
            self._record(Invocation(**base, error="States.TaskFailed", cause=cause))
            raise TaskFailed("States.TaskFailed", cause) from None
        self._record(Invocation(**base, result=result))
        return result

    def _mocked(self, request: Any, base: dict, index: int) -> Any:
        """Step Functions Local's answer for a mocked state (activities cannot be mocked)."""
        try:
            if request.resource.service == "activity":
                raise TaskFailed(RUNTIME, "Activity state cannot be mocked. Please remove mocks mapped for all "
                                          "activity state in the mock config file.")
            response = self.mocks.response(request.state_name, index)
        except StatesError as exc:
            self._record(Invocation(**base, error=exc.error, cause=exc.cause, source="mock"))
            raise
        if response.throws:
            self._record(Invocation(**base, error=response.error, cause=response.cause, source="mock"))
            return response.apply()
        result = copy.deepcopy(response.value)
        if callable(getattr(request, "submitted", None)) and request.resource.pattern in _CALLBACK_PATTERNS:
            request.submitted({})
        self._record(Invocation(**base, result=result, source="mock"))
        return result

    def _record(self, invocation: Invocation) -> None:
        with self._lock:
            self.invocations.append(invocation)


def load_machine(definition: Any, **options: Any) -> Any:
    """``asl.load`` for anything that is not already a loaded machine."""
    if hasattr(definition, "execute") and hasattr(definition, "model"):
        return definition
    import asl

    return asl.load(definition, **options)


def run(machine: Any, input: Any = None, *, lambdas: Mapping[str, Any] | None = None,
        resolvers: Iterable[Any] = (), mocks: Mocks | Mapping[str, Any] | None = None,
        faults: FaultSchedule | Mapping[str, Any] | None = None, services: Any = None, seed: int | None = 0,
        clock: Any = "virtual", name: str | None = None, history: bool = True,
        settle: bool = True) -> "RunResult":
    """Run ``machine`` (a loaded machine, or a definition for :func:`asl.load`) once on ``input``.

    ``lambdas`` maps function names (or ARNs) to handlers (callables or ``"module:function"``);
    ``mocks`` answers chosen states (a :class:`Mocks`, or ``{state: [{"Return": ...}, ...]}``);
    ``faults`` fails chosen attempts; ``services`` is an :class:`asl.resolvers.Environment` (its
    queues, topics, buses and functions serve the run, on its clock; with ``settle`` its pending
    deliveries run after the execution) or any list of resolvers; ``resolvers`` come first of all.
    """
    from ..runtime.clock import make_clock
    from .result import RunResult

    machine = load_machine(machine)
    if faults is not None and not isinstance(faults, FaultSchedule):
        # the asl_faults fixture's plan, or {state: [Fault | None, ...]}
        faults = faults.schedule if hasattr(faults, "schedule") else FaultSchedule(
            {state: tuple(row) for state, row in dict(faults).items()})
    if isinstance(mocks, StateMocks):
        mocks = mocks.mocks               # Mocks().state("A").returns(...) chains end on a StateMocks
    elif mocks is not None and not isinstance(mocks, Mocks):
        mocks = Mocks.from_responses(mocks)
    environment = services if _is_environment(services) else None
    if environment is not None and clock == "virtual":
        clock = environment.clock         # the services' deliveries and the run share one clock
    harness = HarnessResolver(mocks=mocks, faults=faults)
    chain: list[Any] = [harness, *resolvers]
    if environment is not None:
        # the environment's Lambda service serves the handlers, so they see its concurrency and clock
        handlers = {**dict(getattr(machine, "lambdas", None) or {}), **dict(lambdas or {})}
        chain.extend(environment.resolvers(lambdas=handlers))
        lambdas = None
    elif services is not None:
        chain.extend(_service_resolvers(services))
    # the runtime appends the local Lambda handlers, the machine's own resolvers and the default account
    execution = machine.execute(input, resolvers=chain, lambdas=lambdas, seed=seed, clock=make_clock(clock),
                                name=name, history=history)
    if environment is not None and settle:
        environment.settle()
    return RunResult(execution, harness.invocations, faults=faults, services=services)


def _is_environment(services: Any) -> bool:
    return services is not None and callable(getattr(services, "resolvers", None)) \
        and hasattr(services, "clock") and callable(getattr(services, "settle", None))


def _service_resolvers(services: Any) -> list[Any]:
    """Resolvers of an environment object (``resolvers()`` method or attribute), a list, or one resolver."""
    resolvers = getattr(services, "resolvers", None)
    if callable(resolvers):
        return list(resolvers())
    if resolvers is not None:
        return list(resolvers)
    if hasattr(services, "accepts") and hasattr(services, "invoke"):
        return [services]
    return list(services)
