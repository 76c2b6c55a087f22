"""The public strategies honour their options, validate their arguments and draw what they promise."""
from __future__ import annotations

import json
import re

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import asl
from asl.testing import Fault
from asl.testing import strategies as asl_st
from asl.testing.inference import input_schema

QUICK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _states(definition):
    """Every state of a definition, nested ones included: (name, state, depth)."""
    def visit(workflow, depth):
        for name, state in workflow["States"].items():
            yield name, state, depth
            for branch in state.get("Branches", []):
                yield from visit(branch, depth + 1)
            if "ItemProcessor" in state:
                yield from visit(state["ItemProcessor"], depth + 1)
    return list(visit(definition, 0))


@QUICK
@given(asl_st.state_machines(min_states=2, max_states=3, max_depth=0, query_language="JSONPath",
                             state_types=["Pass", "Wait", "Succeed", "Map"]))
def test_bounds_types_and_language_are_honoured(definition):
    states = _states(definition)
    assert 2 <= len(definition["States"]) <= 3
    assert all(depth == 0 for _, _, depth in states)                  # max_depth=0: nothing nested
    # a JSONPath Map needing items may be replaced by a Pass seeding them (documented)
    assert {s["Type"] for _, s, _ in states} <= {"Pass", "Wait", "Succeed"}
    assert "{%" not in json.dumps(definition) and "JSONata" not in json.dumps(definition)


@QUICK
@given(asl_st.state_machines(query_language="JSONata", max_depth=1))
def test_jsonata_machines_declare_it_and_use_no_jsonpath_fields(definition):
    assert definition["QueryLanguage"] == "JSONata"
    jsonpath_only = {"InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "ItemsPath",
                     "SecondsPath", "TimestampPath", "ErrorPath", "CausePath"}
    for _, state, _ in _states(definition):
        assert not jsonpath_only & set(state), state
        assert state.get("QueryLanguage", "JSONata") == "JSONata"


def _expressions(value):
    """The strings the interpreter evaluates: ``.$`` template values and ``...Path`` fields. (Drawn data
    and comments may hold any text — "Catch" or "States." too — so the whole text proves nothing.)"""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and (key.endswith(".$") or key.endswith("Path")):
                yield item
            else:
                yield from _expressions(item)
    elif isinstance(value, list):
        for item in value:
            yield from _expressions(item)


@QUICK
@given(asl_st.state_machines(functions=["alpha", "beta"], variables=False, retry=False, catch=False,
                             intrinsics=False, exotic_names=False, state_types=["Task", "Pass"]))
def test_feature_switches(definition):
    for _, state, _ in _states(definition):
        assert not {"Assign", "Retry", "Catch"} & set(state), state
    assert not [text for text in _expressions(definition) if "States." in text]
    assert set(asl_st.function_names(definition)) <= {"alpha", "beta"}
    assert all(re.fullmatch(r"[A-Za-z]+ \d+", name) for name, _, _ in _states(definition))


@QUICK
@given(asl_st.state_machines(errors=["Only.This"], state_types=["Task"], max_depth=0))
def test_retry_and_catch_use_the_given_error_names(definition):
    for _, state, _ in _states(definition):
        for handler in state.get("Retry", []) + state.get("Catch", []):
            assert set(handler["ErrorEquals"]) <= {"Only.This", "States.TaskFailed", "States.ALL"}


@pytest.mark.parametrize("kwargs, message", [
    ({"min_states": 0}, "min_states"),
    ({"min_states": 3, "max_states": 2}, "max_states"),
    ({"state_types": ["Loop"]}, "state_types"),
    ({"state_types": ["Choice"]}, "end a workflow"),
    ({"query_language": "XPath"}, "query_language"),
    ({"max_depth": -1}, "max_depth"),
    ({"max_branch_states": 0}, "max_branch_states"),
    ({"functions": ["bad name"]}, "functions"),
    ({"errors": ["States.ALL"]}, "errors"),
])
def test_bad_arguments_raise_invalid_argument(kwargs, message):
    with pytest.raises(InvalidArgument, match=message):
        asl_st.state_machines(**kwargs).example()


@pytest.mark.parametrize("factory, kwargs", [
    (asl_st.faults, {"kinds": ["meltdown"]}),
    (asl_st.faults, {"kinds": ["error"], "errors": []}),
    (asl_st.fault_schedules, {"min_faults": 3, "max_faults": 1}),
    (asl_st.fault_schedules, {"states": []}),
    (asl_st.fault_schedules, {"states": ["A"], "max_faults": 9, "max_attempt": 1}),
    (asl_st.intrinsic_calls, {"type": "date"}),
    (asl_st.jsonata_expressions, {"type": "date"}),
])
def test_bad_fault_and_expression_arguments(factory, kwargs):
    with pytest.raises(InvalidArgument):
        factory(**kwargs)


@QUICK
@given(asl_st.fault_schedules(states=["A", "B"], kinds=["throttle", "timeout"], min_faults=1, max_faults=3,
                              max_attempt=2))
def test_fault_schedules_stay_in_bounds(schedule):
    assert set(schedule.plan) <= {"A", "B"}
    assert 1 <= schedule.count() <= 3
    assert all(len(row) <= 3 for row in schedule.plan.values())
    assert {f.kind for f in schedule.faults} <= {"throttle", "timeout"}
    # consecutive by default: a state's faults are its first attempts
    assert all(None not in row for row in schedule.plan.values())


@QUICK
@given(asl_st.fault_schedules(states=["A"], kinds=["error"], errors=["E"], min_faults=2, max_faults=2,
                              max_attempt=5, consecutive=False))
def test_scattered_fault_schedules(schedule):
    row = schedule.plan["A"]
    assert schedule.count() == 2 and len(row) <= 6 and row[-1] is not None
    assert repr(schedule).startswith("FaultSchedule({'A': [") and "error E" in repr(schedule)


def test_fault_reprs_read_like_code():
    assert repr(Fault.throttle()) == "Fault.throttle()"
    assert repr(Fault.throttle("SQS")) == "Fault.throttle('SQS')"
    assert repr(Fault.heartbeat()) == "Fault.heartbeat()"
    assert repr(Fault.failure("E", "c")) == "Fault.failure('E', 'c')"


# --- expressions evaluate without error -----------------------------------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_intrinsic_calls_evaluate_to_their_type(data):
    want = data.draw(st.sampled_from([None, "string", "number", "array", "boolean", "object"]))
    call = data.draw(asl_st.intrinsic_calls(type=want))
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": call}, "End": True}}}
    execution = asl.load(definition).execute({})
    assert execution.status == "SUCCEEDED", (call, execution.cause)
    value = execution.output["v"]
    expected = {"string": str, "number": (int, float), "array": list, "boolean": bool, "object": dict}
    if want is not None:
        assert isinstance(value, expected[want]) and not (want == "number" and isinstance(value, bool)), (call, value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_jsonata_expressions_evaluate_to_their_type(data):
    want = data.draw(st.sampled_from([None, "string", "number", "array", "boolean", "object"]))
    expression = data.draw(asl_st.jsonata_expressions(type=want))
    definition = {"QueryLanguage": "JSONata", "StartAt": "P",
                  "States": {"P": {"Type": "Pass", "Output": {"v": "{% " + expression + " %}"}, "End": True}}}
    execution = asl.load(definition).execute({})
    assert execution.status == "SUCCEEDED", (expression, execution.cause)
    value = execution.output["v"]
    expected = {"string": str, "number": (int, float), "array": list, "boolean": bool, "object": dict}
    if want is not None:
        assert isinstance(value, expected[want]), (expression, value)


# --- inputs ---------------------------------------------------------------------------------------------

SCHEMA = {
    "type": "object", "required": ["n", "order"], "additionalProperties": False,
    "properties": {
        "n": {"type": "integer", "minimum": 0, "maximum": 9},
        "order": {"type": "object", "required": ["lines"], "properties": {
            "lines": {"type": "array", "minItems": 1, "maxItems": 3, "items": {
                "type": "object", "required": ["sku", "qty"],
                "properties": {"sku": {"type": "string", "pattern": "^[A-Z]{3}$"},
                               "qty": {"type": "integer", "minimum": 1}}}},
            "coupon": {"anyOf": [{"type": "null"}, {"type": "string", "enum": ["VIP", "NEW"]}]},
            "ref": {"$ref": "#/$defs/id"}}},
    },
    "$defs": {"id": {"type": "string", "minLength": 2, "maxLength": 4}},
}


@QUICK
@given(asl_st.inputs(SCHEMA))
def test_inputs_follow_the_schema(value):
    jsonschema.validate(value, SCHEMA)


CHOOSER = {
    "StartAt": "Route",
    "States": {
        "Route": {"Type": "Choice", "Choices": [
            {"And": [{"Variable": "$.order.total", "NumericGreaterThan": 100},
                     {"Variable": "$.order.vip", "BooleanEquals": True}], "Next": "Items"},
            {"Variable": "$.coupon", "IsPresent": True, "Next": "Items"}], "Default": "Items"},
        "Items": {"Type": "Map", "ItemsPath": "$.order.lines", "ItemProcessor": {
            "StartAt": "Line", "States": {"Line": {"Type": "Pass", "End": True}}}, "End": True},
    },
}


def test_an_input_schema_is_inferred_from_what_the_first_state_reads():
    schema = input_schema(CHOOSER)
    order = schema["properties"]["order"]
    assert schema["required"] == ["order"]
    assert order["properties"]["total"] == {"type": "number"}
    assert order["properties"]["vip"] == {"type": "boolean"}
    assert set(order["required"]) == {"total", "vip"}
    assert order["properties"]["lines"]["type"] == "array"       # read by a later state: optional
    assert "coupon" in schema["properties"] and "coupon" not in schema["required"]


@QUICK
@given(asl_st.inputs(definition=CHOOSER))
def test_inferred_inputs_get_through_the_first_state(value):
    execution = asl.load(CHOOSER).execute(value)
    # only the first state's reads are required; a later state may still miss its (optional) data
    assert "Route" not in (execution.cause or ""), execution.cause
    assert execution.states_entered[0] == "Route" and len(execution.states_entered) >= 2


def test_helpers_find_the_functions_a_definition_calls():
    definition = {"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:first:live", "Next": "B"},
        "B": {"Type": "Parallel", "Branches": [{"StartAt": "C", "States": {"C": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:1:function:second"}, "End": True}}}],
              "End": True}}}
    assert asl_st.function_names(definition) == ["first", "second"]
    handlers = asl_st.echo_lambdas(definition)
    assert sorted(handlers) == ["first", "second"] and handlers["first"]({"a": 1}, None) == {"a": 1}
    assert sorted(asl_st.echo_lambdas(["x"])) == ["x"]
