"""Hypothesis: the linter never raises, whatever it is given, and every position it reports is real."""
from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asl.lint import lint

SETTINGS = settings(max_examples=int(__import__("os").environ.get("ASL_LINT_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False,
                                                                                   allow_infinity=False) | st.text(max_size=20)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=25)

KEYS = ["StartAt", "States", "Type", "Next", "End", "Resource", "Parameters", "ResultPath", "InputPath",
        "OutputPath", "Choices", "Default", "Variable", "StringEquals", "And", "Not", "Branches", "ItemProcessor",
        "Iterator", "Retry", "Catch", "ErrorEquals", "Seconds", "Timestamp", "SecondsPath", "QueryLanguage",
        "Output", "Arguments", "Assign", "Items", "ItemSelector", "Comment", "x.$", "Credentials", "Label",
        "ProcessorConfig", "Mode", "ItemReader", "ItemBatcher", "ResultWriter", "Condition", "Error", "CausePath"]
STRINGS = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map", "JSONata", "JSONPath", "A", "B",
           "$", "$.a", "$$.Execution.Id", "$var", "$.a[*]", "$..a", "$.a[", "States.Format('{}', $.a)",
           "States.Foo(", "{% $states.input %}", "{% 1 + %}", "{% $x %}", "{%", "%}", "arn:aws:states:::lambda:invoke",
           "States.ALL", "DISTRIBUTED", "2024-01-01T00:00:00Z", "asl: noqa", "asl: noqa ASL101", ""]
asl_scalars = st.sampled_from(STRINGS) | st.integers(-2, 100000001) | st.booleans() | st.none() | st.floats(-1, 2)
asl_values = st.recursive(asl_scalars, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.sampled_from(KEYS + STRINGS), inner, max_size=5), max_leaves=40)

VALID = {
    "Comment": "asl: noqa ASL106",
    "StartAt": "Start",
    "States": {
        "Start": {"Type": "Pass", "Assign": {"n": 1}, "Next": "Call"},
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Parameters": {"FunctionName": "f", "Payload.$": "$", "msg.$": "States.Format('{}', $n)"},
                 "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}],
                 "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "Next": "Pick"},
        "Pick": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Fan"}]},
        "Fan": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
                "ItemProcessor": {"StartAt": "Each", "States": {
                    "Each": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input %}", "End": True}}},
                "Next": "Both"},
        "Both": {"Type": "Parallel", "Branches": [{"StartAt": "Sleep", "States": {
            "Sleep": {"Type": "Wait", "Seconds": 1, "End": True}}}], "Next": "Done"},
        "Done": {"Type": "Succeed"},
        "Failed": {"Type": "Fail", "Error": "E", "Cause": "c"},
    },
}


def _check_positions(diagnostics, text: str) -> None:
    lines = [line.rstrip("\r") for line in text.split("\n")]   # JSON/YAML lines, not str.splitlines()
    for d in diagnostics:
        assert d.code.startswith("ASL") and d.code != "ASL999", (d.code, d.message)
        assert d.severity in ("error", "warning", "info")
        assert d.line is not None and d.column is not None
        assert 1 <= d.line <= max(len(lines), 1), (d, len(lines))
        assert 1 <= d.column <= len(lines[d.line - 1]) + 1, (d, lines[d.line - 1])


@SETTINGS
@given(json_values)
def test_never_raises_on_any_json_value(value):
    for indent in (None, 2):
        text = json.dumps(value, indent=indent)
        _check_positions(lint(text), text)
    lint(value)


@SETTINGS
@given(st.text(max_size=200))
def test_never_raises_on_any_text(text):
    _check_positions(lint(text), text)


@SETTINGS
@given(asl_values)
def test_never_raises_on_asl_shaped_values(value):
    text = json.dumps({"StartAt": "A", "States": {"A": value, "B": value}}, indent=1)
    _check_positions(lint(text), text)
    text = json.dumps(value, indent=1)
    _check_positions(lint(text), text)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


ALL_PATHS = list(_paths(VALID))[1:]


def test_the_mutation_base_is_clean():
    assert lint(VALID) == []


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), st.sampled_from(["delete", "replace"]), asl_values),
                min_size=1, max_size=4))
def test_never_raises_on_mutated_valid_definitions(mutations):
    definition = copy.deepcopy(VALID)
    for path, action, new in mutations:
        parent = definition
        try:
            for step in path[:-1]:
                parent = parent[step]
            if action == "delete" and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = new
        except (KeyError, IndexError, TypeError):
            continue
    text = json.dumps(definition, indent=2)
    _check_positions(lint(text), text)


try:
    from asl.testing import strategies as asl_st
except ImportError:  # pragma: no cover - the testing package is optional
    asl_st = None


@SETTINGS
@given(st.sampled_from(["JSONPath", "JSONata", "mixed"]).flatmap(
    lambda language: asl_st.state_machines(max_states=6, query_language=language)) if asl_st else st.nothing())
def test_generated_valid_machines_draw_no_error(definition):
    text = json.dumps(definition, indent=2)
    diagnostics = lint(text)
    _check_positions(diagnostics, text)
    assert [d for d in diagnostics if d.severity == "error"] == []
