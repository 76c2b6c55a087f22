"""Payload templates: `.$` keys evaluated once-compiled, literals kept, AWS's failure causes."""
import pytest

from asl.errors import StatesError
from asl.intrinsics import Effects
from asl.payload import (
    NULL_INPUT_CAUSE, TemplateError, check_template, compile_template, compile_value_path,
)

CONTEXT = {"Execution": {"Id": "arn:aws:states:us-east-1:1:execution:sm:run", "Input": {"k": 1}},
           "Map": {"Item": {"Index": 2, "Value": "v"}}}


def evaluate(template, data, variables=None):
    return compile_template(template).evaluate(data, CONTEXT, variables or {}, Effects(7))


def test_dollar_keys_are_evaluated_and_renamed_others_are_literal():
    template = {
        "literal": "$.not.a.path",
        "fromInput.$": "$.a",
        "fromContext.$": "$$.Execution.Input.k",
        "fromVariable.$": "$limit",
        "fromIntrinsic.$": "States.Format('{}-{}', $.a, $$.Map.Item.Index)",
        "nested": {"deep.$": "$.b[1]", "array": [1, {"x.$": "$.a"}, "$.a"]},
    }
    out = evaluate(template, {"a": "A", "b": [0, 1]}, {"limit": 10})
    assert out == {
        "literal": "$.not.a.path",
        "fromInput": "A",
        "fromContext": 1,
        "fromVariable": 10,
        "fromIntrinsic": "A-2",
        "nested": {"deep": 1, "array": [1, {"x": "A"}, "$.a"]},
    }


def test_a_template_without_dollar_keys_is_static_but_returns_a_fresh_top_object():
    template = compile_template({"a": {"b": 1}})
    assert template.is_static
    first, second = template.evaluate({}), template.evaluate({})
    assert first == {"a": {"b": 1}} and first is not second


def test_wildcard_paths_that_match_nothing_give_empty_lists():
    assert evaluate({"item.$": "$.items[*]"}, {}) == {"item": []}


def test_a_missing_path_names_the_field_and_the_input():
    with pytest.raises(StatesError) as caught:
        evaluate({"value.$": "$.no_such_jsonpath"}, {"int-literal": 0})
    assert caught.value.error == "States.Runtime"
    assert caught.value.cause == ("The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' "
                                  "could not be found in the input '{\"int-literal\":0}'")


def test_a_missing_context_path_reports_the_state_input():
    with pytest.raises(StatesError) as caught:
        evaluate({"value.$": "$$.Execution.Input.nope"}, {"in": 1})
    assert caught.value.cause.endswith("specified for the field 'value.$' could not be found in the input '{\"in\":1}'")


def test_a_path_on_null_input_fails_like_aws():
    with pytest.raises(StatesError) as caught:
        evaluate({"Input.$": "$"}, None)
    assert caught.value.cause == NULL_INPUT_CAUSE


def test_a_missing_path_inside_an_intrinsic_names_the_field():
    with pytest.raises(StatesError) as caught:
        evaluate({"v.$": "States.Array($.gone)"}, {})
    assert "The JSONPath '$.gone' specified for the field 'v.$'" in caught.value.cause


@pytest.mark.parametrize("template, pointer", [
    ({"x.$": "ipsum"}, "/x.$"),
    ({"x.$": 5}, "/x.$"),
    ({"a": [{"bad.$": "$.a["}]}, "/a/0/bad.$"),
    ({"a": 1, "a.$": "$.a"}, "/a.$"),
    ({"x.$": "States.Nope()"}, "/x.$"),
    ({"x.$": " States.Array(1)"}, "/x.$"),
])
def test_bad_templates_are_refused_at_compile_time_with_a_pointer(template, pointer):
    with pytest.raises(TemplateError) as caught:
        compile_template(template)
    assert caught.value.pointer == pointer
    assert [p for p, _, _ in check_template(template)] == [pointer]


def test_check_template_reports_every_problem():
    problems = check_template({"a.$": "nope", "b": {"c.$": 1}, "ok.$": "$.x"})
    assert [pointer for pointer, _, _ in problems] == ["/a.$", "/b/c.$"]
    assert "valid JSONPath or a valid intrinsic function call" in problems[0][1]


def test_value_path_for_fail_error_and_cause():
    data = {"Error": "E", "Cause": "C"}
    assert compile_value_path("$.Error", field="ErrorPath").evaluate(data) == "E"
    cause = compile_value_path("States.Format('{} because {}', $.Error, $.Cause)", field="CausePath")
    assert cause.evaluate(data) == "E because C"
    with pytest.raises(StatesError) as caught:
        compile_value_path("$.ErrorX", field="ErrorPath").evaluate(data)
    assert caught.value.cause == ("The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be "
                                  "found in the input '{\"Error\":\"E\",\"Cause\":\"C\"}'")
