"""A deterministic scheduler: timed callbacks run in (time, sequence) order on an injected clock.

Every piece of deferred service work — a delayed SQS message becoming visible, an async Lambda attempt
and its retries, an SNS delivery, an event-source-mapping poll, a callback deadline — is one entry here.
Nothing sleeps in a thread: whoever needs time to pass (the callback hub while a task waits, a test
calling :meth:`Scheduler.run_until`) runs due entries in order and moves the clock to each entry's time.
Two entries at the same instant run in the order they were scheduled, so runs are reproducible.
"""
from __future__ import annotations

import heapq
import itertools
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from ..runtime import clock as clocks


@dataclass(order=True)
class Timer:
    """A scheduled callback; ``cancel()`` makes it a no-op."""

    when: float
    seq: int
    callback: Callable[[], Any] = field(compare=False)
    label: str = field(default="", compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class SchedulerClock:
    """The clock to hand the runtime: reading time is the underlying clock's, and letting time pass
    (a Wait state, a retry interval) runs the scheduled work that falls due on the way, in order."""

    def __init__(self, scheduler: "Scheduler"):
        self.scheduler = scheduler

    @property
    def virtual(self) -> bool:
        return clocks.is_virtual(self.scheduler.clock)

    def now(self) -> float:
        return self.scheduler.now()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.scheduler.run_for(seconds)

    advance = sleep

    def advance_to(self, when: float) -> None:
        if when > self.now():
            self.scheduler.run_until(when)

    def branch(self, start: float | None = None) -> "BranchClock":
        """A clock for one concurrent line (a Parallel branch, a Map iteration) starting now or at
        ``start``: its waits overlap with the other lines' instead of adding up, as on AWS."""
        return BranchClock(self.scheduler, self.now() if start is None else start)

    def __repr__(self) -> str:
        return f"SchedulerClock({self.scheduler.clock!r})"


class BranchClock:
    """One concurrent line's virtual time. The services live on the latest time any line reached:
    letting this line's time pass runs the scheduled work up to it (never backwards)."""

    def __init__(self, scheduler: "Scheduler", start: float):
        self.scheduler = scheduler
        self._now = float(start)

    @property
    def virtual(self) -> bool:
        return clocks.is_virtual(self.scheduler.clock)

    def now(self) -> float:
        return self._now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._now += seconds
            if self._now > self.scheduler.now():
                self.scheduler.run_until(self._now)

    advance = sleep

    def advance_to(self, when: float) -> None:
        if when > self._now:
            self.sleep(when - self._now)

    def branch(self, start: float | None = None) -> "BranchClock":
        return BranchClock(self.scheduler, self._now if start is None else start)


class Scheduler:
    """Timed work on one clock. Re-entrant: a callback may schedule more work or run the scheduler."""

    def __init__(self, clock: Any = None):
        self.clock = clock if clock is not None else clocks.VirtualClock()
        self._heap: list[Timer] = []
        self._seq = itertools.count()
        self._lock = threading.RLock()
        self._local = threading.local()          # how deep this thread is inside a callback
        self.errors: list[tuple[str, Exception]] = []   # callbacks that raised (label, exception)

    # -- clock ------------------------------------------------------------------------------------
    def attach(self, clock: Any) -> None:
        """Adopt the clock of the execution that is using the services (cheap when unchanged)."""
        if clock is None or clock is self.clock or getattr(clock, "scheduler", None) is self:
            return
        self.clock = clock

    def driving_clock(self) -> SchedulerClock:
        """A clock for the runtime that runs due work whenever time passes."""
        return SchedulerClock(self)

    def now(self) -> float:
        return clocks.now_of(self.clock)

    # -- scheduling -------------------------------------------------------------------------------
    def call_at(self, when: float, callback: Callable[[], Any], label: str = "") -> Timer:
        timer = Timer(float(when), next(self._seq), callback, label)
        with self._lock:
            heapq.heappush(self._heap, timer)
        return timer

    def call_later(self, delay: float, callback: Callable[[], Any], label: str = "") -> Timer:
        return self.call_at(self.now() + max(0.0, float(delay)), callback, label)

    def pending(self) -> list[Timer]:
        """The live timers in the order they will run."""
        with self._lock:
            return sorted(t for t in self._heap if not t.cancelled)

    def next_time(self) -> float | None:
        with self._lock:
            while self._heap and self._heap[0].cancelled:
                heapq.heappop(self._heap)
            return self._heap[0].when if self._heap else None

    # -- running ----------------------------------------------------------------------------------
    def _pop_due(self, limit: float) -> Timer | None:
        with self._lock:
            while self._heap:
                head = self._heap[0]
                if head.cancelled:
                    heapq.heappop(self._heap)
                    continue
                if head.when <= limit:
                    return heapq.heappop(self._heap)
                return None
            return None

    def run_due(self) -> int:
        """Catch up with every entry due at the current time; returns how many ran. A no-op inside a
        callback: the outer loop runs the rest in order (a nested catch-up would reorder them)."""
        if getattr(self._local, "depth", 0):
            return 0
        return self.run_until(self.now())

    def _fire(self, timer: Timer) -> None:
        clocks.advance_to(self.clock, timer.when)
        self._local.depth = getattr(self._local, "depth", 0) + 1
        try:
            timer.callback()
        except Exception as exc:  # noqa: BLE001 - a consumer's bug must not break whoever is waiting
            self.errors.append((timer.label, exc))
        finally:
            self._local.depth -= 1

    def run_until(self, when: float, *, stop: Callable[[], bool] | None = None) -> int:
        """Run entries up to epoch time ``when`` in order, moving the clock to each; stop early when
        ``stop()`` becomes true (checked after each entry). The clock ends at ``when`` unless stopped."""
        ran = 0
        while True:
            if stop is not None and stop():
                return ran
            timer = self._pop_due(when)
            if timer is None:
                break
            self._fire(timer)
            ran += 1
        if stop is None or not stop():
            clocks.advance_to(self.clock, when)
        return ran

    def run_for(self, seconds: float, **kw: Any) -> int:
        return self.run_until(self.now() + seconds, **kw)

    def drain(self, *, horizon: float = 366 * 86400.0, max_steps: int = 1_000_000) -> int:
        """Run everything scheduled (and everything it schedules) up to ``horizon`` seconds from now."""
        limit = self.now() + horizon
        ran = 0
        while ran < max_steps:
            timer = self._pop_due(limit)
            if timer is None:
                break
            self._fire(timer)
            ran += 1
        return ran
