"""Reporters (positions, escaping, long lines) and the API asl.load relies on."""
from __future__ import annotations

import json

import pytest

import asl
from asl.diagnostics import Diagnostic
from asl.lint import lint, lint_document
from asl.lint.report import render_github, render_json, render_text
from asl.source import read


def diag(line, column, code="ASL101", severity="error", message="msg"):
    return Diagnostic(code, message, "/States/A", severity, "unreachable-state", line, column, None, None)


def test_text_caret_under_the_column_and_long_lines_are_cut_around_it():
    text = '{"a": 1}\n' + " " * 300 + '"X"\n'
    out = render_text([("f.json", text, [diag(2, 301)])])
    lines = out.splitlines()
    assert lines[0] == "f.json:2:301: ASL101 [unreachable-state] msg"
    assert lines[1].strip() == '"X"'
    assert lines[2].index("^") == lines[1].index('"')


def test_text_format_is_exactly_path_line_col_code_name_message_and_counts_severities():
    out = render_text([("f", None, [diag(1, 1), diag(1, 2, severity="warning")])])
    assert out.splitlines()[:2] == ["f:1:1: ASL101 [unreachable-state] msg", "f:1:2: ASL101 [unreachable-state] msg"]
    assert out.endswith("Found 1 error, 1 warning in 1 file.\n")
    coloured = render_text([("f", None, [diag(1, 1), diag(1, 2, severity="warning")])], color=True)
    assert "\x1b[31mASL101" in coloured and "\x1b[33mASL101" in coloured


def test_github_escapes_properties_and_data():
    out = render_github([("dir,odd:name.json", None, [diag(3, 4, message="50% done\nnext")])])
    assert out == ("::error file=dir%2Codd%3Aname.json,line=3,col=4,title=asl (ASL101)::"
                   "50%25 done%0Anext [unreachable-state]\n")


def test_json_report_fields():
    [item] = json.loads(render_json([("f", None, [diag(1, 2)])]))
    assert item == {"path": "f", "line": 1, "column": 2, "code": "ASL101", "name": "unreachable-state",
                    "severity": "error", "message": "msg", "pointer": "/States/A", "aws_code": None}


def test_lint_accepts_dicts_text_and_paths(tmp_path):
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}}
    path = tmp_path / "x.asl.json"
    path.write_text(json.dumps(definition, indent=2))
    for source in (definition, json.dumps(definition), str(path), path):
        assert "ASL102" in {d.code for d in lint(source)}
    located = [d for d in lint(str(path)) if d.code == "ASL102"]
    assert (located[0].line, located[0].column, located[0].path) == (6, 7, str(path))   # the "Next" key


def test_lint_select_and_ignore_arguments():
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}}
    assert {d.code for d in lint(definition, select=["ASL1"], ignore=["ASL103"])} == {"ASL102"}


def test_lint_document_keeps_source_diagnostics():
    document = read('{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "A": {"Type": "Pass", '
                    '"End": true}}}')
    assert [d.code for d in lint_document(document)] == ["ASL003"]


def test_asl_lint_is_callable_even_after_the_package_is_imported():
    import asl.lint.rules  # noqa: F401  (importing the subpackage rebinds asl.lint to the module)

    assert asl.lint({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}) == []


def test_load_refuses_errors_but_not_warnings():
    with pytest.raises(asl.DefinitionError) as info:
        asl.load({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}})
    assert {d.code for d in info.value.diagnostics} == {"ASL102", "ASL103"}
    warned = {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
        {"Variable": "$.x", "IsNull": True, "Next": "D"}]}, "D": {"Type": "Succeed"}}}
    assert asl.load(warned) is not None


def test_load_applies_express_restrictions():
    sync = {"StartAt": "R", "States": {"R": {"Type": "Task", "End": True,
                                             "Resource": "arn:aws:states:::states:startExecution.sync"}}}
    asl.load(sync)
    with pytest.raises(asl.DefinitionError):
        asl.load(sync, workflow_type="EXPRESS")


def test_text_lines_are_json_lines_even_with_odd_separators():
    text = '{"a": "x\u2028y",\r\n "b": 1}'
    out = render_text([("f", text, [diag(2, 2)])])
    assert out.splitlines()[1] == '   "b": 1}'


def test_the_linter_never_imports_the_runtime():
    """lint and runtime never import each other (shared/DESIGN.md)."""
    import subprocess
    import sys

    code = ("import sys, asl.lint; asl.lint.lint({'QueryLanguage': 'JSONata', 'StartAt': 'A', 'States': {'A': "
            "{'Type': 'Pass', 'Output': '{% $sum([1, 2]) %}', 'Assign': {'x.y': 1}, 'End': True}}}); "
            "asl.lint.lint({'StartAt': 'A', 'States': {'A': {'Type': 'Pass', 'End': True, 'Parameters': "
            "{'a.$': 'States.Format(\\'{}\\', $.a[?(@.b)])'}}}}); "
            "print(sorted(m for m in sys.modules if m.startswith(('asl.runtime', 'asl.compile', 'click', 'boto3', "
            "'hypothesis', 'pytest'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr
