"""Time, injected: every Wait, retry delay, task timeout and service delivery goes through a clock.

This is the one clock module of aslkit: the runtime and the in-memory services both use it (the services
may import it; it imports nothing from them).

* :class:`VirtualClock` is the default for local runs: waiting only moves a number forward, so a 30-day
  Wait returns at once and two runs of the same machine see the same timestamps. :meth:`~VirtualClock.branch`
  gives a concurrent line (a Parallel branch, a Map iteration, a child execution) its own time that starts
  now, so concurrent waits overlap as they do on AWS instead of adding up.
* :class:`RealClock` really sleeps, for people who want to watch a workflow breathe (``asl run --real-time``).
* Any object with ``now()`` and ``sleep()`` is a clock too (the services' ``SchedulerClock`` is one: letting
  its time pass runs the deliveries that fall due). The duck-typed helpers (:func:`now_of`, :func:`advance`,
  :func:`advance_to`, :func:`is_virtual`) accept such clocks, ``None`` and clocks whose ``now()`` answers a
  ``datetime``.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Any, Protocol, runtime_checkable

# Virtual time starts at a fixed instant so the same input gives the same history, timestamps included.
DEFAULT_START = datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp()


@runtime_checkable
class Clock(Protocol):
    """Seconds since the Unix epoch (``now``) and a way to let some of them pass (``sleep``).

    Optional: ``virtual`` (false for wall-clock time), ``advance_to(moment)`` (never backwards) and
    ``branch(start=None)`` (a clock for a concurrent line that starts now or at ``start``)."""

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

    advance = sleep

    def advance_to(self, moment: float) -> None:
        """Move forward to ``moment`` (never backward): the join of concurrent branches."""
        with self._lock:
            if moment > self._now:
                self._now = moment

    def branch(self, start: float | None = None) -> "VirtualClock":
        """A clock of its own for a concurrent line starting now (or at ``start``)."""
        return VirtualClock(self._now if start is None else start)

    def __repr__(self) -> str:
        return f"VirtualClock({format_timestamp(self._now)})"


class RealClock:
    """The wall clock; ``sleep`` really blocks. Concurrent lines share it (no ``branch``)."""

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


def branch_of(clock: Any, start: float | None = None) -> Any:
    """``clock.branch(start)`` when the clock can branch (virtual clocks); else the clock itself."""
    branch = getattr(clock, "branch", None)
    return clock if branch is None else branch(start)


# -- duck-typed helpers (clocks that are None, answer datetimes, or only have advance/sleep) -------------
def is_virtual(clock: Any) -> bool:
    """A clock is virtual unless it says otherwise (local runs default to virtual time)."""
    if clock is None:
        return True
    for name in ("virtual", "is_virtual"):
        value = getattr(clock, name, None)
        if value is not None:
            return bool(value() if callable(value) else value)
    return True


def now_of(clock: Any) -> float:
    """Epoch seconds on ``clock`` (real time when there is no clock)."""
    if clock is None:
        return time.time()
    for name in ("now", "time", "timestamp"):
        fn = getattr(clock, name, None)
        if fn is not None:
            value = fn() if callable(fn) else fn
            if isinstance(value, datetime):
                if value.tzinfo is None:
                    value = value.replace(tzinfo=timezone.utc)
                return value.timestamp()
            return float(value)
    return time.time()


def advance(clock: Any, seconds: float) -> None:
    """Let ``seconds`` pass on ``clock``: instantly on a virtual clock, really on a real one."""
    if seconds <= 0 or clock is None:
        return
    for name in ("advance", "sleep"):
        fn = getattr(clock, name, None)
        if callable(fn):
            fn(seconds)
            return
    if not is_virtual(clock):
        time.sleep(seconds)


def advance_to(clock: Any, when: float) -> None:
    """Move ``clock`` forward to the epoch time ``when`` (never backwards)."""
    fn = getattr(clock, "advance_to", None)
    if callable(fn):
        fn(when)
        return
    delta = when - now_of(clock)
    if delta > 0:
        advance(clock, delta)


# -- how times are written ---------------------------------------------------------------------------
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


def iso8601(epoch: float) -> str:
    """``2024-01-01T12:00:00.000Z`` as AWS prints timestamps in events and envelopes."""
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso8601_seconds(epoch: float) -> str:
    """``2024-01-01T12:00:00Z`` (EventBridge event times)."""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc1123(epoch: float) -> str:
    """HTTP ``Date`` header text."""
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")
