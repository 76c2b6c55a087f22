"""Real concurrency for Parallel branches and Map iterations, used only on a real clock.

On virtual time (the default) branches and iterations run one after the other, each on its own
virtual clock, which gives AWS's timing and a deterministic history at no cost. On a real clock that
would make waits add up, so there they run in threads: at most MaxConcurrency at a time (AWS's inline
cap of 40 when unlimited). Lines running in threads use :class:`LockedFrame`, which records events
under the run's history lock and stops at its next state once a sibling has failed.
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from ..errors import StatesError
from ..runtime.frame import Frame

MAX_THREADS = 40


class Cancelled(Exception):
    """A sibling failed: this line stops at its next state (AWS aborts it)."""


class LockedFrame(Frame):
    """A Frame whose events are recorded under the run's lock, and that can be cancelled."""

    __slots__ = ("cancel",)

    def event(self, *args: Any, **kwargs: Any) -> int:
        with self.run.log.lock:
            return Frame.event(self, *args, **kwargs)

    def entered(self, type_: str, name: str, data: Any) -> int:
        if self.cancel.is_set():
            raise Cancelled()
        with self.run.log.lock:
            return Frame.entered(self, type_, name, data)

    def sleep(self, seconds: float) -> None:
        """Wait in short slices so that a failing sibling stops this line at once."""
        end = self.clock.now() + seconds
        while True:
            if self.cancel.is_set():
                raise Cancelled()
            left = end - self.clock.now()
            if left <= 0:
                return
            Frame.sleep(self, min(0.05, left))

    def exited(self, type_: str, name: str, data: Any, assigned: dict | None = None) -> int:
        with self.run.log.lock:
            return Frame.exited(self, type_, name, data, assigned)

    def child(self, *, variables: dict | None = None, label: str = "", clock: Any = None) -> "LockedFrame":
        frame = locked_child(self, variables=variables, label=label, cancel=self.cancel)
        if clock is not None:
            frame.clock = clock
        return frame

    def detached(self, clock: Any = None) -> "LockedFrame":
        frame = LockedFrame(self.run.fork(), {}, 0, self.depth + 1, self.label, clock or self.clock)
        frame.cancel = self.cancel
        frame.run.log.lock = threading.Lock()
        return frame


def locked_child(parent: Frame, *, variables: dict | None, label: str, cancel: threading.Event) -> LockedFrame:
    frame = LockedFrame(parent.run, dict(parent.variables) if variables is None else variables, parent.last,
                        parent.depth + 1, label, parent.clock)
    frame.cancel = cancel
    return frame


def threads_wanted(frame: Frame, count: int) -> bool:
    """Threads pay off only on a real clock and with more than one line to run."""
    return count > 1 and not getattr(frame.clock, "virtual", True)


def run_lines(frame: Frame, count: int, limit: int | None, line: Callable[[int, LockedFrame], Any],
              *, label: str, share_variables: bool, tolerate: Callable[[int, StatesError], bool] | None = None,
              ) -> tuple[list[Any], list[int]]:
    """Run ``line(index, child_frame)`` for every index in threads; returns (results, failed indexes).

    The first failure that ``tolerate`` does not accept cancels the other lines and is raised once
    every thread has stopped; the frame's ``last`` then points at the failing line's last event.
    """
    log = frame.run.log
    if getattr(log, "lock", None) is None:
        log.lock = threading.Lock()
    cancel = threading.Event()
    results: list[Any] = [None] * count
    failed: list[int] = []
    first_failure: list[tuple[StatesError, int]] = []
    guard = threading.Lock()

    def work(index: int) -> None:
        child = locked_child(frame, variables=frame.variables if share_variables else None, label=label,
                             cancel=cancel)
        try:
            results[index] = line(index, child)
        except Cancelled:
            return
        except StatesError as exc:
            with guard:
                failed.append(index)
                if tolerate is not None and tolerate(index, exc):
                    return
                if not first_failure:
                    first_failure.append((exc, child.last))
                    cancel.set()
        except BaseException as exc:   # abort, timeout or a bug: stop the others, re-raise below
            with guard:
                if not first_failure:
                    first_failure.append((exc, child.last))
                    cancel.set()

    from concurrent.futures import ThreadPoolExecutor  # only real-clock runs need threads

    workers = max(1, min(count, limit or MAX_THREADS, MAX_THREADS))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"asl-{label}") as pool:
        for future in [pool.submit(work, index) for index in range(count)]:
            future.result()
    if first_failure:
        exc, last = first_failure[0]
        frame.last = last
        raise exc
    frame.last = log.count
    return results, failed
