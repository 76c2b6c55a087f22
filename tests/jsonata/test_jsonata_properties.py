"""Properties: arbitrary text never escapes as a Python error; JSON round-trips; the fast path agrees."""
from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonata import Jsonata

import asl.jsonata_engine as jsonata_engine
from asl.jsonata_expr import JsonataEnv, JsonataSyntaxError, QueryEvaluationError, compile_field, is_expression

LONG = 2 ** 63 - 1
json_scalars = (st.none() | st.booleans() | st.integers(-LONG - 1, LONG) | st.text(max_size=8)
                | st.floats(allow_nan=False, allow_infinity=False))
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=12)

TOKENS = ["$states.input", "$states.context", "$states", "$v", "$w", "$x", "a", "b", ".", "[", "]", "(", ")", "{", "}",
          ",", ":", ";", "'s'", '"t"', "1", "0", "-2.5", "1e308", "null", "true", "+", "-", "*", "/", "%", "&", "=",
          "!=", "<", ">=", "and", "or", "in", "..", "?", "~>", ":=", "$", "$$", "*", "**", "#$i", "@$e", "^(a)",
          "function($p){$p}", "$partition(", "$range(", "$hash(", "$parse(", "$random(", "$uuid()", "$eval(",
          "$map(", "$sum(", "$string(", "$count(", "$keys(", "$merge(", "$sort(", "$lookup(", "$error(", "$match(",
          "/x+/", " "]
token_soup = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14).map("".join)

ENV = dict(states_input={"a": [1, None, {"b": "x"}], "s": "text"}, context={"Execution": {"Id": "id"}},
           variables={"v": 1, "w": [1, 2], "x": None}, state_name="S", entered_event_id=3, time_limit=0.25)


def only_asl_errors(text: str) -> None:
    try:
        field = compile_field(text)
    except JsonataSyntaxError as error:
        assert isinstance(error.message, str) and error.position >= 0
        return
    try:
        field.evaluate(JsonataEnv(**ENV))
    except QueryEvaluationError as error:
        assert error.cause.startswith("An error occurred while executing the state 'S' (entered at the event id #3). ")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=30))
def test_arbitrary_text_raises_only_asl_errors(text):
    only_asl_errors("{%" + text + "%}")
    only_asl_errors(text)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(token_soup)
def test_token_soup_raises_only_asl_errors(text):
    only_asl_errors("{% " + text + " %}")


def no_expressions(value) -> bool:
    if isinstance(value, dict):
        return all(no_expressions(item) for item in value.values())
    if isinstance(value, list):
        return all(no_expressions(item) for item in value)
    return not is_expression(value)


@given(json_values.filter(no_expressions))
def test_literals_round_trip(value):
    field = compile_field(value)
    assert field.is_constant
    assert field.evaluate(JsonataEnv()) == value


def same_json(left, right) -> bool:
    """Equality where a whole float and its integer are the same JSON number (AWS prints them alike)."""
    if isinstance(left, float) or isinstance(right, float):
        return isinstance(right, (int, float)) and isinstance(left, (int, float)) and not isinstance(left, bool) \
            and not isinstance(right, bool) and math.isclose(left, right, rel_tol=0, abs_tol=0)
    if isinstance(left, dict):
        return isinstance(right, dict) and left.keys() == right.keys() and all(
            same_json(left[key], right[key]) for key in left)
    if isinstance(left, list):
        return isinstance(right, list) and len(left) == len(right) and all(map(same_json, left, right))
    return type(left) is type(right) and left == right


@given(json_values)
def test_input_and_variables_round_trip(value):
    env = JsonataEnv(states_input=value, variables={"v": value})
    assert same_json(compile_field("{% $states.input %}").evaluate(env), value)
    assert same_json(compile_field("{% $v %}").evaluate(env), value)
    assert same_json(compile_field({"wrapped": ["{% $v %}"]}).evaluate(env), {"wrapped": [value]})


def evaluate_without_shortcuts(field, env):
    saved = field.direct
    field.direct = None
    engine = jsonata_engine._Engine
    shortcut = engine.__dict__["evaluate_path"]
    engine.evaluate_path = Jsonata.evaluate_path
    try:
        return ("value", field.evaluate(env))
    except QueryEvaluationError as error:
        return ("error", error.cause)
    finally:
        field.direct = saved
        engine.evaluate_path = shortcut


@given(json_values, st.sampled_from(["$states.input", "$states.input.a", "$states.input.a.b", "$v.a", "$v",
                                     "[$v.a.b]", "{'k': $states.input.a}", "$count($v.a)", "$exists($v.a.b)"]))
def test_direct_path_reads_agree_with_the_evaluator(value, text):
    field = compile_field("{% " + text + " %}")
    env = JsonataEnv(states_input=value, variables={"v": value})
    try:
        fast = ("value", field.evaluate(env))
    except QueryEvaluationError as error:
        fast = ("error", error.cause)
    assert fast == evaluate_without_shortcuts(field, env)


# --- the compiled closures agree with the evaluator -------------------------------------------------

LEAVES = ["1", "0", "2.5", "-3", "'a'", "''", "\"b\"", "true", "false", "null", "$v", "$w", "$x", "$missing",
          "$states.input.a", "$states.input.s", "$states.input.n", "$states.input.o.k", "$states.input.nothing",
          "$states.result", "$states.context.Execution.Id", "[]", "{}"]
BINARY = ["+", "-", "*", "/", "%", "<", "<=", ">", ">=", "=", "!=", "and", "or", "&", "in"]
FUNCTIONS = ["$count", "$sum", "$string", "$number", "$exists", "$not", "$boolean", "$length", "$uppercase",
             "$substring", "$append", "$keys", "$merge", "$type", "$abs", "$round", "$max", "$partition",
             "$range", "$hash", "$parse", "$join", "$reverse", "$distinct", "$lookup", "$spread", "$trim"]


@st.composite
def subset_expressions(draw, depth=0):
    if depth > 3:
        return draw(st.sampled_from(LEAVES))
    kind = draw(st.integers(0, 8))
    sub = lambda: draw(subset_expressions(depth + 1))  # noqa: E731
    if kind == 0:
        return draw(st.sampled_from(LEAVES))
    if kind == 1:
        return f"({sub()} {draw(st.sampled_from(BINARY))} {sub()})"
    if kind == 2:
        return f"-{sub()}"
    if kind == 3:
        return f"({sub()} ? {sub()} : {sub()})" if draw(st.booleans()) else f"({sub()} ? {sub()})"
    if kind == 4:
        return "[" + ", ".join(sub() for _ in range(draw(st.integers(0, 3)))) + "]"
    if kind == 5:
        keys = draw(st.lists(st.sampled_from(["'k'", "'l'", "\"m\""]), max_size=3))
        return "{" + ", ".join(f"{key}: {sub()}" for key in keys) + "}"
    if kind == 6:
        arguments = ", ".join(sub() for _ in range(draw(st.integers(0, 3))))
        return f"{draw(st.sampled_from(FUNCTIONS))}({arguments})"
    if kind == 7:
        return f"{sub()} ~> {draw(st.sampled_from(FUNCTIONS))}()"
    return f"({sub()}; {sub()})"


def outcome(field, env):
    try:
        return ("value", field.evaluate(env))
    except QueryEvaluationError as error:
        return ("error", error.cause)


def plain_evaluation(field, env):
    expression = next(iter(field.expressions()))
    saved = expression.direct, expression.closure
    expression.direct = expression.closure = None
    engine = jsonata_engine._Engine
    shortcut = engine.__dict__["evaluate_path"]
    engine.evaluate_path = Jsonata.evaluate_path
    try:
        return outcome(field, env)
    finally:
        expression.direct, expression.closure = saved
        engine.evaluate_path = shortcut


@settings(max_examples=int(__import__("os").environ.get("JSONATA_EXAMPLES", 400)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subset_expressions(), json_values, json_values)
def test_closures_agree_with_the_evaluator(text, value, other):
    try:
        field = compile_field("{% " + text + " %}")
    except JsonataSyntaxError:
        return
    env = JsonataEnv(states_input={"a": value, "s": "str", "n": 4, "o": {"k": other}}, result=other,
                     context={"Execution": {"Id": "x"}}, variables={"v": value, "w": other, "x": None},
                     state_name="S", entered_event_id=2)
    assert outcome(field, env) == plain_evaluation(field, env)


def test_the_everyday_subset_is_compiled():
    for text in ("$i < $n", "$i + 1", "{'i': $i + 1, 'ok': $exists($x)}", "$states.input.value >= 20 and "
                 "$states.input.value < 30", "$not($states.input.type = 'Private')", "$count($l) > 0 ? 'y' : 'n'",
                 "$states.input.a & '-' & $string($v)", "[1, 'two', $v]", "$sum($states.input.values) + $c"):
        expression = next(iter(compile_field("{% " + text + " %}").expressions()))
        assert expression.closure is not None, text
    for text in ("$map($l, function($x){$x})", "($a := 1; $a)", "$l[0]", "$random()", "$states.input.items.name"):
        expression = next(iter(compile_field("{% " + text + " %}").expressions()))
        assert expression.closure is None, text
