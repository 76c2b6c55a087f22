"""Retry timing on the virtual clock, retrier/catcher matching, and what a Catcher produces."""
from __future__ import annotations

import pytest

from asl.errors import StatesError
from asl.runtime.retry import error_matches, retry_delay

from .conftest import run


class Flaky:
    """A Lambda handler that fails ``failures`` times with ``error`` and then echoes its event."""

    def __init__(self, failures: int, error: type[Exception] = RuntimeError):
        self.failures = failures
        self.error = error
        self.calls = 0

    def __call__(self, event, context):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error(f"failure {self.calls}")
        return event


FN = "arn:aws:lambda:us-east-1:111111111111:function:flaky"


def task(retry=None, catch=None, **fields):
    state = {"Type": "Task", "Resource": FN, "End": True, **fields}
    if retry is not None:
        state["Retry"] = retry
    if catch is not None:
        state["Catch"] = catch
    return {"StartAt": "T", "States": {"T": state, "Handled": {"Type": "Pass", "End": True}}}


def scheduled_times(execution):
    return [e["timestamp"].timestamp() for e in execution.history if e["type"] == "LambdaFunctionScheduled"]


def test_backoff_waits_on_the_virtual_clock():
    handler = Flaky(3)
    execution = run(task([{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "BackoffRate": 3,
                           "MaxAttempts": 3}]), {"x": 1}, lambdas={FN: handler})
    assert execution.status == "SUCCEEDED" and execution.output == {"x": 1}
    times = scheduled_times(execution)
    assert [round(b - a) for a, b in zip(times, times[1:])] == [2, 6, 18]
    assert handler.calls == 4


def test_max_delay_caps_the_interval():
    execution = run(task([{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "BackoffRate": 10,
                           "MaxAttempts": 3, "MaxDelaySeconds": 50}]), {}, lambdas={FN: Flaky(3)})
    times = scheduled_times(execution)
    assert [round(b - a) for a, b in zip(times, times[1:])] == [10, 50, 50]


def test_full_jitter_is_seeded():
    definition = task([{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 100, "MaxAttempts": 2,
                        "JitterStrategy": "FULL"}])
    first = scheduled_times(run(definition, {}, lambdas={FN: Flaky(2)}, seed=7))
    second = scheduled_times(run(definition, {}, lambdas={FN: Flaky(2)}, seed=7))
    other = scheduled_times(run(definition, {}, lambdas={FN: Flaky(2)}, seed=8))
    assert first == second != other
    gaps = [b - a for a, b in zip(first, first[1:])]
    assert 0 <= gaps[0] <= 100 and 0 <= gaps[1] <= 200


def test_max_attempts_zero_never_retries():
    handler = Flaky(1)
    execution = run(task([{"ErrorEquals": ["RuntimeError"], "MaxAttempts": 0}]), {}, lambdas={FN: handler})
    assert execution.status == "FAILED" and execution.error == "RuntimeError"
    assert handler.calls == 1


def test_an_exhausted_retrier_does_not_fall_through_to_the_next():
    handler = Flaky(5)
    execution = run(task([{"ErrorEquals": ["RuntimeError"], "MaxAttempts": 1},
                          {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}]), {}, lambdas={FN: handler})
    assert execution.status == "FAILED"
    assert handler.calls == 2


def test_retry_count_is_in_the_context_object():
    definition = task([{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                      ResultSelector={"retries.$": "$$.State.RetryCount"})
    execution = run(definition, {}, lambdas={FN: Flaky(2)})
    assert execution.output == {"retries": 2}


def test_catch_replaces_the_output_with_the_error_output_by_default():
    execution = run(task(catch=[{"ErrorEquals": ["ValueError"], "Next": "Handled"}]), {"in": 1},
                    lambdas={FN: Flaky(1, ValueError)})
    assert execution.status == "SUCCEEDED"
    assert execution.output["Error"] == "ValueError"
    assert '"errorMessage": "failure 1"' in execution.output["Cause"].replace(':"', ': "')


def test_catch_result_path_keeps_the_input():
    execution = run(task(catch=[{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error",
                                 "Next": "Handled"}]), {"in": 1}, lambdas={FN: Flaky(1)})
    assert execution.output["in"] == 1 and execution.output["error"]["Error"] == "RuntimeError"


def test_states_runtime_is_never_caught():
    definition = task(catch=[{"ErrorEquals": ["States.Runtime"], "Next": "Handled"},
                             {"ErrorEquals": ["States.ALL"], "Next": "Handled"}], OutputPath="$.missing")
    execution = run(definition, {}, lambdas={FN: lambda e, c: {}})
    assert execution.status == "FAILED" and execution.error == "States.Runtime"


def test_an_unknown_resource_is_a_clear_task_failure():
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "End": True,
                                                   "Resource": "arn:aws:states:::example:doThing"}}}
    execution = run(definition, {})
    assert execution.status == "FAILED" and execution.error == "States.TaskFailed"
    assert "No local resolver" in execution.cause
    assert [e["type"] for e in execution.history][-2:] == ["TaskStartFailed", "ExecutionFailed"]


def _failure(error, **flags):
    exc = StatesError(error, None)
    for name, value in flags.items():
        setattr(exc, name, value)
    return exc


@pytest.mark.parametrize("error, equals, expected", [
    ("Custom", ["Custom"], True),
    ("Custom", ["custom"], False),
    ("Custom", ["States.ALL"], True),
    ("Custom", ["States.TaskFailed"], True),
    ("States.Timeout", ["States.TaskFailed"], False),
    ("States.Timeout", ["States.ALL"], True),
    ("States.Runtime", ["States.ALL"], False),
    ("States.Runtime", ["States.Runtime"], False),
    ("States.DataLimitExceeded", ["States.ALL"], True),
])
def test_error_matching(error, equals, expected):
    assert error_matches(_failure(error), equals) is expected


def test_terminal_errors_need_an_exact_matcher():
    terminal = _failure("States.DataLimitExceeded", terminal=True)
    assert not error_matches(terminal, ["States.ALL"])
    assert error_matches(terminal, ["States.DataLimitExceeded"])


def test_heartbeat_timeout_matches_a_heartbeat_expiry():
    assert error_matches(_failure("States.Timeout", heartbeat=True), ["States.HeartbeatTimeout"])
    assert not error_matches(_failure("States.Timeout"), ["States.HeartbeatTimeout"])


def test_retry_delay_formula():
    import random

    rng = random.Random(0)
    assert retry_delay(1, 2.0, 0, None, False, rng) == 1
    assert retry_delay(1, 2.0, 3, None, False, rng) == 8
    assert retry_delay(1, 2.0, 10, 30, False, rng) == 30
