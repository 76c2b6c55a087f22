"""Background runs: Machine.start, Execution.wait and Execution.stop (ABORTED)."""
from __future__ import annotations

import time

from .conftest import make_machine

WAITING = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "Next": "P"},
                                       "P": {"Type": "Pass", "End": True}}}


def test_start_then_wait_on_virtual_time():
    execution = make_machine(WAITING).start({"a": 1}).wait(5)
    assert execution.done and execution.status == "SUCCEEDED" and execution.output == {"a": 1}


def test_stop_aborts_a_real_time_wait():
    execution = make_machine(WAITING).start({}, clock="real")
    time.sleep(0.1)
    assert execution.status == "RUNNING" and not execution.done
    started = time.monotonic()
    execution.stop(error="Operator", cause="changed my mind")
    execution.wait(5)
    assert time.monotonic() - started < 2
    assert execution.status == "ABORTED" and execution.error == "Operator"
    last = execution.history[-1]
    assert last["type"] == "ExecutionAborted"
    assert last["executionAbortedEventDetails"] == {"error": "Operator", "cause": "changed my mind"}
    assert "PassStateEntered" not in [e["type"] for e in execution.history]


def test_stop_after_the_end_changes_nothing():
    execution = make_machine(WAITING).execute({})
    execution.stop()
    assert execution.status == "SUCCEEDED"
