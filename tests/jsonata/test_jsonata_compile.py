"""Recognising ``{% %}`` strings, compiling fields once, literals, locations and syntax errors."""
from __future__ import annotations

import pytest
from jsonata import Jsonata

from asl.jsonata_expr import (
    JsonataEnv,
    JsonataSyntaxError,
    QueryEvaluationError,
    compile_field,
    expression_body,
    is_expression,
)
from asl.jsonata_syntax import body_offset


def env(**kwargs):
    kwargs.setdefault("states_input", {})
    kwargs.setdefault("state_name", "S")
    kwargs.setdefault("entered_event_id", 2)
    return JsonataEnv(**kwargs)


@pytest.mark.parametrize("value, expected", [
    ("{% 1 %}", True),
    ("{%1%}", True),
    ("{%\n$x\n%}", True),
    (" {% 1 %}", False),          # whitespace outside the delimiters: a literal
    ("{% 1 %} ", False),
    ("{% 1", False),
    ("1 %}", False),
    ("{%}", False),               # too short to hold both delimiters
    ("$states.input", False),
    (42, False),
    (None, False),
    (["{% 1 %}"], False),
])
def test_is_expression(value, expected):
    assert is_expression(value) is expected


def test_expression_body_strips_delimiters_and_outer_spaces():
    assert expression_body("{%   $states.input.x  %}") == "$states.input.x"
    assert body_offset("{%   $x %}") == 5
    assert "{%   $x %}"[body_offset("{%   $x %}"):].startswith("$x")


def test_literals_are_constant_and_returned_as_written():
    value = {"null": None, "int": 0, "float": 0.1, "bool": True, "str": " {% not %} ", "path": "$states.input",
             "list": [None, 1, [], {"k": "$$"}], "obj": {}}
    field = compile_field(value)
    assert field.is_constant
    assert field.evaluate(env()) == value


def test_constant_results_are_fresh_copies():
    field = compile_field({"a": [1, {"b": 2}]})
    first = field.evaluate(env())
    first["a"][1]["b"] = "changed"
    assert field.evaluate(env()) == {"a": [1, {"b": 2}]}


def test_expressions_nested_anywhere_are_evaluated_and_keys_never_are():
    field = compile_field({"{% 1 %}": "{% 1 + 1 %}", "list": [1, "{% 'two' %}", {"deep": ["{% $v %}"]}]})
    assert not field.is_constant
    assert field.evaluate(env(variables={"v": True})) == {"{% 1 %}": 2, "list": [1, "two", {"deep": [True]}]}


def test_scalar_expression_fields():
    assert compile_field("{% 3 * 4 %}", field="Seconds", expect="integer").evaluate(env()) == 12
    assert compile_field(True, field="Condition").evaluate(env()) is True


@pytest.mark.parametrize("value, location", [
    ("{% $nothing %}", "Output"),
    ({"a": "{% $nothing %}"}, "Output/a"),
    ({"a": {"b": [0, "{% $nothing %}"]}}, "Output/a/b[1]"),
    (["{% $nothing %}"], "Output[0]"),
])
def test_locations_follow_aws_notation(value, location):
    with pytest.raises(QueryEvaluationError) as caught:
        compile_field(value, field="Output").evaluate(env())
    assert caught.value.location == location
    assert f"specified for the field '{location}' returned nothing" in caught.value.cause


def test_field_name_is_the_callers_location():
    with pytest.raises(QueryEvaluationError) as caught:
        compile_field({"x": "{% $nothing %}"}, field="Choices[1]/Assign").evaluate(env())
    assert caught.value.location == "Choices[1]/Assign/x"


@pytest.mark.parametrize("text", ["{% $states.input. %}", "{% 1 + %}", "{% ( %}", "{%%}", "{% $x := 1; $x %}",
                                  "{% 'unterminated %}", "{% " + "(" * 400 + "1" + ")" * 400 + " %}"])
def test_syntax_errors_are_reported_at_compile_time(text):
    with pytest.raises(JsonataSyntaxError) as caught:
        compile_field({"k": text}, field="Arguments")
    error = caught.value
    assert error.field == "Arguments/k"
    assert error.expression == expression_body(text)
    assert error.message.split(":")[0].startswith("S0")
    assert 0 <= error.position <= len(error.expression) + 1


def test_syntax_error_message_and_position():
    with pytest.raises(JsonataSyntaxError) as caught:
        compile_field("{% $states.input. %}")
    assert caught.value.message == "S0207: Unexpected end of expression"
    assert caught.value.position == len("$states.input.")


def test_same_text_is_parsed_once():
    first = compile_field("{% $states.input.parsed_once + 1 %}")
    second = compile_field({"x": "{% $states.input.parsed_once + 1 %}"})
    assert next(iter(first.expressions())).ast is next(iter(second.expressions())).ast


def test_evaluation_never_parses(monkeypatch):
    fields = [compile_field(text) for text in (
        "{% $states.input.a + 1 %}", "{% $map([1, 2], function($v){ $v * 2 }) %}", "{% $string($states.input) %}",
        "{% $states.input.a ~> $sum() %}")]

    def refuse(*args, **kwargs):
        raise AssertionError("parsed during evaluation")

    monkeypatch.setattr(Jsonata, "get_parser", staticmethod(refuse))
    results = [field.evaluate(env(states_input={"a": 1})) for field in fields]
    assert results == [2, [2, 4], '{"a":1}', 1]
