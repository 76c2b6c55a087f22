"""What a Machine takes: its own settings at load time, a run's settings at execute time."""
from __future__ import annotations

import pytest

import asl

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def test_a_run_setting_given_to_load_is_refused_not_silently_dropped():
    with pytest.raises(TypeError, match="seed"):
        asl.load(PASS, seed=3)


def test_machine_settings_given_to_load_reach_the_context_object():
    machine = asl.load(PASS, name="Orders", region="eu-west-1", account="222222222222")
    assert machine.arn == "arn:aws:states:eu-west-1:222222222222:stateMachine:Orders"
    assert machine.execute({}, name="run-1").arn == "arn:aws:states:eu-west-1:222222222222:execution:Orders:run-1"


def test_changing_an_output_changes_neither_the_machine_nor_the_history():
    machine = asl.load({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"a": {"b": [1]}}, "End": True}}})
    first = machine.execute({})
    first.output["a"]["b"].append(2)
    assert machine.execute({}).output == {"a": {"b": [1]}}
    assert first.history[-1]["executionSucceededEventDetails"]["output"] == '{"a":{"b":[1]}}'


def test_changing_an_output_leaves_the_input_alone():
    data = {"v": [1]}
    execution = asl.load(PASS).execute(data)
    execution.output["v"].append(2)
    assert data == {"v": [1]} and execution.output == {"v": [1, 2]}
