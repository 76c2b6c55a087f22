"""Child executions (states:startExecution) run in the same engine, with AWS's history and result shapes."""
from __future__ import annotations

import json

import asl
from asl.resolvers.environment import Environment
from asl.runtime.clock import VirtualClock

from .conftest import START, events_of, run

START_EXECUTION = "arn:aws:states:::states:startExecution"
CHILD_ARN = "arn:aws:states:us-east-1:111111111111:stateMachine:child"
SLOW = {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 60, "Next": "Done"},
                                     "Done": {"Type": "Pass", "Parameters": {"slept.$": "$.n"}, "End": True}}}
FAILING = {"StartAt": "No", "States": {"No": {"Type": "Fail", "Error": "ChildError", "Cause": "child says no"}}}


def parent(pattern: str, *, machine: str = CHILD_ARN, input_: object = None, name: str | None = None,
           **fields) -> dict:
    params = {"StateMachineArn": machine, "Input": {"n.$": "$.n"} if input_ is None else input_}
    if name is not None:
        params["Name"] = name
    state = {"Type": "Task", "Resource": START_EXECUTION + pattern, "Parameters": params, "End": True, **fields}
    return {"StartAt": "Start", "States": {"Start": state}}


def env_with(child: dict) -> Environment:
    env = Environment(seed=7, clock=VirtualClock(START))
    env.add_state_machine("child", child)
    return env


def event(execution, type_: str) -> dict:
    return next(e for e in execution.history if e["type"] == type_)


def seconds(e: dict) -> float:
    return e["timestamp"].timestamp() - START


def test_sync2_records_the_submitted_start_then_the_described_child():
    env = env_with(SLOW)
    ex = run(parent(".sync:2"), {"n": 3}, env)
    assert ex.status == "SUCCEEDED", ex.cause
    assert events_of(ex) == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
                             "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"]
    submitted = event(ex, "TaskSubmitted")["taskSubmittedEventDetails"]
    assert (submitted["resourceType"], submitted["resource"]) == ("states", "startExecution.sync:2")
    response = json.loads(submitted["output"])
    assert list(response) == ["ExecutionArn", "SdkHttpMetadata", "SdkResponseMetadata", "StartDate"]
    assert list(response["SdkHttpMetadata"]["AllHttpHeaders"]) == [
        "x-amzn-RequestId", "connection", "Content-Length", "Date", "Content-Type"]
    view = ex.output
    assert list(view) == sorted(view) == ["ExecutionArn", "Input", "InputDetails", "Name", "Output", "OutputDetails",
                                          "StartDate", "StateMachineArn", "Status", "StopDate"]
    assert view["Input"] == {"n": 3} and view["Output"] == {"slept": 3} and view["Status"] == "SUCCEEDED"
    assert view["StateMachineArn"] == CHILD_ARN and view["ExecutionArn"] == response["ExecutionArn"]
    assert view["StopDate"] - view["StartDate"] == 60_000


def test_the_child_is_a_full_execution_on_a_branch_of_the_parent_clock():
    env = env_with(SLOW)
    ex = run(parent(".sync:2", name="kid"), {"n": 1}, env)
    [child] = ex.children
    assert child.arn == "arn:aws:states:us-east-1:111111111111:execution:child:kid" and child.name == "kid"
    assert events_of(child) == ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "PassStateEntered",
                                "PassStateExited", "ExecutionSucceeded"]
    # the child started when the task submitted it; the parent resumed when the child ended
    assert seconds(event(child, "ExecutionStarted")) == seconds(event(ex, "TaskSubmitted")) == 0
    assert seconds(event(ex, "TaskSucceeded")) == seconds(event(child, "ExecutionSucceeded")) == 60


def test_sync_gives_input_and_output_as_text_and_null_input_as_an_empty_object():
    env = env_with({"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}})
    ex = run(parent(".sync", input_={"n": None}), {}, env)
    assert ex.output["Input"] == '{"n":null}' and ex.output["Output"] == '{"n":null}'
    definition = parent(".sync")
    definition["States"]["Start"]["Parameters"]["Input"] = None
    ex = run(definition, {}, env)
    assert ex.output["Input"] == "{}" and ex.children[0].input == {}


def test_a_failed_child_fails_the_task_with_its_sorted_description():
    env = env_with(FAILING)
    ex = run(parent(".sync"), {"n": 1}, env)
    assert ex.status == "FAILED" and ex.error == "States.TaskFailed"
    cause = json.loads(ex.cause)
    assert list(cause) == sorted(cause) and cause["Status"] == "FAILED"
    assert (cause["Error"], cause["Cause"]) == ("ChildError", "child says no") and "Output" not in cause
    failed = event(ex, "TaskFailed")["taskFailedEventDetails"]
    assert failed["error"] == "States.TaskFailed" and failed["resource"] == "startExecution.sync"
    assert "TaskSubmitted" in events_of(ex)


def test_a_child_running_past_the_task_timeout_times_the_task_out():
    env = env_with(SLOW)
    ex = run(parent(".sync:2", TimeoutSeconds=10), {"n": 1}, env)
    assert ex.status == "FAILED" and ex.error == "States.Timeout"
    assert events_of(ex)[-2:] == ["TaskTimedOut", "ExecutionFailed"]
    assert ex.stop_time - ex.start_time == 10
    [child] = ex.children
    assert child.status == "ABORTED" and events_of(child)[-1] == "ExecutionAborted"   # stopped by its parent
    assert child.stop_time - child.start_time == 10


def test_wait_for_task_token_starts_the_child_and_waits_for_its_callback():
    from asl.services import callbacks

    approver = {"StartAt": "Approve", "States": {"Approve": {
        "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:approve", "End": True}}}
    env = env_with(approver)
    env.add_function("approve", lambda event, context: callbacks.send_task_success(event["token"], {"ok": event["n"]}))
    ex = run(parent(".waitForTaskToken", input_={"n.$": "$.n", "token.$": "$$.Task.Token"}), {"n": 9}, env)
    assert ex.status == "SUCCEEDED", ex.cause
    assert ex.output == {"ok": 9}
    submitted = json.loads(event(ex, "TaskSubmitted")["taskSubmittedEventDetails"]["output"])
    assert submitted["ExecutionArn"] == ex.children[0].arn and ex.children[0].status == "SUCCEEDED"


def test_request_response_start_returns_at_once_and_the_child_runs_on_the_scheduler():
    env = env_with(SLOW)
    ex = run(parent(""), {"n": 5}, env)
    assert ex.status == "SUCCEEDED" and ex.stop_time == ex.start_time
    assert set(ex.output) == {"ExecutionArn", "SdkHttpMetadata", "SdkResponseMetadata", "StartDate"}
    assert "TaskSubmitted" not in events_of(ex)
    env.settle()
    [child] = ex.children
    assert child.status == "SUCCEEDED" and child.output == {"slept": 5}
    assert env._states.executions[-1]["Output"] == '{"slept":5}'


def test_children_use_the_parent_lambda_handlers_and_a_machine_may_start_itself():
    # no environment: the default local account serves states:startExecution, the machine's own ARN
    # names the machine itself, and the Lambda handlers given to execute() serve the children too
    definition = {"StartAt": "More?", "States": {
        "More?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Recurse"}],
                  "Default": "Count"},
        "Recurse": {"Type": "Task", "Resource": START_EXECUTION + ".sync:2",
                    "Parameters": {"StateMachineArn.$": "$$.StateMachine.Id",
                                   "Input": {"n.$": "States.MathAdd($.n, -1)"}},
                    "OutputPath": "$.Output", "End": True},
        "Count": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:count",
                  "End": True}}}
    machine = asl.load(definition)
    ex = machine.execute({"n": 3}, lambdas={"count": lambda event, context: {"bottom": event["n"]}})
    assert ex.status == "SUCCEEDED", ex.cause
    assert ex.output == {"bottom": 0}
    depth, node = 0, ex
    while node.children:
        [node] = node.children
        depth += 1
    assert depth == 3 and node.input == {"n": 0}


def test_children_repeat_with_the_seed():
    def histories(seed):
        env = env_with(SLOW)
        ex = asl.load(parent(".sync:2")).execute({"n": 1}, resolvers=env.resolvers(), clock=env.clock, seed=seed)
        return ex.history, ex.children[0].history, ex.children[0].name

    assert histories(3) == histories(3)
    assert histories(3)[2] != histories(4)[2]     # the child's name comes from the seeded source


def test_an_unknown_state_machine_is_a_service_error():
    env = env_with(SLOW)
    ex = run(parent(".sync", machine="arn:aws:states:us-east-1:111111111111:stateMachine:ghost"), {"n": 1}, env)
    assert ex.error == "StepFunctions.StateMachineDoesNotExistException"
    assert "State Machine Does Not Exist" in ex.cause and ex.children == []


def test_a_machine_that_always_starts_itself_stops_at_the_nesting_limit():
    from asl.runtime.machine import MAX_CHILD_NESTING

    forever = {"StartAt": "Again", "States": {"Again": {
        "Type": "Task", "Resource": START_EXECUTION + ".sync:2",
        "Parameters": {"StateMachineArn.$": "$$.StateMachine.Id"}, "End": True}}}
    ex = asl.load(forever).execute({})
    assert ex.status == "FAILED" and ex.error == "States.TaskFailed"
    assert len(ex.cause) <= 32_768                 # nested causes are cut at the API's limit
    depth, node = 0, ex
    while node.children:
        [node] = node.children
        depth += 1
    assert depth == MAX_CHILD_NESTING
    assert node.error == "StepFunctions.ExecutionLimitExceededException" and "nested" in node.cause
