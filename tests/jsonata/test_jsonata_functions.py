"""AWS's added functions ($partition, $range, $hash, $random, $uuid, $parse), $eval's removal, effects."""
from __future__ import annotations

import hashlib

import pytest

from asl.jsonata_expr import JsonataEnv, QueryEvaluationError, compile_field
from asl.jsonata_functions import DefaultEffects, java_random_double


class FixedEffects:
    def __init__(self):
        self.draws = 0

    def random(self):
        self.draws += 1
        return 0.25

    def uuid(self):
        return "00000000-0000-4000-8000-000000000000"

    def now_millis(self):
        return 1_700_000_000_123


def run(expression, effects=None, **input_):
    env = JsonataEnv(states_input=input_, state_name="S", entered_event_id=2, effects=effects)
    return compile_field(expression).evaluate(env)


def undefined(expression, **input_):
    with pytest.raises(QueryEvaluationError) as caught:
        run(expression, **input_)
    return caught.value.cause.endswith("returned nothing (undefined).")


@pytest.mark.parametrize("items, size, expected", [
    ([7], 1, [[7]]),
    ([7], 5, [[7]]),
    ([1, 2, 3], 2, [[1, 2], [3]]),
    ([1, 2, 3, 4], 2, [[1, 2], [3, 4]]),
    ([1, 2, 3, 4], 3, [[1, 2, 3], [4]]),
    (["a", {"b": 1}, None], 2, [["a", {"b": 1}], [None]]),
    ([1, 2, 3, 4, 5], 2.9, [[1, 2], [3, 4], [5]]),       # truncated towards zero
])
def test_partition(items, size, expected):
    assert run("{% $partition($states.input.items, $states.input.size) %}", items=items, size=size) == expected


@pytest.mark.parametrize("items, size", [([1, 2], 0), ([], 2), ([1], -1)])
def test_partition_nonsense_is_undefined(items, size):
    assert undefined("{% $partition($states.input.items, $states.input.size) %}", items=items, size=size)


@pytest.mark.parametrize("args, expected", [
    ("0, 9, 3", [0, 3, 6, 9]),
    ("0, 10, 3", [0, 3, 6, 9]),
    ("1, 9, 2", [1, 3, 5, 7, 9]),
    ("1, 9, 9", 1),                   # a one-element sequence is the bare number
    ("5, 5, 1", 5),
    ("10, 0, -5", [10, 5, 0]),
    ("-1.7, 2, 1", [-1, 0, 1, 2]),    # truncated towards zero
])
def test_range(args, expected):
    assert run(f"{{% $range({args}) %}}") == expected


@pytest.mark.parametrize("args", ["1, 9, 0", "1, 9, -1", "9, 1, 1", "1, 9"])
def test_range_nonsense_is_undefined(args):
    assert undefined(f"{{% $range({args}) %}}")


def test_range_refuses_huge_ranges_before_allocating():
    assert run("{% $count($range(1, 360145, 1)) %}") == 360145
    with pytest.raises(QueryEvaluationError, match="Expression evaluation memory limit exceeded"):
        run("{% $range(1, 360146, 1) %}")


@pytest.mark.parametrize("name, algorithm", [("MD5", "md5"), ("SHA-1", "sha1"), ("SHA-256", "sha256"),
                                             ("SHA-384", "sha384"), ("SHA-512", "sha512")])
def test_hash(name, algorithm):
    expected = hashlib.new(algorithm, "héllo".encode()).hexdigest()
    assert run(f"{{% $hash($states.input.s, '{name}') %}}", s="héllo") == expected


def test_hash_algorithm_names_are_exact():
    with pytest.raises(QueryEvaluationError, match="Invalid hash algorithm 'sha-256'"):
        run("{% $hash('x', 'sha-256') %}")
    assert undefined("{% $hash('x') %}")


def test_seeded_random_is_javas_generator():
    assert java_random_double(42) == pytest.approx(0.7275636800328681, abs=0)
    assert run("{% $random(42) %}") == run("{% $random(42) %}") == java_random_double(42)
    assert run("{% $random(7.9) %}") == java_random_double(7)
    assert run("{% $random(1) %}") != run("{% $random(2) %}")


def test_unseeded_random_and_uuid_come_from_the_effects():
    effects = FixedEffects()
    assert run("{% $random() %}", effects) == 0.25
    assert effects.draws == 1
    assert run("{% $uuid() %}", effects) == "00000000-0000-4000-8000-000000000000"


def test_default_effects_are_seedable():
    first = [run("{% [$random(), $uuid()] %}", DefaultEffects(seed=3)) for _ in range(2)]
    assert first[0] == first[1]
    value, uuid = first[0]
    assert 0 <= value < 1
    assert len(uuid) == 36 and uuid[14] == "4"


def test_now_and_millis_use_the_effects_clock():
    effects = FixedEffects()
    assert run("{% $millis() %}", effects) == 1_700_000_000_123
    assert run("{% $now() %}", effects) == "2023-11-14T22:13:20.123Z"

    class Clock:
        def now(self):
            return 86400.5

    class WithClock(FixedEffects):
        now_millis = None
        clock = Clock()

    assert run("{% $millis() %}", WithClock()) == 86_400_500


@pytest.mark.parametrize("text, expected", [
    ("-0", 0), ("1", 1), ("1.1", 1.1), ("true", True), ('"HelloWorld"', "HelloWorld"), ("null", None),
    ('[1, 2, "x"]', [1, 2, "x"]), ('{"Arg1": 1, "Arg2": [], "n": null}', {"Arg1": 1, "Arg2": [], "n": None}),
    ("9223372036854775807", 9223372036854775807), ("9223372036854775808", 9.223372036854776e18),
])
def test_parse(text, expected):
    result = run("{% $parse($states.input.text) %}", text=text)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize("text", ["{", "NaN", "", "[1,]"])
def test_parse_of_text_that_is_not_json_throws(text):
    with pytest.raises(QueryEvaluationError, match="threw an error during evaluation. Unable to parse"):
        run("{% $parse($states.input.text) %}", text=text)


def test_parse_result_nulls_are_values():
    assert run("{% $exists($parse('{\"a\": null}').a) %}") is True


def test_eval_is_not_available():
    with pytest.raises(QueryEvaluationError) as caught:
        run("{% $eval('1 + 1') %}")
    assert caught.value.cause.endswith("threw an error during evaluation. T1006: Attempted to invoke a non-function")


def test_builtin_functions_still_work_and_check_their_signatures():
    assert run("{% $sum($states.input.v) + $count($states.input.v) %}", v=[1, 2, 3]) == 9
    assert run("{% $uppercase($states.input.s) %}", s="ab") == "AB"
    with pytest.raises(QueryEvaluationError, match=r"T0410: Argument 1 of \w+ partition does not match"):
        run("{% $partition('abc', 'x') %}")


def test_partial_application_of_aws_functions():
    assert run("{% ($chunk := $partition(?, 2); $chunk([1, 2, 3])) %}") == [[1, 2], [3]]


@pytest.mark.parametrize("text, expected", [("'2'", 2), ("'-1.5e2'", -150), ("'007'", 7), ("'0x1F'", 31),
                                            ("'0b101'", 5), ("'0o17'", 15), ("true", 1), ("3.5", 3.5)])
def test_number(text, expected):
    assert run(f"{{% $number({text}) %}}") == expected


@pytest.mark.parametrize("text", ["'a'", "'inf'", "'nan'", "' 2'", "'1_000'", "''"])
def test_number_refuses_text_that_is_not_a_number(text):
    with pytest.raises(QueryEvaluationError) as caught:
        run(f"{{% $number({text}) %}}")
    assert "threw an error during evaluation. D3030: Unable to cast value to a number" in caught.value.cause
    with pytest.raises(QueryEvaluationError, match="D3030"):
        run(f"{{% true and $number({text}) > 0 %}}")
