"""asl.testing.run: handlers, mocks, faults, services, and what a RunResult lets a test assert."""
from __future__ import annotations

import pytest

import asl
from asl.testing import (
    ExecutionAssertionError, Fault, FaultSchedule, Mocks, RunResult, json_diff, run,
)
from asl.testing.faults import schedule

ORDER = {
    "StartAt": "Validate",
    "States": {
        "Validate": {"Type": "Choice", "Choices": [{"Variable": "$.amount", "NumericGreaterThan": 0,
                                                    "Next": "Charge"}], "Default": "Rejected"},
        "Charge": {
            "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
            "ResultPath": "$.charge",
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException", "States.Timeout"],
                       "IntervalSeconds": 1, "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["PaymentDeclined"], "ResultPath": "$.error", "Next": "Declined"}],
            "Next": "Notify",
        },
        "Notify": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/111111111111/orders",
                           "MessageBody": {"order.$": "$.orderId"}},
            "ResultPath": None, "End": True,
        },
        "Declined": {"Type": "Fail", "Error": "OrderDeclined", "CausePath": "$.error.Cause"},
        "Rejected": {"Type": "Fail", "Error": "OrderInvalid"},
    },
}
NOTIFY_OK = {"MD5OfMessageBody": "x", "MessageId": "m-1"}


@pytest.fixture(scope="module")
def machine():
    return asl.load(ORDER)


def charge(event, context):
    return {"id": f"ch-{event['orderId']}"}


def test_run_with_a_handler_and_a_mock_records_every_call(machine):
    result = run(machine, {"orderId": 7, "amount": 3}, lambdas={"charge": charge},
                 mocks=Mocks().state("Notify").returns(NOTIFY_OK))
    result.assert_succeeded({"orderId": 7, "amount": 3, "charge": {"id": "ch-7"}})
    assert result.path == ["Validate", "Charge", "Notify"]
    assert [(c.state, c.source, c.attempt) for c in result.invocations] == [
        ("Charge", "resolver", 0), ("Notify", "mock", 0)]
    assert result.calls(function="charge")[0].payload == {"orderId": 7, "amount": 3}
    assert result.sent("orders") == [{"order": 7}]
    assert result.sent("https://sqs.us-east-1.amazonaws.com/111111111111/orders") == [{"order": 7}]
    assert result.sent("other-queue") == []


def test_a_definition_is_loaded_for_the_caller():
    result = run({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": True}}})
    assert result.output == 1 and isinstance(result, RunResult)


def test_faults_are_retried_and_counted(machine):
    faults = FaultSchedule({"Charge": (Fault.throttle(), Fault.timeout())})
    result = run(machine, {"orderId": 1, "amount": 5}, lambdas={"charge": charge},
                 mocks={"Notify": [{"Return": NOTIFY_OK}]}, faults=faults)
    result.assert_succeeded().assert_attempts("Charge", 3)
    assert [c.error for c in result.calls("Charge")] == ["Lambda.TooManyRequestsException", "States.Timeout", None]
    assert [c.source for c in result.calls("Charge")] == ["fault", "fault", "resolver"]
    # a timeout fault is recorded by the runtime as a timed-out task, as AWS shows it
    types = [e["type"] for e in result.history]
    assert "LambdaFunctionTimedOut" in types and types.count("LambdaFunctionFailed") == 1


def test_faults_beyond_the_retrier_fail_the_execution_with_the_fault(machine):
    result = run(machine, {"orderId": 1, "amount": 5}, lambdas={"charge": charge},
                 faults=schedule(Charge=[Fault.throttle()] * 3))
    result.assert_failed("Lambda.TooManyRequestsException").assert_attempts("Charge", 3)
    assert result.attempts("Charge") == 3
    assert "(injected)" in result.explain()


def test_mock_responses_are_consumed_only_by_attempts_that_reach_the_mock(machine):
    mocks = Mocks().state("Charge").returns({"id": "mocked"}).state("Notify").returns(NOTIFY_OK)
    result = run(machine, {"orderId": 1, "amount": 5}, mocks=mocks, faults=schedule(Charge=[Fault.throttle()]))
    result.assert_succeeded().assert_attempts("Charge", 2)
    assert result.output["charge"] == {"id": "mocked"}


def test_a_mocked_throw_is_caught_like_a_real_error(machine):
    mocks = Mocks().state("Charge").throws("PaymentDeclined", "card expired")
    result = run(machine, {"orderId": 1, "amount": 5}, mocks=mocks)
    result.assert_failed("OrderDeclined", "card expired").assert_path("Validate", "Charge", "Declined")


def test_running_past_the_mocked_responses_fails_the_execution(machine):
    mocks = Mocks().state("Charge").throws("Lambda.TooManyRequestsException")
    result = run(machine, {"orderId": 1, "amount": 5}, mocks=mocks)
    result.assert_failed("States.Runtime", cause_contains="no response for invocation 1")


def test_mock_return_values_are_copies(machine):
    value = {"id": "shared"}
    mocks = Mocks().state("Charge").returns(value).state("Notify").returns(NOTIFY_OK)
    result = run(machine, {"orderId": 1, "amount": 5}, mocks=mocks)
    assert result.output["charge"] == value and result.output["charge"] is not value


def test_a_missing_handler_says_how_to_provide_one(machine):
    result = run(machine, {"orderId": 1, "amount": 5}, faults=schedule(Notify=[None]))
    result.assert_failed("States.TaskFailed")
    assert "lambdas" in result.cause


def test_services_serve_queues_and_keep_what_was_sent(machine):
    from asl.resolvers import Environment

    env = Environment()
    env.add_queue("orders")
    result = run(machine, {"orderId": 9, "amount": 5}, lambdas={"charge": charge}, services=env)
    result.assert_succeeded()
    assert result.sent("orders") == [{"order": 9}]
    left = result.queue("orders")
    assert len(left) == 1 and '"order":9' in left[0]["Body"].replace(" ", "")


def test_the_same_seed_gives_the_same_run(machine):
    a = run(machine, {"orderId": 1, "amount": 5}, lambdas={"charge": charge},
            mocks={"Notify": [{"Return": NOTIFY_OK}]}, seed=42)
    b = run(machine, {"orderId": 1, "amount": 5}, lambdas={"charge": charge},
            mocks={"Notify": [{"Return": NOTIFY_OK}]}, seed=42)
    assert a.history == b.history and a.execution.name == b.execution.name


# --- assertion messages ------------------------------------------------------------------------------

def test_a_failed_status_assertion_tells_the_story(machine):
    result = run(machine, {"orderId": 1, "amount": -1})
    with pytest.raises(ExecutionAssertionError) as info:
        result.assert_succeeded()
    message = str(info.value)
    assert "expected status SUCCEEDED, got FAILED" in message
    assert "error:  OrderInvalid" in message
    assert "path:   Validate -> Rejected" in message


def test_an_output_assertion_points_at_the_differences(machine):
    result = run(machine, {"orderId": 1, "amount": 5}, lambdas={"charge": charge},
                 mocks={"Notify": [{"Return": NOTIFY_OK}]})
    with pytest.raises(ExecutionAssertionError) as info:
        result.assert_output({"orderId": 2, "amount": 5, "charge": {"id": "ch-1"}, "extra": True})
    message = str(info.value)
    assert "$.orderId: expected 2, got 1" in message
    assert "$.extra: expected true, but the key is missing" in message
    assert "Validate -> Charge -> Notify" in message
    result.assert_output_contains({"charge": {"id": "ch-1"}})
    with pytest.raises(ExecutionAssertionError, match=r"\$\.charge\.id: expected \"x\""):
        result.assert_output_contains({"charge": {"id": "x"}})


def test_path_assertions(machine):
    result = run(machine, {"orderId": 1, "amount": -1})
    result.assert_visited("Validate", "Rejected").assert_not_visited("Charge")
    with pytest.raises(ExecutionAssertionError, match="'Charge' was not entered"):
        result.assert_visited("Validate", "Charge")
    with pytest.raises(ExecutionAssertionError, match="never to enter 'Rejected'"):
        result.assert_not_visited("Rejected")
    with pytest.raises(ExecutionAssertionError, match="expected the path Validate -> Charge"):
        result.assert_path(["Validate", "Charge"])
    with pytest.raises(ExecutionAssertionError, match="expected 1 attempt"):
        result.assert_attempts("Charge", 1)


def test_attempts_can_be_counted_from_the_history_alone(machine):
    result = run(machine, {"orderId": 1, "amount": 5}, lambdas={"charge": charge},
                 mocks={"Notify": [{"Return": NOTIFY_OK}]}, faults=schedule(Charge=[Fault.throttle()]))
    bare = RunResult(result.execution)
    assert bare.attempts("Charge") == result.attempts("Charge") == 2
    assert bare.attempts("Notify") == 1


@pytest.mark.parametrize("expected, actual, subset, lines", [
    ({"a": 1}, {"a": 1.0}, False, []),
    ({"a": True}, {"a": 1}, False, ["$.a: expected true, got 1"]),
    ([1, 2], [1], False, ["$: expected 2 item(s), got 1: [1]"]),
    ({"a": {"b": [1, {"c": 2}]}}, {"a": {"b": [1, {"c": 3}]}}, False, ["$.a.b[1].c: expected 2, got 3"]),
    ({"a": 1}, {"a": 1, "b": 2}, True, []),
    ({"a": 1}, {"a": 1, "b": 2}, False, ["$.b: unexpected key (value 2)"]),
    ({"x y": 1}, {}, False, ['$["x y"]: expected 1, but the key is missing']),
])
def test_json_diff(expected, actual, subset, lines):
    assert json_diff(expected, actual, subset=subset) == lines


# --- the standalone fault injector --------------------------------------------------------------------

def test_fault_injector_in_front_of_real_resolvers(machine):
    injector = FaultSchedule({"*": (Fault.failure("Lambda.ServiceException", "down"),)}).injector()
    execution = machine.execute({"orderId": 1, "amount": 5}, resolvers=[injector], lambdas={"charge": charge})
    assert execution.status == "FAILED" and execution.error == "Lambda.ServiceException"
    assert injector.injected == [("Charge", 0, Fault.failure("Lambda.ServiceException", "down"))]
    # an attempt with no fault scheduled is passed on to the handlers after the injector
    injector = FaultSchedule({"Charge": (None,)}).injector()
    execution = machine.execute({"orderId": 1, "amount": 5}, resolvers=[injector], lambdas={"charge": charge})
    assert "LambdaFunctionSucceeded" in [e["type"] for e in execution.history] and injector.injected == []
    injector.reset()
    assert injector.attempts == {} and injector.injected == []


def test_fault_schedule_validation_and_description():
    with pytest.raises(TypeError):
        FaultSchedule({"A": ("not a fault",)})
    plan = FaultSchedule({"A": (None, Fault.throttle()), "*": (Fault.heartbeat(),)})
    assert plan.fault_for("A", 0) is None and plan.fault_for("A", 1).kind == "throttle"
    assert plan.fault_for("A", 2) is None
    assert plan.fault_for("B", 0) == Fault.heartbeat() and plan.fault_for("B", 1) is None
    assert plan.count() == 2 and plan.count("throttle") == 1
    assert str(plan) == "A: #1 throttle; *: #0 heartbeat"
    assert Fault.heartbeat().error == "States.Timeout"
    assert Fault.throttle("SQS").error == "SQS.AmazonSQSException"


def test_a_lost_heartbeat_is_a_timeout_that_heartbeat_matchers_catch():
    definition = {"StartAt": "Wait for worker", "States": {"Wait for worker": {
        "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
        "HeartbeatSeconds": 5, "TimeoutSeconds": 60,
        "Retry": [{"ErrorEquals": ["States.HeartbeatTimeout"], "MaxAttempts": 1}], "End": True}}}
    machine = asl.load(definition)
    lambdas = {"work": lambda event, context: "done"}
    result = run(machine, lambdas=lambdas, faults=schedule(**{"Wait for worker": [Fault.heartbeat()]}))
    result.assert_succeeded("done").assert_attempts("Wait for worker", 2)
    result = run(machine, lambdas=lambdas, faults=FaultSchedule({"Wait for worker": (Fault.timeout(),)}))
    result.assert_failed("States.Timeout").assert_attempts("Wait for worker", 1)


def test_what_was_published_to_a_topic(machine):
    from asl.resolvers import Environment

    definition = {"StartAt": "Tell", "States": {"Tell": {
        "Type": "Task", "Resource": "arn:aws:states:::sns:publish",
        "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:111111111111:news", "Message.$": "$.text"},
        "End": True}}}
    env = Environment()
    env.add_topic("news")
    env.add_queue("inbox")
    env.subscribe("news", queue="inbox", raw=True)
    result = run(definition, {"text": "hello"}, services=env)
    result.assert_succeeded()
    assert result.sent("news") == ["hello"] == result.sent("arn:aws:sns:us-east-1:111111111111:news")
    assert [m["Body"] for m in result.queue("inbox")] == ["hello"]


def test_faults_may_be_given_as_a_plain_mapping(machine):
    result = run(machine, {"orderId": 1, "amount": 5}, lambdas={"charge": charge},
                 mocks={"Notify": [{"Return": NOTIFY_OK}]}, faults={"Charge": [Fault.throttle(), None]})
    result.assert_succeeded().assert_attempts("Charge", 2)
