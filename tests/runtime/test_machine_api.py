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
