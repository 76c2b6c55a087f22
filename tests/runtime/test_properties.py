"""Properties: whatever JSON comes in, an execution ends with an ASL outcome, never a Python exception."""
from __future__ import annotations

import tracemalloc

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import make_machine

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20)

# A machine that touches most of the data flow with paths the input may or may not satisfy.
PROBE = make_machine({"StartAt": "Shape", "States": {
    "Shape": {"Type": "Pass", "Parameters": {"v.$": "$", "n.$": "States.ArrayLength(States.Array($))"},
              "ResultPath": "$.shaped", "Next": "Pick"},
    "Pick": {"Type": "Choice", "Choices": [
        {"And": [{"Variable": "$.a", "IsPresent": True}, {"Variable": "$.a", "IsNumeric": True},
                 {"Variable": "$.a", "NumericGreaterThan": 0}], "Next": "Wait"},
        {"Variable": "$.list", "IsPresent": True, "Next": "Each"},
        {"Variable": "$.a", "StringMatches": "x*", "Next": "Boom"}], "Default": "Out"},
    "Wait": {"Type": "Wait", "SecondsPath": "$.a", "Next": "Out"},
    "Each": {"Type": "Map", "ItemsPath": "$.list", "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value"},
             "ItemProcessor": {"StartAt": "Fmt", "States": {"Fmt": {"Type": "Pass",
                 "Parameters": {"s.$": "States.Format('{}:{}', $.i, $.v)"}, "End": True}}},
             "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Out"}], "Next": "Out"},
    "Boom": {"Type": "Fail", "ErrorPath": "$.a"},
    "Out": {"Type": "Pass", "OutputPath": "$", "End": True}}})

JSONATA_PROBE = make_machine({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
    "A": {"Type": "Pass", "Assign": {"v": "{% $states.input %}"},
          "Output": {"keys": "{% $keys($states.input) %}", "n": "{% $count($states.input) %}"}, "Next": "B"},
    "B": {"Type": "Choice", "Choices": [{"Condition": "{% $type($v) = 'array' %}", "Next": "M"}], "Default": "Z"},
    "M": {"Type": "Map", "Items": "{% $v %}", "ItemProcessor": {"StartAt": "I", "States": {
        "I": {"Type": "Pass", "Output": "{% $string($states.input) %}", "End": True}}}, "Next": "Z"},
    "Z": {"Type": "Succeed"}}})

OUTCOMES = {"SUCCEEDED", "FAILED", "TIMED_OUT"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_input_gives_an_asl_outcome(value):
    for machine in (PROBE, JSONATA_PROBE):
        execution = machine.execute(value)
        assert execution.status in OUTCOMES
        assert execution.exception is None, execution.cause
        if execution.status == "FAILED":
            assert isinstance(execution.error, (str, type(None)))
        _ = execution.history   # rendering the history never fails either


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "list", "b"]), json_values, max_size=3))
def test_inputs_shaped_like_the_probe_expects(value):
    execution = PROBE.execute(value)
    assert execution.status in OUTCOMES and execution.exception is None, execution.cause


def test_a_hundred_thousand_transitions_in_constant_memory():
    loop = make_machine({"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Parameters": {"i": 0}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThan": 50_000, "Next": "Inc"}],
                  "Default": "Done"},
        "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
        "Done": {"Type": "Succeed"}}}, workflow_type="EXPRESS")
    small = loop.execute({}, history=False)    # warm up caches
    tracemalloc.start()
    try:
        execution = loop.execute({}, history=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert execution.status == "SUCCEEDED" and execution.output == {"i": 50_000} == small.output
    assert execution.event_count > 200_000            # 100,001 states entered and exited
    assert peak < 512 * 1024, peak                     # no per-transition allocation survives
