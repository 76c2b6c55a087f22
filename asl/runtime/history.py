"""Execution history: the events GetExecutionHistory would return, recorded cheaply.

Recording is on the hot path (two events per state), so an event is stored as a plain tuple holding
*references* to the state data, and turned into the API's dict shape (data fields as JSON text) only
when someone reads :attr:`asl.runtime.Execution.history`. That is safe because the engine never
mutates a JSON value in place: every step builds new containers.

Event ids are counted even when recording is off: AWS puts "entered at the event id #N" in error causes
and fails a Standard execution past 25,000 events, and both must not depend on whether we record.

``previousEventId`` follows AWS: each line of execution (the execution itself, a Parallel branch, a Map
iteration) chains its events; a few bookkeeping events (``MapIterationSucceeded``, ``MapStateSucceeded``,
...) hang off the chain without moving it, which is why AWS shows, e.g., ``MapStateExited`` pointing at
the same event as ``MapStateSucceeded``.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterator

# Fields of event details that carry state data: rendered as JSON text, with a ``<field>Details``
# sibling ({"truncated": false}) for input and output, as GetExecutionHistory does.
_DATA_FIELDS = ("input", "output")
_TEXT_FIELDS = ("parameters",)
MAX_DATA_CHARS = 262_144


def to_json(value: Any) -> str:
    """Compact JSON text the way Step Functions writes data (no spaces, non-ASCII kept).

    Never raises: a value that is not JSON (a Python object a handler returned, a structure nested
    past the recursion limit) is shown as text rather than breaking the history.
    """
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    except (ValueError, RecursionError):
        return json.dumps(f"<{type(value).__name__} that cannot be written as JSON>")


def render_event(event: tuple) -> dict[str, Any]:
    """One stored event tuple as a GetExecutionHistory event dict."""
    event_id, previous, seconds, type_, key, details = event
    out: dict[str, Any] = {
        "id": event_id,
        "previousEventId": previous,
        "timestamp": datetime.fromtimestamp(seconds, tz=timezone.utc),
        "type": type_,
    }
    if key is not None:
        out[key] = render_details(details)
    return out


def render_details(details: dict[str, Any]) -> dict[str, Any]:
    rendered: dict[str, Any] = {}
    for field, value in details.items():
        if field in _DATA_FIELDS:
            text = to_json(value)
            rendered[field] = _truncate(text)
            rendered[field + "Details"] = {"truncated": len(text) > MAX_DATA_CHARS}
        elif field in _TEXT_FIELDS:
            rendered[field] = _truncate(to_json(value))
        elif field == "assignedVariables":
            rendered[field] = {name: to_json(v) for name, v in value.items()}
            rendered["assignedVariablesDetails"] = {"truncated": False}
        else:
            rendered[field] = value
    return rendered


def _truncate(text: str) -> str:
    return text if len(text) <= MAX_DATA_CHARS else text[:MAX_DATA_CHARS]


class HistoryLog:
    """The events of one execution, shared by every branch and iteration of it.

    ``count`` is the id of the latest event (recorded or not); ``events`` holds tuples only when
    ``recording`` is true.
    """

    __slots__ = ("events", "count", "recording", "_rendered", "lock")

    def __init__(self, recording: bool = True):
        self.lock = None        # a threading.Lock once lines run in threads (real clock only)
        self.events: list[tuple] = []
        self.count = 0
        self.recording = recording
        self._rendered: list[dict[str, Any]] | None = None

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rendered())

    def rendered(self) -> list[dict[str, Any]]:
        if self._rendered is None or len(self._rendered) != len(self.events):
            events = self.events
            if self.lock is not None:       # threads may have appended out of id order
                events = sorted(events, key=lambda event: event[0])
            self._rendered = [render_event(e) for e in events]
        return self._rendered
