"""A resolver may hand a request on to the next resolver (TaskRequest.pass_on), in registry order."""
from __future__ import annotations

from dataclasses import replace

import pytest

import asl
from asl.errors import ResolverNotFound
from asl.resolvers.base import ResolverRegistry, parse_resource

from .conftest import task, task_machine

FUNCTION = "arn:aws:lambda:us-east-1:111111111111:function:f"
QUEUE = "arn:aws:states:::sqs:sendMessage"


class Answer:
    """Serves one service with a fixed answer."""

    def __init__(self, value, service="lambda"):
        self.value, self.service = value, service

    def accepts(self, resource):
        return resource.service == self.service

    def invoke(self, request):
        return {"answer": self.value, "payload": request.payload}


class Relay:
    """Accepts everything, notes it, and passes the request on with a changed payload."""

    def __init__(self, tag):
        self.tag, self.seen = tag, []

    def accepts(self, resource):
        return True

    def invoke(self, request):
        self.seen.append(request.state_name)
        return request.pass_on(replace(request, payload=[self.tag, request.payload]))


def test_find_after_skips_to_the_next_resolver_that_accepts():
    first, second, other = Answer(1), Answer(2), Answer(3, service="sqs")
    registry = ResolverRegistry([first, other, second])
    resource = parse_resource(FUNCTION)
    assert registry.find(resource) is first
    assert registry.find(resource, after=first) is second
    with pytest.raises(ResolverNotFound):
        registry.find(resource, after=second)


def test_pass_on_goes_down_the_chain_and_through_nested_registries():
    relay, inner_relay = Relay("outer"), Relay("inner")
    registry = ResolverRegistry([relay, ResolverRegistry([inner_relay]), Answer("end")])
    result = registry.invoke(task(FUNCTION, "p", state="S"))
    # the nested registry had nobody after its relay: the request continued in the enclosing one
    assert result == {"answer": "end", "payload": ["inner", ["outer", "p"]]}
    assert relay.seen == inner_relay.seen == ["S"]
    with pytest.raises(ResolverNotFound):
        ResolverRegistry([Relay("alone")]).invoke(task(QUEUE, {}))


def test_a_resolver_in_front_of_the_runtime_chain_passes_attempts_on_to_the_handlers():
    relay = Relay("seen")
    machine = asl.load(task_machine(FUNCTION))
    ex = machine.execute({"x": 1}, resolvers=[relay], lambdas={"f": lambda event, context: {"got": event}})
    assert ex.status == "SUCCEEDED" and ex.output == {"got": ["seen", {"x": 1}]}
    assert relay.seen == ["Task"]


def test_an_unknown_function_is_passed_on_past_the_local_handlers():
    # explicit resolvers, then the local handlers, then the machine's own: "f" is not a local handler
    machine = asl.load(task_machine(FUNCTION), resolvers=[Answer("remote")])
    ex = machine.execute({"x": 2}, lambdas={"other": lambda event, context: "local"})
    assert ex.status == "SUCCEEDED" and ex.output == {"answer": "remote", "payload": {"x": 2}}
    ex = asl.load(task_machine(FUNCTION)).execute({}, lambdas={"other": lambda event, context: "local"})
    assert ex.error == "Lambda.ResourceNotFoundException"     # nobody after them: Lambda's own answer


def test_a_request_passed_on_to_nobody_fails_the_task_with_a_hint():
    ex = asl.load(task_machine("arn:aws:states:::aws-sdk:dynamodb:getItem", {"TableName": "t"})).execute(
        {}, resolvers=[Relay("x")])
    assert ex.status == "FAILED" and ex.error == "States.TaskFailed"
    assert "No local resolver serves" in ex.cause
    assert [e["type"] for e in ex.history][-2:] == ["TaskFailed", "ExecutionFailed"]


def test_the_mock_config_passes_the_states_it_does_not_mock_to_the_local_services(env):
    from .conftest import FIXTURES

    env.use_mock_config(FIXTURES / "mock" / "MockConfigFile.json", "OrderFlow", "HappyPath")
    names = [type(r).__name__ for r in env.resolvers()]
    assert names[0] == "MockConfigResolver" and "SqsResolver" in names      # one flat chain
