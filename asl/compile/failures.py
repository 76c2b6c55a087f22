"""How failures travel through a run: one exception class, with AWS's cause texts.

A state that fails raises :class:`~asl.errors.StatesError` (``error`` = the ASL name, ``cause`` its
text). Two extra flags ride on it:

* ``terminal`` — nothing may catch it except a matcher naming it exactly (the 256 KiB state-data limit,
  the history limit); ``States.ALL`` and ``States.TaskFailed`` let it through;
* ``in_state`` — the cause already names the state it happened in, so an enclosing Map or Parallel does
  not prefix it again.
"""
from __future__ import annotations

from typing import Any

from ..errors import DATA_LIMIT_EXCEEDED, QUERY_EVALUATION_ERROR, StatesError


def failure(error: str | None, cause: str | None = None, *, terminal: bool = False) -> StatesError:
    exc = StatesError(error, cause)   # type: ignore[arg-type] - a Fail state may have no error name
    exc.terminal = terminal           # type: ignore[attr-defined]
    return exc


PREFIX = "An error occurred while executing the state '"


def in_state(exc: StatesError, state_name: str, entered_id: int, frame: Any = None) -> StatesError:
    """AWS prefixes data-flow errors (paths, intrinsics, JSONata) with where they happened, and records
    a JSONata failure as an ``EvaluationFailed`` event first (pass ``frame`` for that)."""
    if getattr(exc, "in_state", False):
        return exc
    if exc.cause is not None and exc.cause.startswith(PREFIX):
        exc.in_state = True   # type: ignore[attr-defined]
        prefixed = exc
    else:
        prefixed = _prefixed(exc, state_name, entered_id)
    if frame is not None and prefixed.error == QUERY_EVALUATION_ERROR:
        details = {"error": prefixed.error, "cause": prefixed.cause}
        location = getattr(exc, "location", None)
        if location:
            details["location"] = location
        details["state"] = state_name
        # AWS chains EvaluationFailed to whatever the state's Entered event followed
        log = frame.run.log
        if getattr(exc, "follows_entered", False):
            previous = None
        else:
            previous = log.events[entered_id - 1][1] if log.recording and 0 < entered_id <= len(log.events) else 0
        frame.event("EvaluationFailed", "evaluationFailedEventDetails", details, previous=previous)
    return prefixed


def _prefixed(exc: StatesError, state_name: str, entered_id: int) -> StatesError:
    cause = (f"An error occurred while executing the state '{state_name}' (entered at the event id "
             f"#{entered_id}). {exc.cause or ''}")
    prefixed = StatesError(exc.error, cause)
    prefixed.terminal = getattr(exc, "terminal", False)          # type: ignore[attr-defined]
    prefixed.in_state = True                                      # type: ignore[attr-defined]
    prefixed.location = getattr(exc, "location", None)            # type: ignore[attr-defined]
    return prefixed


def data_limit_exceeded(what: str, *, terminal: bool) -> StatesError:
    return failure(DATA_LIMIT_EXCEEDED,
                   f"The state/task '{what}' returned a result with a size exceeding the maximum number of "
                   "bytes service limit.", terminal=terminal)


def error_output(exc: StatesError) -> dict:
    """The Error Output a Catcher receives: both keys always present (AWS binds a missing one as "")."""
    return {"Error": exc.error if exc.error is not None else "",
            "Cause": exc.cause if exc.cause is not None else ""}
