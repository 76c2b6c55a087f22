"""The 18 intrinsic functions, their AWS quirks, and the linter's check_intrinsic."""
import json
import uuid

import pytest

from asl.errors import StatesError
from asl.intrinsics import (
    Effects, IntrinsicSyntaxError, check_intrinsic, compile_intrinsic, format_text, intrinsic_name,
    java_double, json_text,
)

CONTEXT = {"StateMachine": {"Id": "arn:aws:states:us-east-1:1:stateMachine:my-flow", "Name": "my-flow"},
           "Execution": {"Input": {"csv": "a,b,c"}}}


def run(text, data=None, variables=None, effects=None):
    return compile_intrinsic(text).evaluate(data if data is not None else {}, CONTEXT, variables or {},
                                            effects or Effects(1))


def fails(text, data=None):
    with pytest.raises(StatesError) as caught:
        run(text, data)
    assert caught.value.error == "States.Runtime"
    return caught.value.cause


# ------------------------------------------------------------------------------- Format

@pytest.mark.parametrize("value, shown", [
    ("", ""), (" ", " "), ("HelloWorld", "HelloWorld"), (None, "null"), (1, "1"), (1.1, "1.1"),
    (True, "true"), ('{"Arg1": 1}', '{"Arg1": 1}'),
    ({"Arg1": 1, "Arg2": []}, "{Arg1=1, Arg2=[]}"),
    ([1, "two", None, {"k": [2.5]}], "[1, two, null, {k=[2.5]}]"),
    (1e20, "1.0E20"), (2.0, "2.0"),
])
def test_format_prints_values_as_aws_does(value, shown):
    assert run("States.Format('v={}.', $.v)", {"v": value}) == f"v={shown}."


def test_format_escapes_and_context_objects():
    assert run("States.Format('\\{\\} {} \\' \\\\', 'x')") == "{} x ' \\"
    assert run("States.Format('m={}', $$.StateMachine)") == (
        "m={Id=arn:aws:states:us-east-1:1:stateMachine:my-flow, Name=my-flow}")


def test_format_with_a_template_from_the_input():
    assert run("States.Format($.t, $.name)", {"t": "Hello, {}!", "name": "Ann"}) == "Hello, Ann!"
    assert "2 placeholders" in fails("States.Format($.t, $.name)", {"t": "{} {}", "name": "x"})


# ------------------------------------------------------------------------------- JSON

@pytest.mark.parametrize("text, expected", [
    ("", None), ("   ", None), ("null", None), ("-0", 0), ("1.1", 1.1), ('"s"', "s"),
    ('[1, 2, "x"]', [1, 2, "x"]), ('{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []}),
])
def test_string_to_json(text, expected):
    assert run("States.StringToJson($.s)", {"s": text}) == expected


def test_string_to_json_refuses_bad_json_and_non_strings():
    assert "not valid JSON" in fails("States.StringToJson('{nope')")
    assert "not valid JSON" in fails("States.StringToJson('NaN')")
    assert "must be a string" in fails("States.StringToJson($.n)", {"n": 1})


@pytest.mark.parametrize("value, text", [
    (None, "null"), (0, "0"), (1.1, "1.1"), (True, "true"), ("HelloWorld", '"HelloWorld"'),
    ([1, 2, "HelloWorld"], '[1,2,"HelloWorld"]'), ({"Arg1": 1, "Arg2": []}, '{"Arg1":1,"Arg2":[]}'),
    ({"ü": "é"}, '{"ü":"é"}'),
])
def test_json_to_string_is_compact(value, text):
    assert run("States.JsonToString($.v)", {"v": value}) == text


def test_json_merge_is_shallow_and_right_biased():
    data = {"a": {"a": {"x": 1}, "b": 2}, "b": {"a": {"y": 1}, "c": 3}}
    assert run("States.JsonMerge($.a, $.b, false)", data) == {"a": {"y": 1}, "b": 2, "c": 3}
    assert data["a"] == {"a": {"x": 1}, "b": 2}
    assert "shallow" in fails("States.JsonMerge($.a, $.b, true)", data)
    assert "must be an object" in fails("States.JsonMerge($.a, $.n, false)", dict(data, n=1))


def test_json_merge_of_a_parsed_literal():
    out = run("States.JsonMerge(States.StringToJson('{\"k\": \"v\"}'), $$.Execution.Input, false)")
    assert out == {"k": "v", "csv": "a,b,c"}


# ------------------------------------------------------------------------------- arrays

def test_array_builds_from_any_arguments():
    assert run("States.Array()") == []
    assert run("States.Array('Foo', 2020, $.j, null, true, -1.5)", {"j": {"k": 1}}) == [
        "Foo", 2020, {"k": 1}, None, True, -1.5]


@pytest.mark.parametrize("array, size, expected", [
    ([], 1, []), ([0, 1, 2], 2, [[0, 1], [2]]), ([0, 1, 2, 3], 2, [[0, 1], [2, 3]]), ([0], 5, [[0]]),
])
def test_array_partition(array, size, expected):
    assert run("States.ArrayPartition($.a, $.n)", {"a": array, "n": size}) == expected


def test_array_partition_needs_a_positive_size():
    assert "positive" in fails("States.ArrayPartition($.a, 0)", {"a": [1]})


@pytest.mark.parametrize("array, value, expected", [
    ([], None, False), ([], [], False), ([[1, 2, 3], 2], [1, 2, 3], True), ([{"1": 2}], {"1": 2}, True),
    ([True, False], False, True), ([1], True, False), ([1], 1.0, True), (["1"], 1, False),
])
def test_array_contains_uses_deep_json_equality(array, value, expected):
    assert run("States.ArrayContains($.a, $.v)", {"a": array, "v": value}) is expected


@pytest.mark.parametrize("args, expected", [
    ((0, 9, 3), [0, 3, 6, 9]), ((0, 10, 3), [0, 3, 6, 9]), ((1, 9, 9), [1]), ((1, 9, 2), [1, 3, 5, 7, 9]),
    ((5, 1, -2), [5, 3, 1]), ((5, 1, 1), []),
])
def test_array_range_includes_the_end_when_reached(args, expected):
    assert run("States.ArrayRange({}, {}, {})".format(*args)) == expected


def test_array_range_limits():
    assert "at most 1000" in fails("States.ArrayRange(1, 1001, 1)")
    assert run("States.ArrayLength(States.ArrayRange(1, 1000, 1))") == 1000
    assert "step must not be 0" in fails("States.ArrayRange(1, 5, 0)")
    assert "integer" in fails("States.ArrayRange(1.5, 5, 1)")


def test_array_get_item_length_unique():
    data = {"a": [1, 2, 3, 4, 5, 6, 7, 8, 9]}
    assert run("States.ArrayGetItem($.a, 5)", data) == 6
    assert "out of bounds" in fails("States.ArrayGetItem($.a, 9)", data)
    assert run("States.ArrayLength($.a)", data) == 9
    unique = [None, None, True, True, 1, 1, 1.1, "x", "x", [], [], {"a": 1}, {"a": 1}, {"a": 2}, 1.0]
    assert run("States.ArrayUnique($.u)", {"u": unique}) == [None, True, 1, 1.1, "x", [], {"a": 1}, {"a": 2}]


# ------------------------------------------------------------------------------- encoding, hashing

def test_base64_round_trip():
    assert run("States.Base64Encode('Data to encode')") == "RGF0YSB0byBlbmNvZGU="
    assert run("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')") == "Data to encode"
    assert run("States.Base64Encode('')") == "" and run("States.Base64Decode('')") == ""
    assert "base64" in fails("States.Base64Decode('***')")
    assert "10000" in fails("States.Base64Encode($.s)", {"s": "x" * 10_001})


@pytest.mark.parametrize("algorithm, digest", [
    ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
    ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
    ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
])
def test_hash(algorithm, digest):
    assert run("States.Hash('input data', $.alg)", {"alg": algorithm}) == digest


def test_hash_refuses_unknown_algorithms_at_run_time():
    assert "not supported" in fails("States.Hash('x', $.alg)", {"alg": "sha-1"})


# ------------------------------------------------------------------------------- math

@pytest.mark.parametrize("a, b, total", [
    (-9, 3, -6), (1.49, 1.5, 3), (1.5, 1.51, 4), (-1.49, -1.5, -2), (-1.5, -1.51, -3), (0.5, 0, 1),
    (2.5, 0, 3), (-0.5, 0, 0), (-2.5, 0, -2), (-3.5, 0, -3), (0.49999999999999994, 0, 0),
])
def test_math_add_rounds_half_up_like_java(a, b, total):
    result = run("States.MathAdd($.a, $.b)", {"a": a, "b": b})
    assert result == total and isinstance(result, int)


def test_math_add_refuses_non_numbers():
    assert "must be a number" in fails("States.MathAdd($.a, 1)", {"a": "1"})
    assert "must be a number" in fails("States.MathAdd($.a, 1)", {"a": True})


def test_math_random_uses_the_injected_rng_or_the_seed():
    first = run("States.MathRandom(1, 1000)", effects=Effects(42))
    assert first == run("States.MathRandom(1, 1000)", effects=Effects(42))
    assert 1 <= first <= 1000
    assert run("States.MathRandom(0, 999, 3)", effects=Effects(1)) == run(
        "States.MathRandom(0, 999, 3)", effects=Effects(2))
    assert -99999 <= run("States.MathRandom(-99999, -9999)") <= -9999
    assert 13 <= run("States.MathRandom(12.5, 44.51)") <= 45


# ------------------------------------------------------------------------------- strings, uuid

@pytest.mark.parametrize("text, delimiters, pieces", [
    (" ", ",", [" "]), (" , ", ",", [" ", " "]), (", , ,", ",", [" ", " "]), (",,,,", ",", []),
    ("This.is+a,test=string", ".+,=", ["This", "is", "a", "test", "string"]),
    ("split on T and \nnew line", "T\n", ["split on ", " and ", "new line"]), ("", ",", []),
])
def test_string_split_on_any_delimiter_character_dropping_empties(text, delimiters, pieces):
    assert run("States.StringSplit($.s, $.d)", {"s": text, "d": delimiters}) == pieces


def test_string_split_of_a_literal_with_a_real_newline():
    assert run("States.StringSplit('Hello\nWorld', '\n')") == ["Hello", "World"]


def test_uuid_comes_from_the_effects():
    value = run("States.UUID()", effects=Effects(5))
    assert value == run("States.UUID()", effects=Effects(5))
    assert uuid.UUID(value).version == 4


def test_nested_calls():
    assert run("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), "
               "States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))") == "flow"


def test_path_arguments_from_context_and_variables():
    assert run("States.StringSplit($$.Execution.Input.csv, ',')") == ["a", "b", "c"]
    assert run("States.Array($v, $v.k)", variables={"v": {"k": 1}}) == [{"k": 1}, 1]


# ------------------------------------------------------------------------------- compile and check

@pytest.mark.parametrize("text, fragment", [
    ("States.Foo($.x)", "Unknown intrinsic function States.Foo"),
    ("States.UUID(1)", "takes no arguments"),
    ("States.MathAdd($.a)", "takes 2 arguments, but 1 was given"),
    ("States.MathRandom(1)", "takes 2 to 3 arguments"),
    ("States.Format('x {}', $.a", "missing ')'"),
    ('States.Format("x")', "single quotes"),
    ("States.JsonToString($$$)", "Invalid path argument"),
    ("States.Hash($.a, 'SHA-999')", "Unsupported hash algorithm"),
    ("States.Format('{} {}', $.a)", "2 placeholders but 1 value"),
    ("States.Format(1, $.a)", "Argument 1 of States.Format must be a string, not a number literal"),
    ("States.MathAdd(1, '-1')", "Argument 2 of States.MathAdd must be a number, not a string literal"),
    ("States.JsonMerge($.a, $.b, 1)", "must be a boolean"),
    ("States.ArrayLength('x')", "must be an array"),
    ("no_parentheses", "Expected a path (starting with '$') or an intrinsic function call"),
    ("States.StringToJson('{\"t\":\"An \\\"x\\\" here\"}')", "Invalid escape sequence"),
    ("States.Format('He said \\\"hi\\\"')", "Invalid escape sequence"),
    ("States.Array(" * 11 + ")" * 11, "nested at most 10"),
    (" States.Array(1)", "start with blanks"),
    ("", "Expected a path"),
    ("States.Array(1", "end of the expression"),
    ("States.Array(1,)", "Unexpected"),
])
def test_check_intrinsic_reports_problems_with_a_column(text, fragment):
    problem = check_intrinsic(text)
    assert problem is not None and fragment in problem[0] and problem[1] >= 1


@pytest.mark.parametrize("text", [
    "States.MathAdd(States.ArrayLength($.a), -1)", "States.UUID()", "States.Array(" * 10 + ")" * 10,
    "States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)",
    "States.JsonToString($)   ",  # trailing blanks: AWS's own language server accepts them
    "States.StringToJson('{\"constant_in_literal\": \"false\"}')", "States.Array($.a[*].b, $.c[?(@.d > 1)])",
])
def test_check_intrinsic_accepts_valid_calls(text):
    assert check_intrinsic(text) is None


def test_compile_reports_the_column_of_the_problem():
    with pytest.raises(IntrinsicSyntaxError) as caught:
        compile_intrinsic("States.Array(States.Nope())")
    assert caught.value.column == len("States.Array(") + 1


def test_intrinsic_name_and_string_result():
    assert intrinsic_name("States.Format('x')") == "States.Format"
    assert intrinsic_name("nonsense(") is None
    assert compile_intrinsic("States.Format('x')").returns_string
    assert not compile_intrinsic("States.Array()").returns_string


@pytest.mark.parametrize("value, text", [
    (1.0, "1.0"), (0.001, "0.001"), (1234567.0, "1234567.0"), (1e7, "1.0E7"), (1.5e-5, "1.5E-5"),
    (-2.5e100, "-2.5E100"), (0.0, "0.0"), (-0.0, "-0.0"),
])
def test_java_double(value, text):
    assert java_double(value) == text


def test_json_text_and_format_text_agree_with_json():
    value = {"a": [1, 2.5, None, True, "s\"q"]}
    assert json.loads(json_text(value)) == value
    assert format_text(value) == '{a=[1, 2.5, null, true, s"q]}'
