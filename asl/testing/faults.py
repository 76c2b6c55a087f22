"""Fault injection: make chosen attempts of chosen Task states fail the way AWS services fail.

A :class:`FaultSchedule` says which attempt of which Task state fails and how; a
:class:`FaultInjector` is a task resolver that applies it in front of the real resolvers (local
Lambda handlers, in-memory queues, mocks): put it first (``resolvers=[schedule.injector()]``) and it
passes every attempt it does not fail on to them (``TaskRequest.pass_on``). Attempts are counted per state and per execution, retries
included — the same numbering as Step Functions Local's ``MockConfigFile`` ("0" is the first attempt,
"1" the first retry, ...), so a schedule reads like a mock file::

    schedule = FaultSchedule({"Charge": [Fault.throttle(), Fault.throttle()]})
    # Charge's first two attempts are throttled (Lambda 429 "Rate Exceeded."); the third runs for real

Hypothesis draws schedules with :func:`asl.testing.strategies.fault_schedules`. This module does not
import Hypothesis or the runtime, so it is cheap to import from a test.
"""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from ..errors import TaskFailed

ANY_STATE = "*"

# Cause texts shaped like the ones Step Functions reports for these failures (shared/spec/SEED_SERVICES.md).
_THROTTLE_CAUSES = {
    "Lambda": "Rate Exceeded. (Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException; "
              "Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)",
    "SQS": "Rate exceeded (Service: AmazonSQS; Status Code: 400; Error Code: RequestThrottled; "
           "Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)",
    "SNS": "Rate exceeded (Service: AmazonSNS; Status Code: 400; Error Code: Throttling; "
           "Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)",
}
_THROTTLE_ERRORS = {"Lambda": "Lambda.TooManyRequestsException", "SQS": "SQS.AmazonSQSException",
                    "SNS": "SNS.AmazonSNSException"}
FAULT_KINDS = ("error", "throttle", "timeout", "heartbeat")


@dataclass(frozen=True, slots=True)
class Fault:
    """One failed attempt of a task: the ASL error name and cause the state machine sees.

    ``kind`` says what happened (``error``, ``throttle``, ``timeout``, ``heartbeat``); Retry and Catch
    only ever see ``error`` — a heartbeat loss is reported by AWS as ``States.Timeout`` like any timeout.
    """

    error: str
    cause: str = ""
    kind: str = "error"

    @classmethod
    def throttle(cls, service: str = "Lambda") -> "Fault":
        """The service refused the call for rate or concurrency (Lambda: 429 TooManyRequestsException)."""
        return cls(_THROTTLE_ERRORS.get(service, f"{service}.ThrottlingException"),
                   _THROTTLE_CAUSES.get(service, "Rate exceeded"), "throttle")

    @classmethod
    def timeout(cls) -> "Fault":
        """The task ran past its TimeoutSeconds."""
        return cls("States.Timeout", "", "timeout")

    @classmethod
    def heartbeat(cls) -> "Fault":
        """No heartbeat arrived within HeartbeatSeconds (AWS reports it as ``States.Timeout``)."""
        return cls("States.Timeout", "", "heartbeat")

    @classmethod
    def failure(cls, error: str, cause: str = "") -> "Fault":
        """Any named error, e.g. ``Fault.failure("Lambda.ServiceException", "Internal error")``."""
        return cls(error, cause, "error")

    def exception(self) -> TaskFailed:
        exc = TaskFailed(self.error, self.cause)
        exc.fault_kind = self.kind  # type: ignore[attr-defined]
        if self.kind == "heartbeat":
            # the runtime lets a States.HeartbeatTimeout matcher catch what AWS reports as States.Timeout
            exc.heartbeat = True  # type: ignore[attr-defined]
        return exc

    def __str__(self) -> str:
        return self.kind if self.kind in ("throttle", "timeout", "heartbeat") else f"error {self.error}"

    def __repr__(self) -> str:
        if self.kind == "throttle":
            service = self.error.split(".")[0]
            return "Fault.throttle()" if service == "Lambda" else f"Fault.throttle({service!r})"
        if self.kind != "error":
            return f"Fault.{self.kind}()"
        return f"Fault.failure({self.error!r}, {self.cause!r})"


@dataclass(frozen=True)
class FaultSchedule:
    """Which attempts of which Task states fail: ``plan[state][n]`` is the fault of attempt ``n``
    (``None``: that attempt runs normally). Attempts past the end of a list run normally. The state
    name ``"*"`` applies to every Task state that has no entry of its own."""

    plan: Mapping[str, tuple[Fault | None, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        frozen = {str(state): tuple(faults) for state, faults in dict(self.plan).items()}
        for state, faults in frozen.items():
            for fault in faults:
                if fault is not None and not isinstance(fault, Fault):
                    raise TypeError(f"the schedule of {state!r} holds {fault!r}, not a Fault or None")
        object.__setattr__(self, "plan", MappingProxyType(frozen))

    def fault_for(self, state: str, attempt: int) -> Fault | None:
        faults = self.plan.get(state, self.plan.get(ANY_STATE, ()))
        return faults[attempt] if attempt < len(faults) else None

    @property
    def faults(self) -> list[Fault]:
        return [f for faults in self.plan.values() for f in faults if f is not None]

    def count(self, kind: str | None = None) -> int:
        return sum(1 for f in self.faults if kind is None or f.kind == kind)

    def injector(self) -> "FaultInjector":
        return FaultInjector(self)

    def __repr__(self) -> str:
        rows = ", ".join(f"{state!r}: [{', '.join('None' if f is None else str(f) for f in faults)}]"
                         for state, faults in self.plan.items())
        return f"FaultSchedule({{{rows}}})"

    def __str__(self) -> str:
        if not self.plan:
            return "no faults"
        parts = []
        for state, faults in self.plan.items():
            attempts = ", ".join(f"#{n} {f}" for n, f in enumerate(faults) if f is not None)
            parts.append(f"{state}: {attempts or 'none'}")
        return "; ".join(parts)


class FaultInjector:
    """A task resolver that fails the scheduled attempts and passes every other one on to the resolvers
    after it. Put it first: ``machine.execute(input, resolvers=[schedule.injector()], lambdas=...)``.

    Counters are per injector: make one per execution (:meth:`FaultSchedule.injector`), or call
    :meth:`reset`. ``injected`` lists ``(state, attempt, fault)`` for what was actually applied.
    """

    def __init__(self, schedule: FaultSchedule):
        self.schedule = schedule
        self.attempts: Counter[str] = Counter()
        self.injected: list[tuple[str, int, Fault]] = []
        self._lock = threading.Lock()     # Map iterations and Parallel branches may run on threads

    def reset(self) -> None:
        with self._lock:
            self.attempts.clear()
            self.injected.clear()

    def accepts(self, resource: Any) -> bool:
        return True                       # any attempt may be scheduled to fail

    def invoke(self, request: Any) -> Any:
        state = getattr(request, "state_name", "")
        with self._lock:
            attempt = self.attempts[state]
            self.attempts[state] += 1
            fault = self.schedule.fault_for(state, attempt)
            if fault is not None:
                self.injected.append((state, attempt, fault))
        if fault is not None:
            raise fault.exception()
        if request.pass_on is None:
            from ..errors import ResolverNotFound

            raise ResolverNotFound(f"no resolver after the fault injector serves {request.resource.arn!r}")
        return request.pass_on(request)


def schedule(**plan: Iterable[Fault | None]) -> FaultSchedule:
    """Shorthand for state names that are Python identifiers: ``schedule(Charge=[Fault.throttle()])``."""
    return FaultSchedule({state: tuple(faults) for state, faults in plan.items()})
