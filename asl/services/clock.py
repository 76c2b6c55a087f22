"""Clock adapters: the services accept whatever clock the runtime owns.

The runtime's clock is duck-typed here so the services never import the runtime: ``now()`` (epoch
seconds as a float, or an aware ``datetime``) and one of ``advance(seconds)`` / ``sleep(seconds)``.
A clock whose ``virtual`` (or ``is_virtual``) attribute is false is a real clock: waiting on it really
sleeps. :class:`SimClock` is the services' own virtual clock, used when nobody injected one.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Any


class SimClock:
    """A virtual clock: time moves only when someone advances it (a Wait of a year is instant)."""

    virtual = True

    def __init__(self, start: float | None = None):
        self._now = float(time.time() if start is None else start)
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds > 0:
            with self._lock:
                self._now += seconds

    sleep = advance

    def advance_to(self, when: float) -> None:
        with self._lock:
            if when > self._now:
                self._now = when


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
    if seconds <= 0:
        return
    if clock is None:
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
