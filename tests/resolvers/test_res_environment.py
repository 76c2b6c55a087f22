"""Environment files, nested executions and the whole local account working together."""
from __future__ import annotations

import json

import pytest

import asl
from asl.resolvers import default_resolvers
from asl.resolvers.env_file import EnvFileError, load_environment
from asl.resolvers.environment import Environment
from asl.resolvers.cli_options import environment_for_run, format_queues
from asl.runtime.clock import VirtualClock

from .conftest import FIXTURES, START, events_of, run, task_machine

ENV_DIR = FIXTURES / "env"


def test_an_inline_child_definition_keeps_its_timestamps_as_strings(tmp_path):
    (tmp_path / "env.yaml").write_text(
        "state_machines:\n"
        "  child: {StartAt: W, States: {W: {Type: Wait, Timestamp: 2024-01-01T00:00:10Z, End: true}}}\n")
    env = load_environment(tmp_path / "env.yaml", clock=VirtualClock(START))
    parent = task_machine("arn:aws:states:::states:startExecution.sync:2",
                          {"StateMachineArn": "arn:aws:states:us-east-1:111111111111:stateMachine:child"})
    ex = asl.load(parent).execute({}, resolvers=env.resolvers(), clock=env.clock)
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)     # a datetime Timestamp would not even lint


def test_env_file_runs_the_flow_end_to_end():
    env = load_environment(ENV_DIR / "local.yaml", clock=VirtualClock(START))
    machine = asl.load(str(ENV_DIR / "flow.asl.json"))
    value = json.loads((ENV_DIR / "input.json").read_text())
    ex = machine.execute(value, resolvers=env.resolvers(), clock=env.clock)
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
    assert ex.output["price"] == {"total": 125, "items": 2}
    assert ex.output["api"] == {"status": 201, "body": {"order": "o-1", "path": "/orders"}}
    assert len(ex.output["queued"]) == 2
    env.settle()
    left = env.queues()
    # the audit queue got the enveloped order and the big-order event's detail
    audit = [json.loads(m["Body"]) for m in left["audit"]]
    assert sum(1 for a in audit if a.get("Type") == "Notification") == 3
    assert {"total": 125, "items": 2} in audit
    # job 1 was processed; the poison job was received twice, then moved to the DLQ
    assert left["jobs"] == []
    assert [json.loads(m["Body"]) for m in left["jobs-dlq"]] == [{"id": 2, "poison": True}]
    text = format_queues(env)
    assert "jobs-dlq: 1 message" in text and "from jobs" in text


def test_environment_for_run_with_env_file_and_seed():
    env = environment_for_run(ENV_DIR / "flow.asl.json", env_file=ENV_DIR / "local.yaml", seed=3)
    assert set(env.lambda_.functions) >= {"pricing", "worker", "shop_api", "worker-slow"}
    assert env.lambda_.functions["worker-slow"].reserved_concurrency == 1
    assert json.loads(format_queues(env, as_json=True)) == {"audit": [], "jobs": [], "jobs-dlq": []}


@pytest.mark.parametrize("data, message", [
    ({"queus": {}}, "unknown key"),
    ({"functions": {"f": {"timeout": 3}}}, "'handler' is required"),
    ({"functions": {"f": {"handler": "no_such_module_q:handler"}}}, "cannot import"),
    ({"functions": {"f": {"handler": "json:dumps", "colour": "red"}}}, "unknown key"),
    ({"queues": {"a": {"redrive": {"dead_letter": "b"}}, "b": {"redrive": {"dead_letter": "a"}}}}, "cycle"),
    ({"queues": {"a": {"VisibilityTimeout": 99999}}}, "VisibilityTimeout"),
    ({"topics": {"t": {"subscriptions": [{"queue": "missing"}]}}}, "does not exist"),
    ({"rules": [{"pattern": {"source": "not-a-list"}, "targets": []}]}, "not valid"),
])
def test_env_file_errors_are_reported_with_their_place(data, message):
    with pytest.raises(EnvFileError, match=message):
        load_environment(data)


def test_env_file_must_be_readable(tmp_path):
    (tmp_path / "bad.yaml").write_text("functions: [unclosed")
    with pytest.raises(EnvFileError, match="not valid YAML"):
        load_environment(tmp_path / "bad.yaml")
    with pytest.raises(EnvFileError, match="cannot read"):
        load_environment(tmp_path / "missing.yaml")


def test_json_env_file_with_mock_defaults(tmp_path):
    (tmp_path / "env.json").write_text(json.dumps({
        "mock_config": str(FIXTURES / "mock" / "MockConfigFile.json"), "test_case": "HappyPath"}))
    env = environment_for_run(FIXTURES / "mock" / "OrderFlow.asl.json", env_file=tmp_path / "env.json")
    ex = asl.load(str(FIXTURES / "mock" / "OrderFlow.asl.json")).execute(
        {"amount": 1}, resolvers=env.resolvers(), clock=env.clock)
    assert ex.status == "SUCCEEDED" and ex.output["sent"] == {"id": "msg-0001"}


# -- nested executions ------------------------------------------------------------------------------
CHILD = {"StartAt": "Double", "States": {"Double": {"Type": "Pass", "Parameters": {"value.$": "States.MathAdd($.n, $.n)"},
                                                     "End": True}}}
FAILING_CHILD = {"StartAt": "No", "States": {"No": {"Type": "Fail", "Error": "ChildError", "Cause": "child says no"}}}
START_EXECUTION = "arn:aws:states:::states:startExecution"


@pytest.fixture
def nested(env):
    env.add_state_machine("child", CHILD)
    env.add_state_machine("arn:aws:states:us-east-1:111111111111:stateMachine:failing", FAILING_CHILD)
    return env


def child_task(pattern: str, machine: str = "child", **extra):
    arn = f"arn:aws:states:us-east-1:111111111111:stateMachine:{machine}"
    return task_machine(START_EXECUTION + pattern, {"StateMachineArn": arn, "Input": {"n.$": "$.n"}, **extra})


def test_start_execution_sync2_returns_the_child_output_as_json(nested):
    ex = run(child_task(".sync:2", Name="kid"), {"n": 4}, nested)
    assert ex.status == "SUCCEEDED", ex.cause
    assert ex.output["Output"] == {"value": 8} and ex.output["Input"] == {"n": 4}
    assert ex.output["Status"] == "SUCCEEDED" and ex.output["Name"] == "kid"
    assert ex.output["ExecutionArn"].endswith(":execution:child:kid")


def test_start_execution_sync_returns_text(nested):
    ex = run(child_task(".sync"), {"n": 1}, nested)
    assert ex.output["Output"] == '{"value":2}' and ex.output["Input"] == '{"n":1}'


def test_failed_child_fails_the_task_with_its_description(nested):
    ex = run(child_task(".sync", machine="failing"), {"n": 1}, nested)
    assert ex.status == "FAILED" and ex.error == "States.TaskFailed"
    cause = json.loads(ex.cause)
    assert (cause["Status"], cause["Error"], cause["Cause"]) == ("FAILED", "ChildError", "child says no")


def test_request_response_start_runs_the_child_independently(nested):
    ex = run(child_task(""), {"n": 2}, nested)
    assert ex.status == "SUCCEEDED" and set(ex.output) >= {"ExecutionArn", "StartDate", "SdkHttpMetadata"}
    nested.settle()
    assert nested._states.executions[-1]["Output"] == '{"value":4}'


def test_unknown_state_machine(env):
    ex = run(child_task(".sync", machine="ghost"), {"n": 1}, env)
    assert ex.error == "StepFunctions.StateMachineDoesNotExistException"
    assert "Error Code: StateMachineDoesNotExist" in ex.cause


def test_children_only_run_through_the_runtime(env):
    from asl.resolvers.base import TaskRequest, parse_resource

    with pytest.raises(asl.TaskFailed) as failed:
        env._states.invoke(TaskRequest(parse_resource(START_EXECUTION + ".sync:2"),
                                       {"StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:any"}, "T"))
    assert failed.value.error == "States.Runtime" and "start_child" in failed.value.cause


# -- defaults and ordering --------------------------------------------------------------------------
def test_default_resolvers_answer_like_an_empty_account():
    resolvers = default_resolvers(clock=VirtualClock(START))
    assert not any(type(r).__name__ == "LambdaResolver" for r in resolvers)
    ex = asl.load(task_machine("arn:aws:states:::sqs:sendMessage", {"QueueUrl": "q", "MessageBody": "x"})).execute({})
    assert ex.status == "FAILED" and ex.error == "SQS.QueueDoesNotExistException"


def test_explicit_resolvers_come_first(env):
    class Fixed:
        def accepts(self, resource):
            return resource.service == "sqs"

        def invoke(self, request):
            return {"fixed": True}

    env.register(Fixed())
    ex = run(task_machine("arn:aws:states:::sqs:sendMessage", {"QueueUrl": "q", "MessageBody": "x"}), {}, env)
    assert ex.output == {"fixed": True}
    assert type(env.resolvers()[0]).__name__ == "Fixed"


def test_same_seed_same_run():
    def once():
        env = Environment(seed=11, clock=VirtualClock(START))
        env.add_queue("q")
        env.add_function("f", lambda e, c: e)
        ex = run(task_machine("arn:aws:states:::sqs:sendMessage", {"QueueUrl": "q", "MessageBody": "hi"}), {}, env)
        return ex.output["MessageId"], env.queues()

    assert once() == once()


def test_wait_state_drives_scheduled_work(env):
    env.add_queue("later")
    env.scheduler.call_later(30, lambda: env.sqs.send_message("later", "arrived"))
    ex = run({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "Next": "R"},
                                          "R": {"Type": "Pass", "End": True}}}, {}, env)
    assert ex.status == "SUCCEEDED" and env.sqs.bodies("later") == ["arrived"]
    assert "WaitStateExited" in events_of(ex)
