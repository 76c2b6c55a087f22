"""The lark-free reader of intrinsic calls (:mod:`asl._intrinsics_plain`) answers exactly as lark does.

Whenever it returns a tree, lark's parse of the grammar gives the same tree (rule names, token types,
texts and columns); whenever it says the input ends too early, lark fails at the end of the input.
Otherwise it must have stepped aside (None). Checked on drawn calls, their prefixes and token soups.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedEOF, UnexpectedToken

from asl import _intrinsics_plain as plain
from asl.intrinsics import _parser, check_intrinsic

blank = st.sampled_from(["", " ", "  ", "\t", "\f", "\r"])
NAMES = ["States.Format", "States.Array", "States.MathAdd", "States.Hash", "States.Nope", "Format", "null",
         "true", "nullx", "a_b.c1", "_x"]
PATHS = ["$", "$.a", "$$.Execution.Id", "$var.x", "$.a[0]", "$.a['b c']", '$.a["b,c"]', "$[?(@.x > 1)].y",
         "$.a[1:2]", "$..b", "$.a-b", "$.*"]
STRINGS = ["''", "'text'", "'a{}b'", "'it\\'s'", "'\\\\'", "'\\{}'", "'\\n'", "'a b, c)'"]
NUMBERS = ["0", "1", "-1", "2.5", "-0.5e3", "1E+2", "10"]
KEYWORDS = ["null", "true", "false"]


@st.composite
def calls(draw, depth: int = 0) -> str:
    arguments = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["path", "string", "number", "keyword"] + (["call"] if depth < 3 else [])))
        if kind == "call":
            arguments.append(draw(calls(depth + 1)))
        else:
            arguments.append(draw(st.sampled_from({"path": PATHS, "string": STRINGS, "number": NUMBERS,
                                                   "keyword": KEYWORDS}[kind])))
    separator = draw(blank) + "," + draw(blank)
    name = draw(st.sampled_from([n for n in NAMES if n not in KEYWORDS] if depth else NAMES))
    return f"{name}{draw(blank)}({draw(blank)}{separator.join(arguments)}{draw(blank)})"


def lark_parse(text: str):
    try:
        return "tree", _parser().parse(text).children[0]
    except (UnexpectedEOF, UnexpectedToken) as error:
        if isinstance(error, UnexpectedEOF) or error.token.type == "$END":
            return "end", None
        return "error", None
    except LarkError:
        return "error", None


def same_tree(mine, theirs) -> bool:
    if isinstance(theirs, Token):
        return (isinstance(mine, plain.Token) and str(mine) == str(theirs) and mine.type == theirs.type
                and mine.column == theirs.column)
    assert isinstance(theirs, Tree)
    return (isinstance(mine, plain.Node) and mine.data == str(theirs.data)
            and len(mine.children) == len(theirs.children)
            and all(same_tree(a, b) for a, b in zip(mine.children, theirs.children)))


def agrees_with_lark(text: str) -> str:
    """Check the plain reader's answer for ``text``; returns what it said."""
    try:
        mine = plain.parse(text)
    except plain.Incomplete:
        assert lark_parse(text)[0] == "end", text
        return "end"
    if mine is None:
        return "unsure"
    kind, theirs = lark_parse(text)
    assert kind == "tree", text
    assert same_tree(mine, theirs), (text, mine, theirs)
    return "tree"


@settings(max_examples=1500, deadline=None)
@given(calls())
def test_drawn_calls_are_read_as_lark_reads_them(text):
    assert agrees_with_lark(text) == "tree"


@settings(max_examples=800, deadline=None)
@given(calls(), st.data())
def test_prefixes_end_where_lark_ends(text, data):
    cut = data.draw(st.integers(1, len(text)))
    agrees_with_lark(text[:cut].strip() or text)


SOUP = ["States.Format", "Format", "null", "true", "nullx", "(", ")", ",", "'a'", "'\\''", "'", "\"x\"", "$", "$.a",
        "$['x y']", "[", "]", "1", "-1", "01", "1.", "-", "1e", "$.a(", " ", "\t", "\n", "\v", "\xa0", ".", "x"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(SOUP), min_size=1, max_size=10))
def test_token_soups_are_read_as_lark_reads_them_or_left_to_it(pieces):
    text = "".join(pieces)
    if "(" in text:
        agrees_with_lark(text)


@pytest.mark.parametrize("text, expected", [
    ("States.Format('{} and {}', $.a, States.MathAdd($.b, 1))", None),
    ("States.Hash($.a, 'SHA-999')", ("Unsupported hash algorithm 'SHA-999'; use one of MD5, SHA-1, SHA-256, "
                                     "SHA-384, SHA-512", 18)),
    ("States.MathAdd(1,'-1')", ("Argument 2 of States.MathAdd must be a number, not a string literal", 18)),
    ("States.JsonToString($", ("Unexpected end of the expression (missing ')'?)", 22)),
    ("JsonToString($)", ("Unknown intrinsic function JsonToString", 1)),
])
def test_the_checks_give_lark_s_answers(text, expected):
    assert check_intrinsic(text) == expected


def test_line_breaks_and_deep_nesting_are_left_to_lark():
    assert plain.parse("States.Array(\n1)") is None
    assert plain.parse("States.Array(" * 60 + ")" * 60) is None
