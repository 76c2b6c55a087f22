"""Limits and workflow types: 256 KiB data, 25,000 events, execution timeout, Express."""
from __future__ import annotations

from .conftest import make_machine, run

BIG = "x" * (300 * 1024)
FN = "arn:aws:lambda:us-east-1:111111111111:function:big"


def test_state_output_over_256_kib_fails_terminally():
    definition = {"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Parameters": {"a.$": "$.s", "b.$": "$.s"}, "End": True}}}
    execution = run(definition, {"s": "y" * (140 * 1024)})
    assert execution.status == "FAILED" and execution.error == "States.DataLimitExceeded"
    assert execution.cause == ("The state/task 'P' returned a result with a size exceeding the maximum number "
                               "of bytes service limit.")


def test_execution_input_over_256_kib_fails():
    execution = run({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, {"s": BIG})
    assert execution.error == "States.DataLimitExceeded"


def test_a_large_task_result_is_a_task_error_that_states_all_catches():
    definition = {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": FN, "End": True,
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}]},
        "C": {"Type": "Pass", "End": True}}}
    execution = run(definition, {}, lambdas={FN: lambda event, context: BIG})
    assert execution.status == "SUCCEEDED"
    assert execution.output["Error"] == "States.DataLimitExceeded"


def test_standard_history_limit_fails_the_execution():
    loop = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}}
    execution = run(loop, {}, history=False)
    assert execution.status == "FAILED" and execution.error == "States.Runtime"
    assert "25000" in execution.cause
    assert execution.event_count == 25_002


def test_express_has_no_history_limit_but_five_minutes():
    counting = {"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"i": 0}, "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThan": 20000, "Next": "Inc"}],
              "Default": "Done"},
        "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "C"},
        "Done": {"Type": "Succeed"}}}
    execution = run(counting, {}, workflow_type="EXPRESS", history=False)
    assert execution.status == "SUCCEEDED" and execution.event_count > 25_000
    sleepy = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 301, "End": True}}}
    assert run(sleepy, {}, workflow_type="EXPRESS").status == "TIMED_OUT"
    assert run(sleepy, {}).status == "SUCCEEDED"


def test_express_ids_and_context():
    execution = run({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"e.$": "$$.Execution"},
                                                      "End": True}}}, {}, workflow_type="EXPRESS")
    assert ":express:" in execution.output["e"]["Id"]
    assert "RedriveCount" not in execution.output["e"]


def test_timeout_seconds_times_the_execution_out():
    definition = {"TimeoutSeconds": 5, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60,
                                                                          "End": True}}}
    execution = run(definition, {})
    assert execution.status == "TIMED_OUT" and execution.error == "States.Timeout"
    assert [e["type"] for e in execution.history][-1] == "ExecutionTimedOut"
    assert execution.stop_time - execution.start_time == 5


def test_concurrent_branches_overlap_in_virtual_time():
    def waits(seconds):
        return {"StartAt": f"W{seconds}", "States": {f"W{seconds}": {"Type": "Wait", "Seconds": seconds,
                                                                     "End": True}}}
    definition = {"TimeoutSeconds": 100, "StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [waits(60), waits(50)], "ResultPath": None, "Next": "M"},
        "M": {"Type": "Map", "MaxConcurrency": 2, "End": True, "ItemProcessor": {"StartAt": "W", "States": {
            "W": {"Type": "Wait", "SecondsPath": "$", "End": True}}}}}}
    machine = make_machine(definition)
    execution = machine.execute([1, 2, 3])
    assert execution.status == "SUCCEEDED"
    assert execution.stop_time - execution.start_time == 64     # 60, then slots: 1 & 2, then 3 after 1
    assert machine.execute([10, 20, 31]).status == "TIMED_OUT"


def test_wait_past_the_longest_delay_is_refused():
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.t", "End": True}}}
    execution = run(definition, {"t": "2200-01-01T00:00:00Z"})
    assert execution.error == "States.Runtime" and execution.cause.endswith("Wait state delay is too long.")
