"""A local AWS Lambda: Python handlers run the way the Python runtime runs them.

What is reproduced, because workflows meet it in production:

* the Python runtime's marshalling — the event is the JSON-decoded request body; the return value is
  JSON-encoded (``bytes`` are sent as they are); a value that cannot be encoded is the runtime's
  ``Runtime.MarshalError``; an unhandled exception becomes the runtime's error payload
  ``{"errorMessage", "errorType", "requestId", "stackTrace"}`` with the stack trace formatted as
  ``traceback.format_list`` formats it, paths shown as they are under ``/var/task``;
* the function timeout (``Sandbox.Timedout``, or the legacy shape without an ``errorType``), the 6 MB
  request/response limits, ``SystemExit`` as ``Runtime.ExitError``;
* invocation types ``RequestResponse`` (200), ``Event`` (202; queued, run later on the scheduler,
  retried twice on function errors 1 and 2 minutes apart, throttles retried with backoff for up to the
  maximum event age, then the on-failure destination or the dead-letter queue) and ``DryRun`` (204);
* reserved and account concurrency: an invocation that would exceed it is refused with
  ``TooManyRequestsException`` ("Rate Exceeded.", 429).

Time is virtual unless the clock says otherwise: inside a handler ``time.sleep`` advances the
invocation's virtual elapsed time instead of sleeping, so a handler that sleeps 60 s against a 5 s task
timeout times out at once. ``time.sleep`` is replaced only while such a handler runs, and only that
thread's calls are redirected (:class:`~asl.services.lambda_runtime.SleepRouter`).
"""
from __future__ import annotations

import base64
import json
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..runtime import clock as clocks
from .ids import seeded_uuid
from .lambda_runtime import (
    SLEEP_ROUTER, WATCHDOG, WORKER_POOL, HandlerDeadline, LambdaContext, error_json, error_payload, kill_thread,
    runtime_json, stack_trace,
)

MAX_SYNC_PAYLOAD = 6 * 1024 * 1024            # request and response, RequestResponse
MAX_SYNC_RESPONSE = 6291556                   # the figure Lambda's error message quotes
MAX_ASYNC_PAYLOAD = 1024 * 1024               # Event (raised from 256 KB in 2025)
MAX_TIMEOUT = 900.0
DEFAULT_TIMEOUT = 3.0
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "111111111111"
LATEST = "$LATEST"

Handler = Callable[[Any, Any], Any]


class LambdaApiError(Exception):
    """An Invoke API error (not a function error): ``code`` is the exception name, e.g.
    ``ResourceNotFoundException``; Step Functions reports it as ``Lambda.<code>``."""

    def __init__(self, code: str, message: str, status: int, request_id: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.request_id = request_id


class CallerTimedOut(Exception):
    """The caller's own deadline (a Task's TimeoutSeconds) passed before the function finished."""

    def __init__(self, elapsed: float):
        super().__init__(f"caller timed out after {elapsed:.2f}s")
        self.elapsed = elapsed


@dataclass(eq=False)
class LambdaFunction:
    """One function: a Python handler plus the configuration that changes how it is invoked."""

    name: str
    handler: Handler
    timeout: float = DEFAULT_TIMEOUT              # seconds, 1..900
    memory_size: int = 128
    runtime: str = "python3.12"
    reserved_concurrency: int | None = None       # 0 throttles everything
    duration: float = 0.0                         # simulated run time of every invocation (virtual seconds)
    aliases: Mapping[str, str] = field(default_factory=dict)   # alias -> version
    version: str = LATEST                         # what $LATEST reports as ExecutedVersion
    environment: Mapping[str, str] = field(default_factory=dict)
    code_root: str | None = None                  # folder shown as /var/task in stack traces
    timeout_error_type: str | None = "Sandbox.Timedout"   # None: the legacy payload without errorType
    # asynchronous invocation (PutFunctionEventInvokeConfig / DeadLetterConfig)
    maximum_retry_attempts: int = 2
    maximum_event_age: float = 21600.0
    on_success: str | None = None                 # destination ARN (function, queue, topic, bus)
    on_failure: str | None = None
    dead_letter: str | None = None                # queue or topic ARN

    def __post_init__(self) -> None:
        if not callable(self.handler):
            raise TypeError(f"handler of Lambda function {self.name!r} is not callable")


@dataclass
class InvokeResult:
    """What the Invoke API returned (the body is bytes, as on the wire)."""

    status_code: int
    payload: bytes
    request_id: str
    executed_version: str | None = LATEST
    function_error: str | None = None             # "Unhandled" when the function failed
    log_result: str | None = None                 # base64 tail of the log (LogType=Tail)
    duration: float = 0.0


@dataclass
class AsyncEvent:
    """An event accepted with 202 and waiting in the function's internal queue."""

    function: str
    qualifier: str | None
    payload: bytes
    request_id: str
    accepted_at: float
    attempts: int = 0
    status: str = "queued"     # queued | succeeded | failed | expired
    error: dict | None = None
    result: Any = None


# --------------------------------------------------------------------------------------------------
# the service
# --------------------------------------------------------------------------------------------------
class LambdaService:
    """Functions by name, invoked synchronously, asynchronously or as a dry run."""

    def __init__(self, functions: Mapping[str, Any] | None = None, *, region: str = DEFAULT_REGION,
                 account: str = DEFAULT_ACCOUNT, account_concurrency: int = 1000, seed: int = 0,
                 scheduler: Any = None, deliver: Callable[[str, Any], None] | None = None):
        self.region = region
        self.account = account
        self.account_concurrency = account_concurrency
        self.functions: dict[str, LambdaFunction] = {}
        self.scheduler = scheduler
        self.deliver = deliver            # (target ARN, message) for destinations / DLQ; set by Environment
        self.events: list[AsyncEvent] = []
        self.invocations: list[tuple[str, str]] = []   # (function, request id) in order
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}
        self._busy: dict[str, list[float]] = {}
        for key, value in (functions or {}).items():
            self.add(value if isinstance(value, LambdaFunction) else LambdaFunction(key, value, timeout=MAX_TIMEOUT),
                     key)

    # -- registry ---------------------------------------------------------------------------------
    def add(self, function: LambdaFunction, key: str | None = None) -> LambdaFunction:
        """Register ``function`` under its name (and under ``key``: a name or ARN it is called by)."""
        self.functions[function.name] = function
        if key and key != function.name:
            name, _qualifier = split_function_name(key)
            self.functions.setdefault(name, function)
        return function

    def function_arn(self, name: str, qualifier: str | None = None) -> str:
        arn = f"arn:aws:lambda:{self.region}:{self.account}:function:{name}"
        return f"{arn}:{qualifier}" if qualifier else arn

    def resolve(self, function_name: str, qualifier: str | None = None) -> tuple[LambdaFunction, str, str | None]:
        """(function, executed version, qualifier) or LambdaApiError ResourceNotFoundException."""
        name, embedded = split_function_name(function_name)
        qualifier = qualifier or embedded
        function = self.functions.get(name)
        if function is None:
            shown = function_name if function_name.startswith("arn:") else self.function_arn(name)
            if shown.count(":") < 7:
                shown += f":{qualifier or LATEST}"
            raise LambdaApiError("ResourceNotFoundException", f"Function not found: {shown}", 404)
        if qualifier in (None, "", LATEST):
            return function, function.version if function.version else LATEST, qualifier
        if qualifier.isdigit():
            return function, qualifier, qualifier
        return function, function.aliases.get(qualifier, LATEST), qualifier

    def new_request_id(self) -> str:
        with self._lock:
            return seeded_uuid(self._rng)

    # -- concurrency ------------------------------------------------------------------------------
    def _in_use(self, name: str, now: float) -> int:
        busy = self._busy.get(name)
        if busy:
            busy[:] = [end for end in busy if end > now]
        return self._running.get(name, 0) + len(busy or ())

    def _acquire(self, function: LambdaFunction, now: float) -> None:
        with self._lock:
            mine = self._in_use(function.name, now)
            if function.reserved_concurrency is not None:
                if mine >= function.reserved_concurrency:
                    raise LambdaApiError("TooManyRequestsException", "Rate Exceeded.", 429)
            else:
                functions = {id(f): f for f in self.functions.values()}.values()
                reserved = sum(f.reserved_concurrency or 0 for f in functions)
                active = set(self._running) | set(self._busy)
                shared = sum(self._in_use(name, now) for name in active
                             if self.functions[name].reserved_concurrency is None)
                if shared >= self.account_concurrency - reserved:
                    raise LambdaApiError("TooManyRequestsException", "Rate Exceeded.", 429)
            self._running[function.name] = self._running.get(function.name, 0) + 1

    def _release(self, function: LambdaFunction, busy_until: float, now: float) -> None:
        with self._lock:
            self._running[function.name] -= 1
            if busy_until > now:
                self._busy.setdefault(function.name, []).append(busy_until)

    # -- invoke -----------------------------------------------------------------------------------
    def invoke(self, function_name: str, payload: bytes | None = None, *,
               invocation_type: str = "RequestResponse", qualifier: str | None = None,
               log_type: str | None = None, client_context: str | None = None,
               clock: Any = None, caller_timeout: float | None = None,
               advance_clock: bool = True) -> InvokeResult:
        """Invoke like the Invoke API. Function errors come back in the result (``function_error``);
        API errors raise :class:`LambdaApiError`; ``caller_timeout`` (seconds) raises
        :class:`CallerTimedOut` when the caller stops waiting first."""
        body = b"null" if payload is None or payload == b"" else payload
        function, version, qualifier = self.resolve(function_name, qualifier)
        request_id = self.new_request_id()
        if invocation_type not in ("RequestResponse", "Event", "DryRun"):
            raise LambdaApiError("InvalidParameterValueException",
                                 f"1 validation error detected: Value '{invocation_type}' at 'invocationType' "
                                 "failed to satisfy constraint: Member must satisfy enum value set: "
                                 "[Event, RequestResponse, DryRun]", 400, request_id)
        limit = MAX_ASYNC_PAYLOAD if invocation_type == "Event" else MAX_SYNC_PAYLOAD
        if len(body) > limit:
            raise LambdaApiError("RequestTooLargeException",
                                 f"Request must be smaller than {limit} bytes for the InvokeFunction operation",
                                 413, request_id)
        try:
            event = json.loads(body)
        except ValueError as exc:
            raise LambdaApiError("InvalidRequestContentException",
                                 f"Could not parse request body into json: {_jackson_reason(exc)}", 400,
                                 request_id) from None
        if invocation_type == "DryRun":
            return InvokeResult(204, b"", request_id, executed_version=None)
        if invocation_type == "Event":
            self._enqueue(function, qualifier, body, request_id, clock)
            return InvokeResult(202, b"", request_id, executed_version=None)
        if self.scheduler is not None:
            self.scheduler.run_due()          # work due now (an async event just accepted) runs first
        now = clocks.now_of(clock)
        self._acquire(function, now)
        elapsed = 0.0
        try:
            outcome = self._run(function, version, qualifier, event, request_id, clock, caller_timeout,
                                client_context, log_type == "Tail")
            elapsed = outcome.duration
            return outcome
        except CallerTimedOut as exc:
            elapsed = exc.elapsed
            raise
        finally:
            self._release(function, now + elapsed, now)
            if advance_clock and clocks.is_virtual(clock):
                clocks.advance(clock, elapsed)
            self.invocations.append((function.name, request_id))

    def _run(self, function: LambdaFunction, version: str, qualifier: str | None, event: Any,
             request_id: str, clock: Any, caller_timeout: float | None, client_context: str | None,
             tail: bool) -> InvokeResult:
        """Run the handler with the function's time budget (inline on virtual time, on a worker
        thread on real time)."""
        virtual = clocks.is_virtual(clock)
        budget = min(float(function.timeout), MAX_TIMEOUT)
        caller = float(caller_timeout) if caller_timeout is not None else None
        limit = budget if caller is None else min(budget, caller)
        spent = [float(function.duration)]
        started = time.monotonic()
        log: list[str] = []

        def elapsed_now() -> float:
            return spent[0] if virtual else time.monotonic() - started

        def remaining() -> float:
            return budget - elapsed_now()

        def virtual_sleep(seconds: float) -> None:
            seconds = max(0.0, float(seconds))
            if spent[0] + seconds >= limit:
                spent[0] = limit
                raise HandlerDeadline()
            spent[0] += seconds

        context = LambdaContext(function, request_id,
                                self.function_arn(function.name, qualifier), version, remaining,
                                _decode_client_context(client_context), log)
        box: dict[str, Any] = {}

        def call_handler() -> None:
            """Run the handler once; ``box`` records how it ended (nothing but Ctrl-C escapes)."""
            try:
                if spent[0] >= limit:
                    raise HandlerDeadline()
                box["value"] = function.handler(event, context)
            except HandlerDeadline:
                box["deadline"] = True
            except SystemExit as exc:
                box["exit"] = exc
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001 - every handler failure is reported, not raised
                box["error"] = exc

        if virtual:
            # inline: deterministic and cheap; the handler's sleeps are virtual, and the watchdog stops a
            # handler busy for longer than its timeout in real time
            outer = SLEEP_ROUTER.enter(virtual_sleep)
            try:
                guard = WATCHDOG.enter(budget)
                try:
                    call_handler()
                finally:
                    WATCHDOG.leave(guard)      # after this no late kill can land in the lines below
            finally:
                SLEEP_ROUTER.leave(outer)
            if guard.fired:
                box = {"deadline": True}
                spent[0] = limit
        else:
            # real time: the handler runs on a pooled worker so the caller can stop waiting at the
            # deadline even when the handler is blocked in a real sleep or I/O
            finished = threading.Lock()
            finished.acquire()

            def target() -> None:
                try:
                    call_handler()
                finally:
                    finished.release()

            worker = WORKER_POOL.submit(target)
            if not finished.acquire(timeout=limit):
                kill_thread(worker)        # a runaway: give up on it as Lambda would
                box = {"deadline": True}
                spent[0] = limit
        duration = limit if box.get("deadline") else elapsed_now()
        if box.get("deadline"):
            if caller is not None and caller <= budget:
                raise CallerTimedOut(caller)
            seconds = f"{budget:.2f}"
            if function.timeout_error_type:
                err = {"errorMessage": f"RequestId: {request_id} Error: Task timed out after {seconds} seconds",
                       "errorType": function.timeout_error_type}
            else:
                stamp = clocks.iso8601(clocks.now_of(clock) + budget)
                err = {"errorMessage": f"{stamp} {request_id} Task timed out after {seconds} seconds"}
            return self._result(request_id, version, json.dumps(err).encode(), "Unhandled", duration, log, tail)
        if "exit" in box:
            code = box["exit"].code
            status = code if isinstance(code, int) else 1
            err = {"errorType": "Runtime.ExitError",
                   "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: exit status {status}"}
            return self._result(request_id, version, json.dumps(err).encode(), "Unhandled", duration, log, tail)
        if "error" in box:
            exc = box["error"]
            err = error_payload(str(exc), type(exc).__name__, request_id,
                                stack_trace(exc.__traceback__, function.code_root))
            return self._result(request_id, version, error_json(err), "Unhandled", duration, log, tail)
        try:
            body = runtime_json(box.get("value"))
        except (TypeError, ValueError) as exc:
            err = error_payload(f"Unable to marshal response: {exc}", "Runtime.MarshalError", request_id)
            return self._result(request_id, version, error_json(err), "Unhandled", duration, log, tail)
        if len(body) > MAX_SYNC_RESPONSE:
            err = {"errorMessage": "Response payload size exceeded maximum allowed payload size "
                                   f"({MAX_SYNC_RESPONSE} bytes).", "errorType": "Function.ResponseSizeTooLarge"}
            return self._result(request_id, version, json.dumps(err).encode(), "Unhandled", duration, log, tail)
        return self._result(request_id, version, body, None, duration, log, tail)

    def _result(self, request_id: str, version: str, body: bytes, function_error: str | None,
                duration: float, log: list[str], tail: bool) -> InvokeResult:
        log_result = None
        if tail:
            millis = duration * 1000
            text = (f"START RequestId: {request_id} Version: {version}\n"
                    + "".join(line if line.endswith("\n") else line + "\n" for line in log)
                    + f"END RequestId: {request_id}\n"
                    + f"REPORT RequestId: {request_id}\tDuration: {millis:.2f} ms\t"
                    f"Billed Duration: {max(1, int(millis + 0.999))} ms\tMemory Size: 128 MB\t"
                    "Max Memory Used: 40 MB\t\n")
            log_result = base64.b64encode(text.encode()[-4096:]).decode()
        return InvokeResult(200, body, request_id, version, function_error, log_result, duration)

    # -- asynchronous invocation ------------------------------------------------------------------
    def _enqueue(self, function: LambdaFunction, qualifier: str | None, body: bytes, request_id: str,
                 clock: Any) -> None:
        from .scheduler import Scheduler

        if self.scheduler is None:
            self.scheduler = Scheduler(clock)
        else:
            self.scheduler.attach(clock)
        event = AsyncEvent(function.name, qualifier, body, request_id, self.scheduler.now())
        self.events.append(event)
        self.scheduler.call_later(0.0, lambda: self._attempt(event, 0), f"lambda async {function.name}")

    def _attempt(self, event: AsyncEvent, throttles: int) -> None:
        scheduler = self.scheduler
        function = self.functions[event.function]
        now = scheduler.now()
        if now - event.accepted_at > function.maximum_event_age:
            self._give_up(event, function, {"errorMessage": "Event age exceeded MaximumEventAgeInSeconds",
                                            "errorType": "EventAgeExceeded"}, "EventAgeExceeded")
            return
        try:
            self._acquire(function, now)
        except LambdaApiError:
            delay = min(300.0, 2.0 ** throttles)        # throttles go back to the queue with backoff
            scheduler.call_later(delay, lambda: self._attempt(event, throttles + 1),
                                 f"lambda async retry {function.name}")
            return
        event.attempts += 1
        elapsed = 0.0
        try:
            _f, version, _q = self.resolve(event.function, event.qualifier)
            outcome = self._run(function, version, event.qualifier, json.loads(event.payload),
                                event.request_id, scheduler.clock, None, None, False)
            elapsed = outcome.duration
        finally:
            self._release(function, now + elapsed, now)
            self.invocations.append((function.name, event.request_id))
        done_at = now + elapsed
        if outcome.function_error is None:
            event.status = "succeeded"
            event.result = _loads_or_text(outcome.payload)
            if function.on_success:
                scheduler.call_at(done_at, lambda: self._send(function.on_success,
                                                              self._record(event, function, "Success", outcome)))
            return
        event.error = _loads_or_text(outcome.payload)
        if event.attempts <= function.maximum_retry_attempts:
            delay = 60.0 if event.attempts == 1 else 120.0
            scheduler.call_at(done_at + delay, lambda: self._attempt(event, 0), f"lambda async retry {function.name}")
            return
        scheduler.call_at(done_at, lambda: self._give_up(event, function, event.error, "RetriesExhausted", outcome))

    def _give_up(self, event: AsyncEvent, function: LambdaFunction, error: Any, condition: str,
                 outcome: InvokeResult | None = None) -> None:
        event.status = "expired" if condition == "EventAgeExceeded" else "failed"
        event.error = error
        if function.on_failure:
            self._send(function.on_failure, self._record(event, function, "Failure", outcome, condition))
        elif function.dead_letter:
            self._send(function.dead_letter, {"__dlq__": True, "body": event.payload.decode("utf-8", "replace"),
                                              "attributes": {"RequestID": event.request_id,
                                                             "ErrorCode": "200",
                                                             "ErrorMessage": json.dumps(error)}})

    def _record(self, event: AsyncEvent, function: LambdaFunction, kind: str,
                outcome: InvokeResult | None, condition: str = "Success") -> dict:
        """The invocation record Lambda sends to a destination."""
        stamp = clocks.iso8601(self.scheduler.now())
        record = {
            "version": "1.0",
            "timestamp": stamp,
            "requestContext": {
                "requestId": event.request_id,
                "functionArn": self.function_arn(function.name, event.qualifier or LATEST),
                "condition": condition,
                "approximateInvokeCount": event.attempts,
            },
            "requestPayload": _loads_or_text(event.payload),
            "responseContext": {"statusCode": 200, "executedVersion": LATEST},
            "responsePayload": _loads_or_text(outcome.payload) if outcome else None,
        }
        if kind == "Failure" and outcome is not None and outcome.function_error:
            record["responseContext"]["functionError"] = outcome.function_error
        return record

    def _send(self, target: str, message: Any) -> None:
        if self.deliver is not None:
            self.deliver(target, message)


def split_function_name(value: str) -> tuple[str, str | None]:
    """``name``, ``name:qualifier``, ``123:function:name[:q]`` or a full ARN -> (name, qualifier)."""
    parts = value.split(":")
    if value.startswith("arn:"):
        # arn:partition:lambda:region:account:function:name[:qualifier]
        name = parts[6] if len(parts) > 6 else value
        qualifier = parts[7] if len(parts) > 7 else None
        return name, qualifier
    if len(parts) >= 3 and parts[1] == "function":
        return parts[2], parts[3] if len(parts) > 3 else None
    if len(parts) == 2:
        return parts[0], parts[1]
    return value, None


def _decode_client_context(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(base64.b64decode(value))
    except (ValueError, TypeError):
        return None


def _loads_or_text(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")


def _jackson_reason(exc: ValueError) -> str:
    msg = getattr(exc, "msg", str(exc))
    return f"{msg} at [Source: (byte[]); line: {getattr(exc, 'lineno', 1)}, column: {getattr(exc, 'colno', 1)}]"
