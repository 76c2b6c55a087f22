"""The JSONata fast path (:mod:`asl.lint._jsonata_shape`) never disagrees with jsonata-python.

Whenever the fast path answers, the real analysis (:func:`asl.jsonata_syntax.analyze`) must find no
syntax error, and the same first top-level input reference, variables, unknown functions and ``$states``
fields. Expressions are drawn from the subset the fast path claims (it must answer for all of them) and
as token soups around it (it may refuse, never be wrong).
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asl.jsonata_syntax import analyze as real_analyze
from asl.jsonata_syntax import known_function_names
from asl.lint import _expr
from asl.lint._jsonata_shape import KNOWN_FUNCTIONS
from asl.lint._jsonata_shape import analyze as fast_analyze

VARIABLES = ["x", "orderId", "sum", "count", "v", "function", "and_more", "_y2"]
FUNCTIONS = ["count", "sum", "uppercase", "myFn", "each", "now", "string", "x"]
FIELDS = ["input", "context", "result", "errorOutput", "other", "function"]
NAMES = ["a", "items", "price", "Payload", "input", "function", "trueish", "in_stock"]
LITERALS = ["0", "12", "1.5", "2e3", "4.25E-2", "'text'", '"a b"', "''", "'%'", "true", "false", "null"]
REGEXES = ["/a/", "/^[a-z]+$/i", "/x\\/y/", "/(a|b)/m", "/[/]/", "/a{2}/im", "/\\d+/", "/.*fatal.*/"]
OPERATORS = ["+", "-", "*", "/", "%", "&", "=", "!=", "<", "<=", ">", ">=", " and ", " or ", " in ", "~>"]
blank = st.sampled_from(["", " ", "  ", "\n", "\t", "\r\n"])


def agree(text: str, fast) -> None:
    real = real_analyze(text)
    assert real.syntax_error is None, (text, real.syntax_error)
    assert real.top_level_input_reference == fast.top_level_input_reference, text
    assert set(real.variables_read) == set(fast.variables_read), text
    assert set(real.unknown_functions) == set(fast.unknown_functions), text
    assert set(real.uses_states_fields) == set(fast.uses_states_fields), text


@st.composite
def expressions(draw, depth: int = 0, in_predicate: bool = False, regex_ok: bool = True) -> str:
    """``regex_ok``: False where jsonata-python reads the first token as an operator (after a prefix '(',
    '[' or '-'), so a '/' there is a division sign."""
    if depth < 3 and draw(st.integers(0, 5)) == 0:
        form = draw(st.sampled_from(["bind", "block", "ternary"]))
        inner = [draw(expressions(depth + 1, in_predicate)) for _ in range(3)]
        if form == "bind":
            return f"${draw(st.sampled_from(VARIABLES))}{draw(blank)}:={draw(blank)}{inner[0]}"
        if form == "block":
            return f"({draw(expressions(depth + 1, in_predicate, False))};{draw(blank)}{inner[1]})"
        inner[0] = draw(expressions(depth + 1, in_predicate, regex_ok))
        return f"{inner[0]}{draw(blank)}?{draw(blank)}{inner[1]}" + (
            f"{draw(blank)}:{draw(blank)}{inner[2]}" if draw(st.booleans()) else "")
    text = draw(operands(depth, in_predicate, regex_ok))
    for _ in range(draw(st.integers(0, 2 if depth < 3 else 0))):
        # jsonata-python reads a '/' right after a lambda's '}' as the start of a regex (the fast path refuses it)
        choices = [op for op in OPERATORS if op != "/"] if text.endswith(" }") else OPERATORS
        text += f"{draw(blank)}{draw(st.sampled_from(choices))}{draw(blank)}{draw(operands(depth, in_predicate))}"
    return text


@st.composite
def steps(draw, depth: int) -> str:
    out = ""
    for _ in range(draw(st.integers(0, 2))):
        if depth < 3 and draw(st.booleans()):
            out += f"[{draw(blank)}{draw(expressions(depth + 1, True))}{draw(blank)}]"
        else:
            out += f".{draw(blank)}{draw(st.sampled_from(NAMES))}"
    return out


@st.composite
def operands(draw, depth: int, in_predicate: bool, regex_ok: bool = True) -> str:
    kinds = ["literal", "variable", "states", "call", "negation"] + (["regex"] if regex_ok else [])
    if depth < 3:
        kinds += ["parens", "array", "object", "lambda"]
    kinds += ["name", "context"]            # at the top level: references to the input (ASL506)
    kind = draw(st.sampled_from(kinds))
    deeper = depth + 1
    if kind == "literal":
        return draw(st.sampled_from(LITERALS))
    if kind == "regex":
        return draw(st.sampled_from(REGEXES))
    if kind == "variable":
        return f"${draw(st.sampled_from(VARIABLES))}{draw(steps(depth))}"
    if kind == "states":
        if draw(st.booleans()):
            return "$states"
        return f"$states.{draw(st.sampled_from(FIELDS))}{draw(steps(depth))}"
    if kind == "call":
        arguments = [draw(expressions(deeper, in_predicate)) for _ in range(draw(st.integers(0, 2 if depth < 3 else 0)))]
        return f"${draw(st.sampled_from(FUNCTIONS))}({', '.join(arguments)}){draw(steps(depth))}"
    if kind == "negation":
        return f"-{draw(blank)}{draw(operands(deeper if depth < 3 else 3, in_predicate, False))}"
    if kind == "parens":
        return f"({draw(expressions(deeper, in_predicate, False))})"
    if kind == "array":
        items = [draw(expressions(deeper, in_predicate, i > 0)) for i in range(draw(st.integers(0, 2)))]
        return "[" + ", ".join(items) + "]"
    if kind == "object":
        members = [f"'{draw(st.sampled_from(NAMES))}': {draw(expressions(deeper, in_predicate))}"
                   for _ in range(draw(st.integers(0, 2)))]
        return "{" + ", ".join(members) + "}"
    if kind == "lambda":
        parameters = draw(st.lists(st.sampled_from(VARIABLES), max_size=2))
        return f"function({', '.join('$' + p for p in parameters)}) {{ {draw(expressions(deeper, in_predicate))} }}"
    if kind == "name":
        return f"{draw(st.sampled_from(NAMES))}{draw(steps(depth))}"
    return f"${draw(steps(depth))}"          # '$', the context item, inside a predicate


@settings(max_examples=400, deadline=None)
@given(expressions(), blank, blank)
def test_the_subset_is_answered_and_agrees_with_jsonata(body, before, after):
    text = f"{before}{body}{after}"
    fast = fast_analyze(text)
    assert fast is not None, text
    agree(text, fast)


SOUP = ["$states", "$x", "$", "$$", "$sum", "$f", ".", "..", "[", "]", "(", ")", "{", "}", ",", ";", "?", ":", ":=",
        "/a/", "/[/", "/(/", "/a\\/", "/^$/", "/)(/", "/a/i", "im",
        "??", "?:", "'s'", '"d"', "'a\\'b'", "1", "1.", ".5", "01", "-", "+", "*", "**", "/", "%", "&", "=", "!=",
        "<", ">=", "and", "or", "in", "x", "input", "result", "function", "true", "null", "@", "#", "~>", "|", "^",
        "/* c */", "`b c`", "é", "$é", "\\", "<n:n>"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SOUP), st.sampled_from(["", " ", "\n"])), min_size=1, max_size=9))
def test_token_soups_are_refused_or_agree(pieces):
    text = "".join(token + gap for token, gap in pieces)
    fast = fast_analyze(text)
    if fast is not None:
        agree(text, fast)


def test_known_functions_are_jsonatas():
    assert KNOWN_FUNCTIONS == known_function_names()


@pytest.mark.parametrize("text", [
    " $states.input.order.id ", " $count($states.input.items) > 0 ", " $orderId & '-' & $states.context.Execution.Name ",
    " {'total': $sum($states.result.Payload.prices), 'n': $n} ", " $map($xs, function($v) { $v * 2 }) ",
    " ($a := $states.input.a; $a + 1) ", " $states.input.items[price > 10 and $.qty > 0].name ",
    " $exists($x) ? $x : 'none' ", " $states.input.name ~> $uppercase() ~> $trim ",
    " $contains($lowercase($states.errorOutput.Error), /.*fatal.*/) ", " [1, /a/i] ", " /re/ ",
    " $ ", " $.order.total ", " price * 2 ", " $count(items) + $x[a > 1].b ",
])
def test_everyday_expressions_take_the_fast_path(text):
    fast = fast_analyze(text)
    assert fast is not None
    agree(text, fast)


@pytest.mark.parametrize("text", [
    " $$ ", " $$.a ", " $states. ", " 10 + * 2 ", " $sum($x ", " $x[] ", " $f(?) ",
    " $x ~> | a | {} | ", " (/re/) ", " [/re/] ", " -/re/ ", " /(/ ", " // ", " /a/ . b ", " /[/ ", " $x.y := 1 ", " $states[0] ", " 'a'.b ", " $x{'k': 1} ", " function($v)<n:n>{ $v } ", " a$b ",
    " $x.and ", " $x.true ", " $é ", " $x ?: 1 ", " (a;) ",
])
def test_the_rest_goes_to_the_real_parser(text):
    assert fast_analyze(text) is None


def test_the_linter_uses_the_fast_path_before_jsonata(monkeypatch):
    calls = []
    monkeypatch.setattr(_expr, "_load_analyze", lambda: (lambda text: calls.append(text)))
    monkeypatch.setattr(_expr, "_jsonata_cache", {})
    assert _expr.jsonata(" $count($states.input.items) ").unknown_functions == frozenset()
    assert _expr.jsonata(" $myVar.total ").variables_read == frozenset({"myVar"})
    assert calls == []
    _expr.jsonata(" $x ~> | a | {} | ")
    assert calls == [" $x ~> | a | {} | "]
