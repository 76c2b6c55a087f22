"""Virtual sleep inside local Lambda handlers: ``time.sleep`` is replaced only while a handler runs on
virtual time, only that thread is redirected, and the module is left as it was found."""
from __future__ import annotations

import threading
import time

from asl.runtime.clock import VirtualClock
from asl.services.lambda_ import LambdaFunction, LambdaService
from asl.services.lambda_runtime import SLEEP_ROUTER

START = 1_700_000_000.0


def invoke(service: LambdaService, name: str, clock: VirtualClock, payload: bytes = b"{}"):
    return service.invoke(name, payload, clock=clock)


def test_time_sleep_is_routed_only_while_a_handler_runs_and_restored_after():
    original = time.sleep
    seen = []

    def handler(event, context):
        seen.append((SLEEP_ROUTER.routing, time.sleep is original))
        time.sleep(30)
        return "ok"

    clock = VirtualClock(START)
    service = LambdaService({"f": LambdaFunction("f", handler, timeout=100)})
    result = invoke(service, "f", clock)
    assert result.payload == b'"ok"' and clock.now() == START + 30
    assert seen == [(True, False)]
    assert time.sleep is original and not SLEEP_ROUTER.routing


def test_other_threads_sleep_for_real_while_a_handler_sleeps_virtually():
    in_handler = threading.Event()
    release = threading.Event()
    slept = []

    def handler(event, context):
        in_handler.set()
        release.wait(5)
        time.sleep(600)                # virtual: returns at once
        return "done"

    def other_thread():
        in_handler.wait(5)
        started = time.monotonic()
        time.sleep(0.05)               # the routed function, but this thread has no hook: a real sleep
        slept.append(time.monotonic() - started)
        release.set()

    clock = VirtualClock(START)
    service = LambdaService({"f": LambdaFunction("f", handler, timeout=900)})
    helper = threading.Thread(target=other_thread)
    helper.start()
    started = time.monotonic()
    result = invoke(service, "f", clock)
    helper.join(5)
    assert result.payload == b'"done"' and clock.now() == START + 600
    assert slept and slept[0] >= 0.05
    assert time.monotonic() - started < 5


def test_a_handler_invoking_another_keeps_its_own_virtual_sleep():
    service = LambdaService()
    clock = VirtualClock(START)

    def inner(event, context):
        time.sleep(5)
        return context.get_remaining_time_in_millis()

    def outer(event, context):
        inner_left = service.invoke("inner", b"{}", clock=clock, advance_clock=False).payload
        time.sleep(10)                 # still the outer invocation's virtual time after the inner one returned
        return [int(inner_left), context.get_remaining_time_in_millis()]

    service.add(LambdaFunction("inner", inner, timeout=60))
    service.add(LambdaFunction("outer", outer, timeout=100))
    assert invoke(service, "outer", clock).payload == b"[55000, 90000]"
    assert not SLEEP_ROUTER.routing


def test_a_sleep_patched_before_the_run_serves_other_threads_and_is_put_back(monkeypatch):
    calls = []

    def patched(seconds):
        calls.append(seconds)

    monkeypatch.setattr(time, "sleep", patched)
    done = []

    def handler(event, context):
        worker = threading.Thread(target=lambda: (time.sleep(0.25), done.append(True)))
        worker.start()
        worker.join(5)
        time.sleep(2)                  # this thread: virtual
        return "ok"

    clock = VirtualClock(START)
    service = LambdaService({"f": LambdaFunction("f", handler, timeout=10)})
    assert invoke(service, "f", clock).payload == b'"ok"'
    assert calls == [0.25] and done == [True] and clock.now() == START + 2
    assert time.sleep is patched


def test_a_handler_raising_a_base_exception_is_a_function_error_not_a_crash():
    class Odd(BaseException):
        pass

    def handler(event, context):
        raise Odd("odd")

    result = invoke(LambdaService({"f": LambdaFunction("f", handler)}), "f", VirtualClock(START))
    assert result.function_error == "Unhandled" and b'"errorType": "Odd"' in result.payload
