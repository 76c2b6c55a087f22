"""The linter's fast paths never say "valid" where the real parsers (EXPRESSIONS' lark grammar and
jsonpath-ng, JSONATA's parser) would say "invalid": they may only skip work, never change a verdict."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from asl.intrinsics import check_intrinsic
from asl.lint import _expr
from asl.lint._intrinsic_shape import SIGNATURES, shape, surely_valid
from asl.paths import check_path

NAMES = sorted(SIGNATURES) + ["States.Nope", "Format", "States.format"]
PATHS = ["$", "$.a", "$.a.b[0]", "$$.Execution.Id", "$var", "$var.x", "$.a[*]", "$..a", "$.a[?(@.b > 1)]", "$$$",
         "$.", "$[", "$['k']"]
LITERALS = ["'text'", "'a\\'b'", "'\\{\\}'", "'bad \\q escape'", "'{}'", "'{} {}'", "'SHA-256'", "'MD5'", "'SHA256'",
            "1", "-2", "1.5", "1e3", "01", "null", "true", "false", '"double"', "nul"]


@st.composite
def calls(draw, depth=0):
    name = draw(st.sampled_from(NAMES))
    count = draw(st.integers(0, 4))
    args = []
    for _ in range(count):
        if depth < 3 and draw(st.integers(0, 4)) == 0:
            args.append(draw(calls(depth + 1)))
        else:
            args.append(draw(st.sampled_from(PATHS + LITERALS)))
    space = draw(st.sampled_from(["", " "]))
    return f"{name}({(',' + space).join(args)})"


@settings(max_examples=400, deadline=None)
@given(calls())
def test_surely_valid_intrinsics_are_valid(text):
    if surely_valid(text, _expr.simple_path):
        assert check_intrinsic(text) is None, text


@settings(max_examples=200, deadline=None)
@given(calls())
def test_the_linter_agrees_with_the_grammar_on_validity(text):
    assert (_expr.intrinsic_problem(text) is None) == (check_intrinsic(text) is None), text


def test_common_calls_are_decided_without_the_grammar():
    for text in ("States.Format('{}-{}', $.a, $$.Execution.Name)", "States.ArrayGetItem($.items, 0)",
                 "States.MathAdd(States.ArrayLength($.a), -1)", "States.UUID()", "States.Hash($.x, 'SHA-256')",
                 "States.JsonMerge($.a, $.b, false)", "States.StringToJson($.s)"):
        assert surely_valid(text, _expr.simple_path), text


def test_shape_reads_escapes_and_nested_calls():
    call = shape("States.Format('a \\{} {}', States.UUID())")
    assert call.name == "States.Format" and call.depth() == 2
    assert call.args[0] == ("string", "a \x00} {}", True)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATHS) | st.text(alphabet="$.[]'*?@()abc019-_ ", max_size=12).map(lambda t: "$" + t))
def test_simple_paths_are_valid_reference_paths(text):
    if _expr.simple_path(text):
        assert check_path(text, reference=True) is None, text
