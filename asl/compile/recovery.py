"""Retry and Catch, compiled once for a Task, Parallel or Map state, and what those three states share.

Retriers are scanned in order and the first whose ErrorEquals matches decides: retry while its own
counter is below MaxAttempts (the delay grows by BackoffRate, capped by MaxDelaySeconds, jittered
with the run's seeded random source when JitterStrategy is FULL), otherwise go to Catch — a later
retrier is never consulted. Counters live in the state's run, so they reset whenever the state is left.
"""
from __future__ import annotations

from typing import Any

from ..errors import StatesError
from ..model import ABSENT
from ..payload import compile_template
from ..runtime.retry import error_matches, retry_delay
from .base import (
    CompiledState, ResultPath, Scope, check_output, compile_result_path, evaluate_assign, jsonata_io, mentions,
)
from .failures import error_output, in_state


def _number(value: Any, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return value


class Retrier:
    __slots__ = ("error_equals", "interval", "max_attempts", "backoff", "max_delay", "full_jitter")

    def __init__(self, model: Any):
        self.error_equals = tuple(model.error_equals)
        self.interval = _number(model.interval_seconds, 1)
        self.max_attempts = int(_number(model.max_attempts, 3))
        self.backoff = _number(model.backoff_rate, 2.0)
        max_delay = model.max_delay_seconds
        self.max_delay = None if max_delay is ABSENT else _number(max_delay, None)  # type: ignore[arg-type]
        self.full_jitter = model.jitter_strategy == "FULL"


class Catcher:
    __slots__ = ("error_equals", "next", "result_path", "assign", "jio", "uses_context")

    def __init__(self, model: Any, jsonata: bool):
        self.error_equals = tuple(model.error_equals)
        self.next = model.next if isinstance(model.next, str) else None
        self.jio = jsonata_io().CatcherIO(model) if jsonata else None
        self.result_path: ResultPath | None = None if jsonata else compile_result_path(model.result_path)
        self.assign = None if jsonata or model.assign is ABSENT else compile_template(model.assign, field="Assign")
        self.uses_context = mentions(model.raw, "$$")

    def output(self, raw: Any, exc: StatesError, scope: Scope) -> tuple[Any, dict | None]:
        """The state's output when this catcher handles ``exc``, and the variables it assigns."""
        error = error_output(exc)
        if self.jio is not None:
            return self.jio.output(raw, error, scope)
        assigned = None
        if self.assign is not None:
            ctx = scope.context() if self.uses_context else None
            assigned = evaluate_assign(self.assign, error, ctx, scope)
        out = error if self.result_path is None else self.result_path.apply(raw, error)
        return out, assigned


class Recovery:
    """The Retry and Catch of one state."""

    __slots__ = ("retriers", "catchers")

    def __init__(self, model: Any, jsonata: bool):
        self.retriers = tuple(Retrier(r) for r in model.retry)
        self.catchers = tuple(Catcher(c, jsonata) for c in model.catch)

    def __bool__(self) -> bool:
        return bool(self.retriers or self.catchers)

    def retry_after(self, exc: StatesError, counters: list[int], rng: Any) -> float | None:
        """Seconds to wait before retrying, or None when no retrier will retry ``exc``."""
        for index, retrier in enumerate(self.retriers):
            if error_matches(exc, retrier.error_equals):
                attempt = counters[index]
                if attempt >= retrier.max_attempts:
                    return None
                counters[index] = attempt + 1
                return retry_delay(retrier.interval, retrier.backoff, attempt, retrier.max_delay,
                                   retrier.full_jitter, rng)
        return None

    def catcher_for(self, exc: StatesError) -> Catcher | None:
        for catcher in self.catchers:
            if error_matches(exc, catcher.error_equals):
                return catcher
        return None


class RecoverableState(CompiledState):
    """Task, Parallel and Map: each run is attempts of the state's work under its Retry and Catch, and a
    successful attempt's result goes through the same data flow (ResultSelector -> ResultPath ->
    OutputPath, or JSONata Output, plus Assign). Subclasses set ``io`` / ``jio`` and implement
    ``_attempt(data, frame, scope) -> (output, assigned)``."""

    __slots__ = ("io", "jio", "recovery")

    def __init__(self, model: Any):
        super().__init__(model)
        self.recovery = Recovery(model, self.jsonata)

    def run(self, data: Any, frame: Any) -> tuple[str | None, Any]:
        return run_with_recovery(self, data, frame, self._attempt)

    def _attempt(self, data: Any, frame: Any, scope: Scope) -> tuple[Any, dict | None]:  # pragma: no cover
        raise NotImplementedError

    def finish(self, data: Any, result: Any, scope: Scope) -> tuple[Any, dict | None]:
        """The state's output and assigned variables for ``result`` (``data`` is the state's raw input)."""
        try:
            if self.jio is not None:
                return self.jio.finish(data, result, scope)
            io = self.io
            assigned = io.assigned(result, scope) if io.assign is not None else None
            return io.finish(data, result, scope), assigned
        except StatesError as exc:
            raise in_state(exc, self.name, scope.entered_id, scope.frame) from None


def run_with_recovery(state: Any, data: Any, frame: Any, attempt: Any) -> tuple[str | None, Any]:
    """Run ``attempt(data, frame, scope) -> (output, assigned)`` under the state's Retry and Catch.

    Records the state's Entered event first and its Exited event last (also when a catcher handles
    the error); a failure nothing handles propagates.
    """
    entered = frame.entered(state.entered_type, state.name, data)
    scope = Scope(frame, state.name, entered, frame.clock.now())
    recovery = state.recovery
    counters = [0] * len(recovery.retriers) if recovery.retriers else None
    retries = 0
    while True:
        scope.retry_count = retries
        try:
            out, assigned = attempt(data, frame, scope)
            check_output(out, state.name)
            break
        except StatesError as exc:
            if counters is not None:
                delay = recovery.retry_after(exc, counters, frame.run.rng)
                if delay is not None:
                    frame.sleep(delay)
                    retries += 1
                    scope.reset_context()
                    continue
            failed_event = getattr(exc, "state_failed_event", None)
            if failed_event is not None:
                # Map/Parallel record their failure only once no retry follows
                exc.state_failed_event = None   # type: ignore[attr-defined]
                frame.event(failed_event)
            catcher = recovery.catcher_for(exc) if recovery.catchers else None
            if catcher is None:
                if frame.in_branch and state.type == "Task":
                    # AWS stops the failing branch's Task as it stops its siblings
                    frame.event("TaskStateAborted", advance=False)
                raise
            try:
                out, assigned = catcher.output(data, exc, scope)
            except StatesError as inner:
                raise in_state(inner, state.name, entered, frame) from None
            if assigned:
                frame.variables.update(assigned)
            frame.exited(state.exited_type, state.name, out, assigned)
            return catcher.next, out
    if assigned:
        frame.variables.update(assigned)
    frame.exited(state.exited_type, state.name, out, assigned)
    return state.next, out
