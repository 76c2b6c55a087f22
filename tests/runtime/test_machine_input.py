"""The execution input is the run's own JSON value, as on AWS where it travels as text."""
from __future__ import annotations

import math

import pytest

import asl
from asl.errors import InvalidExecutionInput

PASS = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}


def test_changing_the_callers_input_after_the_run_changes_neither_output_nor_history():
    machine = asl.load(PASS)
    data = {"items": [1]}
    execution = machine.execute(data)
    data["items"].append(2)
    assert execution.output == {"items": [1]}
    assert execution.history[0]["executionStartedEventDetails"]["input"] == '{"items":[1]}'


@pytest.mark.parametrize("value", [{"a": {1, 2}}, {"when": object()}, [math.nan], {"x": math.inf}])
def test_a_value_that_is_not_json_is_refused_as_aws_refuses_it(value):
    with pytest.raises(InvalidExecutionInput, match="Invalid State Machine Execution Input"):
        asl.load(PASS).execute(value)


def test_no_input_means_an_empty_object():
    assert asl.load(PASS).execute(None).output == {}
