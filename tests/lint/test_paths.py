"""ASL2xx: paths, templates and intrinsic functions."""
from __future__ import annotations

import pytest

from .helpers import codes, found, machine, messages, pass_, task


def params(template):
    return machine({"A": task(Parameters=template)})


@pytest.mark.parametrize("path", ["$", "$.a", "$.a.b[0]", "$$.Execution.Input", "$['a b']", "$.a[?(@.b > 1)]",
                                  "$.a[*].b", "$..price", "$.a[0,1]", "$.a[1:3]", "$.input-foo", "$myVar.field",
                                  "$.store\\.book"])
def test_paths_aws_accepts_in_input_path(path):
    definition = machine({"Init": pass_(Assign={"myVar": {}}, Next="A"), "A": pass_(InputPath=path)})
    assert codes(definition) == set()


@pytest.mark.parametrize("path,code", [("$.a[*]", "ASL202"), ("$..a", "ASL202"), ("$.a[0:2]", "ASL202"),
                                       ("$.a[?(@.x)]", "ASL202"), ("$$.Execution", "ASL203"), ("$var", "ASL203"),
                                       ("a.b", "ASL201"), ("$.a[", "ASL201")])
def test_result_path_must_be_a_plain_reference(path, code):
    assert codes(machine({"A": pass_(ResultPath=path)})) == {code}


def test_map_numeric_path_fields_refuse_the_context_object_but_items_path_allows_it():
    definition = machine({"M": {"Type": "Map", "End": True, "ItemsPath": "$$.Execution.Input.items",
                                "MaxConcurrencyPath": "$$.Execution.Input.n",
                                "ItemProcessor": {"StartAt": "I", "States": {"I": pass_()}}}})
    assert found(definition) == [("ASL203", "/States/M/MaxConcurrencyPath")]


def test_template_values_and_nesting():
    template = {"a.$": "$.a", "b.$": "$$.Execution.Id", "c.$": "States.UUID()", "d": [{"e.$": "$.e"}, "lit"],
                "f": {"g.$": "States.Format('{}-{}', $.x, States.MathAdd($.n, 1))"}}
    assert codes(params(template)) == set()
    assert found(params({"d": [{"e.$": "e"}]})) == [("ASL204", "/States/A/Parameters/d/0/e.$")]


def test_template_key_pointers_escape_slashes():
    assert found(params({"a/b.$": "nope"})) == [("ASL204", "/States/A/Parameters/a~1b.$")]


def test_no_dollar_only_for_path_or_intrinsic_looking_values():
    assert codes(params({"price": "$5", "note": "States are fun", "path": "$.id"})) == {"ASL206"}
    assert codes(params({"fn": "States.Format('x')"})) == {"ASL206"}


def test_no_path_warns_on_fail_cause_and_error():
    definition = machine({"F": {"Type": "Fail", "Error": "$.code", "Cause": "plain text"}})
    assert found(definition) == [("ASL207", "/States/F/Error")]


def test_pass_result_is_static_warns_once_per_result():
    definition = machine({"A": pass_(Result={"a.$": "$.x", "b": {"c.$": "$.y"}})})
    assert found(definition) == [("ASL208", "/States/A/Result")]


def test_intrinsic_specific_rules_instead_of_a_generic_error():
    assert messages(params({"h.$": "States.Hash($.a, 'sha256')"}), "ASL212") == [
        "States.Hash algorithm 'sha256' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"]
    assert codes(params({"f.$": "States.Format('{} {} {}', $.a, $.b)"})) == {"ASL213"}
    assert codes(params({"f.$": "States.Format('\\{} {}', $.a)"})) == set()       # an escaped brace


def test_intrinsic_errors_name_the_problem():
    [message] = messages(params({"x.$": "States.Foo($.x)"}), "ASL210")
    assert "Unknown intrinsic function States.Foo" in message
    [message] = messages(params({"x.$": "States.MathAdd(1, 'two')"}), "ASL210")
    assert "must be a number" in message


def test_leading_blank_is_an_error_trailing_blank_a_warning():
    assert codes(params({"x.$": " States.UUID()"})) == {"ASL210"}
    assert codes(params({"x.$": "States.UUID()  "})) == {"ASL214"}


def test_fail_paths_take_string_intrinsics():
    ok = machine({"F": {"Type": "Fail", "ErrorPath": "States.Format('E{}', $.n)", "CausePath": "$.cause"}})
    assert codes(ok) == set()
    assert codes(machine({"F": {"Type": "Fail", "ErrorPath": "States.ArrayLength($.a)"}})) == {"ASL215"}
