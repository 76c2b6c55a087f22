"""On a real clock, Parallel branches and Map iterations really run at the same time."""
from __future__ import annotations

import time

from .conftest import make_machine


def waits(name, seconds):
    return {"StartAt": name, "States": {name: {"Type": "Wait", "Seconds": seconds, "End": True}}}


def test_parallel_branches_overlap_in_real_time():
    machine = make_machine({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        waits("A", 1), waits("B", 1), {"StartAt": "C", "States": {"C": {"Type": "Pass", "Result": "c", "End": True}}}]}}})
    started = time.monotonic()
    execution = machine.execute({"x": 1}, clock="real")
    elapsed = time.monotonic() - started
    assert execution.status == "SUCCEEDED" and execution.output == [{"x": 1}, {"x": 1}, "c"]
    assert elapsed < 1.8, elapsed
    history = execution.history
    assert [e["id"] for e in history] == list(range(1, len(history) + 1))
    assert sum(e["type"] == "WaitStateExited" for e in history) == 2


def test_map_iterations_overlap_in_real_time():
    machine = make_machine({"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 3, "End": True,
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": True}}}}}})
    started = time.monotonic()
    execution = machine.execute([{"s": 1}, {"s": 1}, {"s": 1}], clock="real")
    elapsed = time.monotonic() - started
    assert execution.status == "SUCCEEDED" and execution.output == [{"s": 1}] * 3
    assert elapsed < 1.8, elapsed
    types = [e["type"] for e in execution.history]
    assert types.count("MapIterationStarted") == types.count("MapIterationSucceeded") == 3


def test_a_failing_branch_cancels_its_siblings_in_real_time():
    machine = make_machine({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 1, "Next": "After"},
                                       "After": {"Type": "Pass", "End": True}}},
        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom"}}}]}}})
    execution = machine.execute({}, clock="real")
    assert execution.status == "FAILED" and execution.error == "Boom"
    assert "PassStateEntered" not in [e["type"] for e in execution.history]
