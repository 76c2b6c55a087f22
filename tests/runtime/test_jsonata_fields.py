"""JSONata fields of one state run share one environment, and name their location as AWS does."""
from __future__ import annotations

import pytest

import asl.jsonata_expr as jsonata_expr

from .conftest import run

FUNCTION = "arn:aws:lambda:us-east-1:111111111111:function:f"


def boom(event, context):
    raise ValueError("boom")


def evaluation_failed(execution) -> dict:
    return next(e["evaluationFailedEventDetails"] for e in execution.history if e["type"] == "EvaluationFailed")


def choice(rule_fields: dict) -> dict:
    return {"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Default": "Done", "Choices": [
            {"Condition": "{% false %}", "Next": "Done"},
            {"Condition": "{% $states.input.go %}", "Next": "Done", **rule_fields}]},
        "Done": {"Type": "Succeed"}}}


def catching(catcher_fields: dict) -> dict:
    return {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": FUNCTION, "End": True, "Catch": [
            {"ErrorEquals": ["Nope"], "Next": "Done"},
            {"ErrorEquals": ["States.ALL"], "Next": "Done", **catcher_fields}]},
        "Done": {"Type": "Succeed"}}}


@pytest.mark.parametrize("fields, location", [
    ({"Output": {"v": "{% $states.input.missing %}"}}, "Choices[1]/Output/v"),
    ({"Assign": {"a": "{% $states.input.missing %}"}}, "Choices[1]/Assign/a"),
])
def test_a_choice_rule_names_its_own_fields_in_failures(fields, location):
    execution = run(choice(fields), {"go": True})
    assert execution.error == "States.QueryEvaluationError"
    assert f"specified for the field '{location}'" in execution.cause
    details = evaluation_failed(execution)
    assert (details["location"], details["state"]) == (location, "C")


@pytest.mark.parametrize("fields, location", [
    ({"Output": {"v": "{% $states.input.missing %}"}}, "Catch[1]/Output/v"),
    ({"Assign": {"a": "{% $states.errorOutput.missing %}"}}, "Catch[1]/Assign/a"),
])
def test_a_catcher_names_its_own_fields_in_failures(fields, location):
    execution = run(catching(fields), {}, lambdas={"f": boom})
    assert execution.error == "States.QueryEvaluationError"
    assert f"specified for the field '{location}'" in execution.cause
    assert evaluation_failed(execution)["location"] == location


def test_rule_and_catcher_fields_still_work():
    execution = run(choice({"Output": {"v": "{% $states.input.go %}"}, "Assign": {"x": 1}}), {"go": True})
    assert execution.output == {"v": True}
    execution = run(catching({"Output": "{% $states.errorOutput.Error & '/' & $states.input.k %}"}), {"k": "in"},
                    lambdas={"f": boom})
    assert execution.output == "ValueError/in"


def test_one_conversion_of_the_input_serves_every_field_of_a_state(monkeypatch):
    converted = []
    original = jsonata_expr.to_jsonata

    def counting(value):
        converted.append(value)
        return original(value)

    monkeypatch.setattr(jsonata_expr, "to_jsonata", counting)
    rules = [{"Condition": f"{{% $states.input.n = {i} %}}", "Next": "Done"} for i in range(5)]
    definition = {"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": rules, "Default": "Done",
              "Output": {"n": "{% $states.input.n %}"}, "Assign": {"seen": "{% $states.input.n %}"}},
        "Done": {"Type": "Succeed"}}}
    data = {"n": 9}
    execution = run(definition, data)
    assert execution.output == {"n": 9}
    # five conditions, the default's Output and Assign: the input was converted for JSONata once
    assert sum(1 for value in converted if value == data) == 1
