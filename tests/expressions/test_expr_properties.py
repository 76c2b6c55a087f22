"""Hypothesis properties of the expression layer: bad text never escapes as a Python error, the fast
definite-path getter agrees with jsonpath-ng, ResultPath then the same path reads the value back."""
import calendar
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonpath_ng.ext import parse as ng_parse

from asl.errors import StatesError
from asl.intrinsics import Effects, IntrinsicSyntaxError, compile_intrinsic
from asl.paths import PathNotFound, PathSyntaxError, compile_path, set_result_path
from asl.payload import TemplateError, compile_template
from asl.timestamps import format_timestamp, parse_timestamp

KEYS = st.sampled_from(["a", "b", "c", "dd", "x_1"])
SCALARS = st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
                    max_leaves=12)
STEPS = st.lists(st.one_of(KEYS.map(lambda k: ("key", k)), st.integers(0, 3).map(lambda i: ("index", i))),
                 max_size=4)

PATH_ALPHABET = st.sampled_from(list("$.[]'\"*?@()-:,0123456789abc \\$&|=<>!"))
INTRINSIC_ALPHABET = st.sampled_from(list("States.FormatArrayHashUUID(),'$.{}\\ 0123456789-\""))


def render(steps):
    return "$" + "".join(f".{v}" if kind == "key" else f"[{v}]" for kind, v in steps)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(PATH_ALPHABET, max_size=20) | st.text(max_size=12))
def test_compile_path_raises_only_path_syntax_errors(text):
    for reference in (False, True):
        try:
            path = compile_path(text, reference=reference)
        except PathSyntaxError as exc:
            assert exc.column >= 1
        else:
            assert path.text == text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(INTRINSIC_ALPHABET, max_size=30).map(lambda t: "States." + t) | st.text(max_size=15))
def test_compile_intrinsic_raises_only_intrinsic_syntax_errors(text):
    try:
        compile_intrinsic(text)
    except IntrinsicSyntaxError as exc:
        assert exc.column >= 1


@settings(max_examples=200)
@given(st.dictionaries(st.text(max_size=4).map(lambda k: k + ".$") | KEYS, st.text(max_size=10) | SCALARS,
                       max_size=4))
def test_compile_template_raises_only_template_errors(template):
    try:
        compile_template(template)
    except TemplateError as exc:
        assert exc.pointer.startswith("/")


@settings(max_examples=400)
@given(JSON, STEPS)
def test_definite_get_agrees_with_jsonpath_ng(data, steps):
    text = render(steps)
    path = compile_path(text)
    assert path.is_definite
    expected = [match.value for match in ng_parse(text).find(data)]
    try:
        value = path.get(data)
    except PathNotFound as exc:
        assert exc.error == "States.Runtime" and exc.cause.startswith(f"Invalid path '{text}' : ")
        assert expected == []
    else:
        assert expected == [value]


@settings(max_examples=300)
@given(st.dictionaries(KEYS, JSON, max_size=4), st.lists(KEYS, min_size=1, max_size=4), JSON)
def test_set_result_path_then_get_returns_the_value(raw, keys, value):
    path = compile_path("$." + ".".join(keys), reference=True)
    snapshot = repr(raw)
    try:
        merged = set_result_path(path, raw, value)
    except StatesError as exc:
        assert exc.error == "States.ResultPathMatchFailure"
    else:
        assert path.get(merged) == value
    assert repr(raw) == snapshot      # the input is never mutated


@settings(max_examples=200)
@given(st.sampled_from([
    "States.Format('{} {}', $.a, $.b)", "States.JsonToString($.a)", "States.StringToJson($.a)",
    "States.ArrayPartition($.a, $.b)", "States.ArrayContains($.a, $.b)", "States.ArrayRange($.a, $.b, 1)",
    "States.ArrayGetItem($.a, $.b)", "States.ArrayLength($.a)", "States.ArrayUnique($.a)",
    "States.Base64Encode($.a)", "States.Base64Decode($.a)", "States.Hash($.a, $.b)",
    "States.JsonMerge($.a, $.b, false)", "States.MathRandom($.a, $.b)", "States.MathAdd($.a, $.b)",
    "States.StringSplit($.a, $.b)", "States.Array($.a, $.b)", "States.UUID()",
]), JSON, JSON)
def test_intrinsics_fail_only_with_states_errors(text, a, b):
    try:
        compile_intrinsic(text).evaluate({"a": a, "b": b}, {}, {}, Effects(0))
    except StatesError as exc:
        assert exc.error == "States.Runtime" and exc.cause


@given(st.datetimes(min_value=datetime(1971, 1, 1)))
def test_formatted_timestamps_parse_back_to_the_millisecond(moment):
    instant = parse_timestamp(format_timestamp(moment))
    expected_ms = calendar.timegm(moment.timetuple()) * 1000 + moment.microsecond // 1000
    assert instant == expected_ms * 1_000_000


@given(st.text(max_size=40))
def test_parse_timestamp_never_raises(text):
    assert parse_timestamp(text) is None or isinstance(parse_timestamp(text), int)
