"""Time, injected: every Wait, retry delay and task timeout goes through a :class:`Clock`.

Local runs use :class:`VirtualClock` by default: waiting only moves a number forward, so a 30-day Wait
returns at once and two runs of the same machine see the same timestamps. :class:`RealClock` really
sleeps, for people who want to watch a workflow breathe (``asl run --real-time``).
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Protocol, runtime_checkable

# Virtual time starts at a fixed instant so the same input gives the same history, timestamps included.
DEFAULT_START = datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp()


@runtime_checkable
class Clock(Protocol):
    """Seconds since the Unix epoch (``now``) and a way to let some of them pass (``sleep``)."""

    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class VirtualClock:
    """Time that passes only when someone waits; sleeping is instant and exact."""

    __slots__ = ("_now", "_lock")
    virtual = True

    def __init__(self, start: float | datetime | None = None):
        if isinstance(start, datetime):
            start = start.timestamp()
        self._now = DEFAULT_START if start is None else float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            with self._lock:
                self._now += seconds

    def advance_to(self, moment: float) -> None:
        """Move forward to ``moment`` (never backward): the join of concurrent branches."""
        with self._lock:
            if moment > self._now:
                self._now = moment

    def __repr__(self) -> str:
        return f"VirtualClock({format_timestamp(self._now)})"


class RealClock:
    """The wall clock; ``sleep`` really blocks."""

    __slots__ = ()
    virtual = False

    def advance_to(self, moment: float) -> None:
        self.sleep(moment - time.time())

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


def make_clock(clock: "Clock | str | None") -> Clock:
    """``"virtual"`` (default), ``"real"`` or any object with ``now()``/``sleep()``."""
    if clock is None or clock == "virtual":
        return VirtualClock()
    if clock == "real":
        return RealClock()
    if isinstance(clock, str):
        raise ValueError(f"unknown clock {clock!r}: use 'virtual', 'real' or a Clock object")
    if not (callable(getattr(clock, "now", None)) and callable(getattr(clock, "sleep", None))):
        raise TypeError("a clock needs now() -> float and sleep(seconds) methods")
    return clock


def format_timestamp(seconds: float) -> str:
    """ISO-8601 the way the context object shows it: UTC, milliseconds, trailing zeros dropped.

    ``2024-01-01T00:00:00Z``, ``2024-01-01T00:00:01.5Z``, ``2024-01-01T00:00:01.25Z``.
    """
    moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    millis = moment.microsecond // 1000
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if millis:
        text += (".%03d" % millis).rstrip("0")
    return text + "Z"


def to_datetime(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)
