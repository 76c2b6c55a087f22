"""History: GetExecutionHistory shape, id chaining as AWS records it, recording off, determinism."""
from __future__ import annotations

import json

from .conftest import make_machine, run

FN = "arn:aws:lambda:us-east-1:111111111111:function:echo"
LOOP = {"StartAt": "Init", "States": {
    "Init": {"Type": "Pass", "Parameters": {"i": 0, "n.$": "$.n"}, "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.n", "Next": "Inc"}],
              "Default": "Done"},
    "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "n.$": "$.n"}, "Next": "Check"},
    "Done": {"Type": "Succeed"}}}


def types(execution):
    return [event["type"] for event in execution.history]


def test_pass_history_shape():
    execution = run({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, {"a": "é"})
    history = execution.history
    assert types(execution) == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]
    assert [(e["id"], e["previousEventId"]) for e in history] == [(1, 0), (2, 0), (3, 2), (4, 3)]
    assert history[0]["executionStartedEventDetails"]["input"] == '{"a":"é"}'
    assert history[1]["stateEnteredEventDetails"] == {"name": "P", "input": '{"a":"é"}',
                                                      "inputDetails": {"truncated": False}}
    assert history[2]["stateExitedEventDetails"]["outputDetails"] == {"truncated": False}
    assert all(event["timestamp"].tzinfo is not None for event in history)


def test_assigned_variables_are_json_text():
    execution = run({"StartAt": "P", "States": {"P": {"Type": "Pass", "Assign": {"s": "t", "n": 0.5},
                                                      "End": True}}}, {})
    details = execution.history[2]["stateExitedEventDetails"]
    assert details["assignedVariables"] == {"s": '"t"', "n": "0.5"}
    assert details["assignedVariablesDetails"] == {"truncated": False}


def test_legacy_lambda_and_optimized_integration_events():
    legacy = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FN, "TimeoutSeconds": 5, "End": True}}}
    execution = run(legacy, {"k": 1}, lambdas={FN: lambda event, context: event})
    assert types(execution)[1:-1] == ["TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
                                      "LambdaFunctionSucceeded", "TaskStateExited"]
    scheduled = execution.history[2]["lambdaFunctionScheduledEventDetails"]
    assert scheduled["resource"] == FN and scheduled["timeoutInSeconds"] == 5
    optimized = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                                  "Parameters": {"FunctionName": FN, "Payload.$": "$"},
                                                  "End": True}}}
    execution = run(optimized, {"k": 1}, lambdas={FN: lambda event, context: event})
    assert types(execution)[1:-1] == ["TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded",
                                      "TaskStateExited"]
    details = execution.history[2]["taskScheduledEventDetails"]
    assert (details["resourceType"], details["resource"], details["region"]) == ("lambda", "invoke", "us-east-1")
    assert json.loads(details["parameters"]) == {"FunctionName": FN, "Payload": {"k": 1}}
    assert execution.output["Payload"] == {"k": 1} and execution.output["StatusCode"] == 200


def test_map_iterations_chain_like_aws():
    definition = {"StartAt": "M", "States": {"M": {"Type": "Map", "End": True, "ItemProcessor": {
        "StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}}}}}
    execution = run(definition, [1, 2])
    pairs = [(e["type"], e["id"], e["previousEventId"]) for e in execution.history]
    assert pairs == [
        ("ExecutionStarted", 1, 0), ("MapStateEntered", 2, 0), ("MapStateStarted", 3, 2),
        ("MapIterationStarted", 4, 3), ("PassStateEntered", 5, 4), ("PassStateExited", 6, 5),
        ("MapIterationSucceeded", 7, 6), ("MapIterationStarted", 8, 6), ("PassStateEntered", 9, 8),
        ("PassStateExited", 10, 9), ("MapIterationSucceeded", 11, 10), ("MapStateSucceeded", 12, 11),
        ("MapStateExited", 13, 11), ("ExecutionSucceeded", 14, 13)]
    assert execution.history[2]["mapStateStartedEventDetails"] == {"length": 2}
    assert execution.history[3]["mapIterationStartedEventDetails"] == {"name": "M", "index": 0}


def test_map_failure_events_only_after_retries():
    definition = {"StartAt": "M", "States": {"M": {"Type": "Map", "End": True,
        "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 1}],
        "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}}}}
    assert types(run(definition, [1])) == [
        "ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapIterationStarted", "FailStateEntered",
        "MapIterationFailed", "MapStateStarted", "MapIterationStarted", "FailStateEntered", "MapIterationFailed",
        "MapStateFailed", "ExecutionFailed"]


def test_jsonata_failure_records_evaluation_failed():
    definition = {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
                                                                               "Output": "{% $nope %}", "End": True}}}
    execution = run(definition, {})
    assert types(execution) == ["ExecutionStarted", "PassStateEntered", "EvaluationFailed", "ExecutionFailed"]
    details = execution.history[2]["evaluationFailedEventDetails"]
    assert details["error"] == "States.QueryEvaluationError" and details["location"] == "Output"
    assert details["state"] == "P" and details["cause"] == execution.cause


def test_history_off_records_nothing_but_counts():
    machine = make_machine(LOOP)
    recorded = machine.execute({"n": 10})
    silent = machine.execute({"n": 10}, history=False)
    assert silent.history == [] and silent.output == recorded.output
    assert silent.event_count == recorded.event_count == len(recorded.history)


def test_same_input_and_seed_give_the_same_history():
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
        "id.$": "States.UUID()", "r.$": "States.MathRandom(1, 1000)"}, "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 3600, "End": True}}}
    machine = make_machine(definition)
    first, second = machine.execute({}, seed=3), machine.execute({}, seed=3)
    assert first.history == second.history and first.output == second.output
    assert first.name == second.name
    assert machine.execute({}, seed=4).output != first.output


def test_wait_advances_virtual_time_only():
    execution = run({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30 * 86400, "End": True}}}, {})
    entered, exited = execution.history[1]["timestamp"], execution.history[2]["timestamp"]
    assert (exited - entered).days == 30


def test_states_entered_follows_the_path():
    assert run(LOOP, {"n": 2}).states_entered == ["Init", "Check", "Inc", "Check", "Inc", "Check", "Done"]


class _Worker:
    """A custom resolver: serves an activity like a worker would."""

    def accepts(self, resource):
        return resource.service == "activity"

    def invoke(self, request):
        assert request.task_token    # activities get a task token
        return {"done": request.payload}


def test_activity_events_and_custom_resolvers():
    arn = "arn:aws:states:us-east-1:111111111111:activity:approve"
    definition = {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": arn, "HeartbeatSeconds": 10,
                                                   "TimeoutSeconds": 60, "End": True}}}
    execution = run(definition, {"k": 1}, resolvers=[_Worker()])
    assert execution.output == {"done": {"k": 1}}
    assert types(execution)[1:-1] == ["TaskStateEntered", "ActivityScheduled", "ActivityStarted",
                                      "ActivitySucceeded", "TaskStateExited"]
    scheduled = execution.history[2]["activityScheduledEventDetails"]
    assert scheduled["resource"] == arn and scheduled["heartbeatInSeconds"] == 10
    unserved = run(definition, {})
    assert types(unserved)[-2:] == ["ActivityScheduleFailed", "ExecutionFailed"]
