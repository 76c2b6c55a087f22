"""Task tokens: ``.waitForTaskToken`` tasks wait here until someone calls back.

A resolver serving a ``.waitForTaskToken`` request :meth:`~CallbackHub.open`\\ s the token (with the
task's timeout and heartbeat), performs the API call that hands the token to a consumer (a queue
message, an event, a Lambda invocation), then :meth:`~CallbackHub.wait`\\ s. While waiting, the hub runs
the scheduler's due work in time order — an SQS consumer polling, an async Lambda, a delayed delivery —
so the consumer can call :meth:`send_task_success` / :meth:`send_task_failure` /
:meth:`send_task_heartbeat`. The wait ends with the output, a ``TaskFailed`` with the consumer's error,
or ``States.Timeout`` when the timeout or the heartbeat interval passes first (AWS reports heartbeat
expiry as ``States.Timeout`` too).

Handlers that only have the token can use the module-level :func:`send_task_success` etc.: every open
token remembers its hub.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
import weakref
from dataclasses import dataclass
from typing import Any

from ..errors import TIMEOUT, TaskFailed
from ..runtime import clock as clocks
from .scheduler import Scheduler

DEFAULT_TIMEOUT = 99999999.0
MAX_OUTPUT = 262144


class CallbackError(Exception):
    """A SendTask* call refused, with the Step Functions API error code."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass
class _Pending:
    token: str
    timeout_at: float
    heartbeat: float | None
    heartbeat_at: float
    done: bool = False
    output: Any = None
    error: str | None = None
    cause: str | None = None
    failed: bool = False
    timed_out: bool = False


_HUBS: "weakref.WeakValueDictionary[str, CallbackHub]" = weakref.WeakValueDictionary()


class CallbackHub:
    """Open task tokens of one environment."""

    def __init__(self, scheduler: Scheduler | None = None):
        self.scheduler = scheduler or Scheduler()
        self._pending: dict[str, _Pending] = {}
        self._closed: set[str] = set()
        self._cond = threading.Condition()

    @staticmethod
    def new_token() -> str:
        """A token for a request that came without one (the runtime gives every task its own).
        Random, not seeded: tokens are looked up across every hub of the process."""
        return uuid.uuid4().hex + uuid.uuid4().hex

    # -- task side --------------------------------------------------------------------------------
    def open(self, token: str, *, timeout: float | None = None, heartbeat: float | None = None) -> None:
        now = self.scheduler.now()
        limit = float(timeout) if timeout is not None else DEFAULT_TIMEOUT
        beat = float(heartbeat) if heartbeat is not None else None
        with self._cond:
            self._pending[token] = _Pending(token, now + limit, beat, now + beat if beat else float("inf"))
            self._closed.discard(token)
        _HUBS[token] = self

    def discard(self, token: str) -> None:
        with self._cond:
            self._pending.pop(token, None)
            self._closed.add(token)
        _HUBS.pop(token, None)

    def is_open(self, token: str) -> bool:
        entry = self._pending.get(token)
        return entry is not None and not entry.done

    def wait(self, token: str, *, clock: Any = None) -> Any:
        """Block (in virtual or real time) until the token completes; the output or TaskFailed."""
        if clock is not None:
            self.scheduler.attach(clock)
        entry = self._pending.get(token)
        if entry is None:
            raise TaskFailed("States.Runtime", f"Task token {token!r} was never opened")
        virtual = clocks.is_virtual(self.scheduler.clock)
        try:
            while True:
                if entry.done:
                    break
                now = self.scheduler.now()
                deadline = min(entry.timeout_at, entry.heartbeat_at)
                if now >= deadline:
                    entry.timed_out = True
                    raise TaskFailed(TIMEOUT, None)
                upcoming = self.scheduler.next_time()
                if upcoming is not None and upcoming <= deadline:
                    if upcoming > now and not virtual:
                        self._sleep_real(min(upcoming, deadline) - now, entry)
                        if entry.done:
                            break
                    self.scheduler.run_until(upcoming, stop=lambda: entry.done)
                elif virtual:
                    clocks.advance_to(self.scheduler.clock, deadline)
                else:
                    self._sleep_real(deadline - now, entry)
        finally:
            with self._cond:
                self._pending.pop(token, None)
                self._closed.add(token)
            _HUBS.pop(token, None)
            if clock is not None and clock is not self.scheduler.clock:
                clocks.advance_to(clock, self.scheduler.now())    # the waiting line's time passed too
        if entry.failed:
            raise TaskFailed(entry.error, entry.cause)
        return entry.output

    def _sleep_real(self, seconds: float, entry: _Pending) -> None:
        end = time.monotonic() + max(0.0, seconds)
        with self._cond:
            while not entry.done:
                left = end - time.monotonic()
                if left <= 0:
                    return
                self._cond.wait(min(left, 0.5))

    # -- consumer side (the SendTask* API) --------------------------------------------------------
    def _entry(self, token: Any) -> _Pending:
        if not isinstance(token, str) or not token or len(token) > 2048:
            raise CallbackError("InvalidToken", "Invalid Token: 'Task token is not valid'")
        entry = self._pending.get(token)
        if entry is None or entry.done:
            if token in self._closed:
                raise CallbackError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
            raise CallbackError("TaskDoesNotExist", "Task does not exist anymore")
        if self.scheduler.now() >= min(entry.timeout_at, entry.heartbeat_at):
            raise CallbackError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
        return entry

    def send_task_success(self, token: str, output: Any) -> None:
        """Complete the task with ``output`` (a JSON value; it becomes the task's result)."""
        try:
            text = json.dumps(output)
        except (TypeError, ValueError) as exc:
            raise CallbackError("InvalidOutput", f"Invalid Output: {exc}") from None
        if len(text.encode()) > MAX_OUTPUT:
            raise CallbackError("InvalidOutput", "Output exceeds the maximum size of 262144 bytes")
        with self._cond:
            entry = self._entry(token)
            entry.output = json.loads(text)
            entry.done = True
            self._cond.notify_all()

    def send_task_failure(self, token: str, error: str | None = None, cause: str | None = None) -> None:
        """Fail the task with ``error`` / ``cause`` (both optional, as in the API)."""
        if error is not None and len(str(error)) > 256:
            raise CallbackError("ValidationException", "error must be at most 256 characters")
        if cause is not None and len(str(cause)) > 32768:
            raise CallbackError("ValidationException", "cause must be at most 32768 characters")
        with self._cond:
            entry = self._entry(token)
            entry.failed = True
            entry.error = error
            entry.cause = cause
            entry.done = True
            self._cond.notify_all()

    def send_task_heartbeat(self, token: str) -> None:
        """Restart the heartbeat interval of a waiting task."""
        with self._cond:
            entry = self._entry(token)
            if entry.heartbeat:
                entry.heartbeat_at = self.scheduler.now() + entry.heartbeat


def _hub_for(token: str) -> CallbackHub:
    hub = _HUBS.get(token) if isinstance(token, str) else None
    if hub is None:
        raise CallbackError("TaskDoesNotExist", "Task does not exist anymore")
    return hub


def send_task_success(token: str, output: Any) -> None:
    """Complete an open task wherever it waits (for handlers that only hold the token)."""
    _hub_for(token).send_task_success(token, output)


def send_task_failure(token: str, error: str | None = None, cause: str | None = None) -> None:
    _hub_for(token).send_task_failure(token, error, cause)


def send_task_heartbeat(token: str) -> None:
    _hub_for(token).send_task_heartbeat(token)
