"""What a Python handler meets inside Lambda: the ``context`` object, the Python runtime's marshalling
and error documents (stack traces shown under ``/var/task``), and the time budget it runs under.

The budget is enforced two ways. On virtual time the handler runs inline: its ``time.sleep`` advances
the invocation's virtual time (:class:`SleepRouter`), and a watchdog thread interrupts a handler that
stays busy past its timeout in real time. On real time it runs on a pooled worker thread, so the caller
can stop waiting at the deadline even while the handler is blocked. The service that decides when and
how often handlers run is :mod:`asl.services.lambda_`.
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import os
import queue
import sysconfig
import threading
import time
import traceback
from typing import Any, Callable, Mapping

# --------------------------------------------------------------------------------------------------
# virtual time inside handlers
# --------------------------------------------------------------------------------------------------
class SleepRouter:
    """``time.sleep`` inside a handler on virtual time advances the invocation's virtual time instead.

    Python has no per-thread ``time.sleep``, so the ``time`` module's attribute is replaced — only while
    at least one handler runs on virtual time (a count under a lock), and put back when the last one
    returns. The replacement looks up a thread-local hook: the handler's thread gets the virtual sleep,
    every other thread that sleeps meanwhile sleeps for real through whatever ``time.sleep`` was before.
    A handler module that bound the function itself (``from time import sleep``) is not redirected: its
    sleeps are real.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0                       # handlers running with a hook, all threads together
        self._previous: Callable[[float], None] = time.sleep   # what time.sleep was before routing
        self._local = threading.local()
        self._routed = self._sleep             # one bound method, so ``time.sleep is self._routed`` holds

    def _sleep(self, seconds: float) -> None:
        hook = getattr(self._local, "hook", None)
        if hook is None:
            self._previous(seconds)
        else:
            hook(seconds)

    def enter(self, hook: Callable[[float], None]) -> Any:
        """Route this thread's ``time.sleep`` to ``hook``; returns what :meth:`leave` needs."""
        with self._lock:
            if self._active == 0 and time.sleep is not self._routed:
                self._previous = time.sleep
                time.sleep = self._routed
            self._active += 1
        outer = getattr(self._local, "hook", None)     # a handler that invokes another one nests
        self._local.hook = hook
        return outer

    def leave(self, outer: Any) -> None:
        """Undo :meth:`enter`: this thread's previous hook; the real ``time.sleep`` once nobody routes."""
        self._local.hook = outer
        with self._lock:
            self._active -= 1
            if self._active == 0 and time.sleep is self._routed:
                time.sleep = self._previous

    @property
    def routing(self) -> bool:
        """Is ``time.sleep`` replaced right now (for tests)."""
        return time.sleep is self._routed


SLEEP_ROUTER = SleepRouter()


class HandlerDeadline(BaseException):
    """Raised inside a handler when its time is up (BaseException: ``except Exception`` won't eat it)."""


def kill_thread(thread: threading.Thread) -> None:
    """Best effort: raise HandlerDeadline in a runaway handler thread (works for pure-Python loops)."""
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(HandlerDeadline))


class _Worker(threading.Thread):
    """A reusable thread that runs handler invocations (starting a thread per call costs ~10x more).

    Handlers run off the caller's thread so a runaway one can be abandoned at its deadline; a worker
    killed that way (or one still stuck) simply does not come back to the idle list until it is free."""

    def __init__(self, pool: "_WorkerPool"):
        super().__init__(name="asl-lambda-worker", daemon=True)
        self.pool = pool
        self.jobs: "queue.SimpleQueue[Callable[[], None]]" = queue.SimpleQueue()

    def run(self) -> None:
        while True:
            try:
                job = self.jobs.get()
                job()
            except HandlerDeadline:      # a kill that arrived after its job was over
                pass
            self.pool.release(self)


class _WorkerPool:
    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def submit(self, job: Callable[[], None]) -> _Worker:
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker = _Worker(self)
            worker.start()
        worker.jobs.put(job)
        return worker

    def release(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < 64:
                self._idle.append(worker)


WORKER_POOL = _WorkerPool()


class _Guard:
    """One inline handler run the watchdog may interrupt."""

    __slots__ = ("ident", "deadline", "fired")

    def __init__(self, ident: int, deadline: float):
        self.ident = ident
        self.deadline = deadline
        self.fired = False


class _Watchdog:
    """Interrupts handlers that run inline (virtual time) past their real-time budget.

    A busy loop cannot be stopped from inside its own thread, so one daemon thread raises
    ``HandlerDeadline`` in it (``PyThreadState_SetAsyncExc``), at most once a second, and only while the
    run is registered; :meth:`leave` unregisters under the same lock and then clears a kill that may
    still be pending, so nothing fires once the handler's run is over."""

    def __init__(self) -> None:
        self._guards: set[_Guard] = set()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._wake_at = float("inf")           # when the watchdog thread looks next

    def enter(self, seconds: float) -> _Guard:
        guard = _Guard(threading.get_ident(), time.monotonic() + seconds)
        with self._cond:
            self._guards.add(guard)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="asl-lambda-watchdog", daemon=True)
                self._thread.start()
            elif guard.deadline < self._wake_at:
                self._cond.notify()
        return guard

    def leave(self, guard: _Guard) -> None:
        while True:
            try:
                with self._cond:
                    self._guards.discard(guard)
                break
            except HandlerDeadline:        # a kill that arrived on the way out: we are leaving anyway
                continue
        if guard.fired:
            try:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(guard.ident), None)
            except HandlerDeadline:
                pass

    def _loop(self) -> None:
        while True:
            with self._cond:
                now = time.monotonic()
                for guard in list(self._guards):
                    if guard.deadline <= now:
                        guard.fired = True
                        guard.deadline = now + 1.0
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(guard.ident),
                                                                   ctypes.py_object(HandlerDeadline))
                self._wake_at = min((g.deadline for g in self._guards), default=now + 60.0)
                self._cond.wait(max(0.01, self._wake_at - now))


WATCHDOG = _Watchdog()


# --------------------------------------------------------------------------------------------------
# the context object and the runtime's error payload
# --------------------------------------------------------------------------------------------------
class CognitoIdentity:
    cognito_identity_id = None
    cognito_identity_pool_id = None


class ClientContext:
    def __init__(self, data: Mapping[str, Any]):
        self.client = data.get("client")
        self.custom = data.get("custom")
        self.env = data.get("env")


class LambdaContext:
    """The ``context`` argument, with the attributes and methods of the Python runtime's object."""

    def __init__(self, function: Any, request_id: str, invoked_arn: str, version: str,
                 budget: Callable[[], float], client_context: Any = None, log: list[str] | None = None):
        self.function_name = function.name
        self.function_version = version
        self.invoked_function_arn = invoked_arn
        self.memory_limit_in_mb = str(function.memory_size)
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{function.name}"
        self.identity = CognitoIdentity()
        self.client_context = ClientContext(client_context) if isinstance(client_context, Mapping) else None
        self.tenant_id = None
        self._budget = budget
        self._log = log if log is not None else []

    @property
    def log_stream_name(self) -> str:
        """Shaped like Lambda's (``2024/01/01/[$LATEST]<hex>``). The date is deliberately today's real
        one: the context object carries no clock, and a stream name is shown, never compared."""
        day = time.strftime("%Y/%m/%d", time.gmtime())
        return f"{day}/[{self.function_version}]{hashlib.md5(self.aws_request_id.encode()).hexdigest()}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int(self._budget() * 1000))

    def log(self, message: str) -> None:
        self._log.append(str(message))

    def __repr__(self) -> str:
        return (f"LambdaContext([aws_request_id={self.aws_request_id},log_group_name={self.log_group_name},"
                f"function_name={self.function_name},function_version={self.function_version},"
                f"invoked_function_arn={self.invoked_function_arn}])")


_STDLIB = os.path.realpath(sysconfig.get_paths()["stdlib"])
_PURELIB = os.path.realpath(sysconfig.get_paths()["purelib"])
_SERVICES_DIR = os.path.dirname(os.path.realpath(__file__))     # aslkit's own frames around the handler call


def display_path(filename: str, code_root: str | None = None) -> str:
    """Where a frame's file would live on Lambda: code under /var/task, the stdlib under /var/lang.

    Code that has no file on disk (compiled from a string) is shown as AWS's conventional
    ``/var/task/handler.py``.
    """
    if not filename or filename.startswith("<") or not os.path.isfile(filename):
        return "/var/task/handler.py"
    real = os.path.realpath(filename)
    if code_root:
        root = os.path.realpath(code_root)
        if real.startswith(root + os.sep):
            return "/var/task/" + os.path.relpath(real, root).replace(os.sep, "/")
    if real.startswith(_PURELIB + os.sep):
        return "/var/task/" + os.path.relpath(real, _PURELIB).replace(os.sep, "/")
    if real.startswith(_STDLIB + os.sep):
        return "/var/lang/lib/python3.12/" + os.path.relpath(real, _STDLIB).replace(os.sep, "/")
    return "/var/task/" + os.path.basename(real)


def stack_trace(tb: Any, code_root: str | None = None) -> list[str]:
    """The handler's frames formatted like the runtime's ``traceback.format_list`` (no carets); the
    leading frames of aslkit's services (the call into the handler) are left out."""
    frames = traceback.extract_tb(tb)
    while frames and os.path.dirname(os.path.realpath(frames[0].filename)) == _SERVICES_DIR:
        frames = frames[1:]
    summaries = [
        traceback.FrameSummary(display_path(f.filename, code_root), f.lineno, f.name, line=f.line or "",
                               lookup_line=False)
        for f in frames
    ]
    return traceback.format_list(summaries)


def error_payload(message: str, error_type: str | None, request_id: str,
                  trace: list[str] | None = None) -> dict:
    """The Python runtime's error document (key order as the runtime writes it)."""
    payload: dict[str, Any] = {"errorMessage": message}
    if error_type is not None:
        payload["errorType"] = error_type
    payload["requestId"] = request_id
    payload["stackTrace"] = trace or []
    return payload


def runtime_json(value: Any) -> bytes:
    """Encode a handler's return value like the Python runtime (``ensure_ascii=False``, NaN allowed)."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return json.dumps(value, ensure_ascii=False, allow_nan=True).encode("utf-8")


def error_json(payload: Mapping[str, Any]) -> bytes:
    """The runtime posts errors with the stdlib's default ``json.dumps``."""
    return json.dumps(payload).encode("utf-8")
