"""The linter's view of an expression: syntax errors, variables, functions, forbidden references."""
from __future__ import annotations

import pytest

from asl.jsonata_expr import analyze, known_function_names


def test_syntax_error_with_position():
    analysis = analyze("{% $states.input. %}")
    assert analysis.syntax_error == ("S0207: Unexpected end of expression", 14)
    assert analyze("$states.input.").syntax_error == analysis.syntax_error
    assert analyze("{% $x %}").syntax_error is None


@pytest.mark.parametrize("text, variables", [
    ("$x", {"x"}),
    ("$x.y + $z", {"x", "z"}),
    ("($tmp := 1; $tmp + $outer)", {"outer"}),
    ("$map($items, function($v){ $v + $bias })", {"items", "bias"}),
    ("$sum($states.input.values)", set()),
    ("$string($n)", {"n"}),
    ("$list@$item#$i.($item + $i)", {"list"}),
    ("$items[$ > $threshold]", {"items", "threshold"}),
    ("$exists($status) ? 'completed' : 'running'", {"status"}),
])
def test_variables_read(text, variables):
    assert analyze(text).variables_read == variables


def test_functions_called_and_unknown_ones():
    analysis = analyze("$nosuch(1) + $sum([1]) + $partition([1], 1)[0] + ($f := function(){1}; $f())")
    assert analysis.functions_called == {"nosuch", "sum", "partition", "f"}
    assert analysis.unknown_functions == {"nosuch"}
    assert analyze("$eval('1')").unknown_functions == {"eval"}
    assert {"partition", "range", "hash", "random", "uuid", "parse", "sum", "map"} <= known_function_names()
    assert "eval" not in known_function_names()


@pytest.mark.parametrize("text, references", [
    ("phone", ("phone",)),
    ("$.phone", ("$",)),
    ("$", ("$",)),
    ("$$", ("$$",)),
    ("$states.input.$$", ("$$",)),
    ("*", ("*",)),
    ("**.a", ("**",)),
    ("$count(phone)", ("phone",)),
    ("{'a': b, 'c': $states.input.d}", ("b",)),
    ("[a, 1].x", ("a",)),
    ("$map($states.input.a, function($x){ b })", ("b",)),
    ("1 + phone", ("phone",)),
    ("$states.input.items[price > 10]", ()),
    ("$states.input.{'a': b}", ()),
    ("$states.input^(>a)", ()),
    ("$states.input.a{b: c}", ()),
    ("$states.input ~> |a|{'b': c}|", ()),
    ("$x.$lookup($, 'a')", ()),
])
def test_top_level_input_references(text, references):
    analysis = analyze(text)
    assert analysis.top_level_input_references == references
    assert analysis.top_level_input_reference == (references[0] if references else None)


def test_root_reference():
    assert analyze("$$.a").references_root
    assert not analyze("$.a").references_root


@pytest.mark.parametrize("text, fields", [
    ("$states.input.a", {"input"}),
    ("$states.result.Payload", {"result"}),
    ("$merge([$states.input, {'e': $states.errorOutput}])", {"input", "errorOutput"}),
    ("$states.context.Execution.Id", {"context"}),
    ("$states", {"*"}),
    ("$lookup($states, 'result')", {"*"}),
    ("$x", set()),
])
def test_states_fields(text, fields):
    assert analyze(text).uses_states_fields == fields


def test_analysis_never_raises_on_odd_text():
    for text in ("", "{%%}", "((((", "'", "[" * 1000, "function($x){", "/[/", "`a"):
        analysis = analyze(text)
        assert analysis.syntax_error is not None
