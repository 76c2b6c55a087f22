"""Results become plain JSON the way AWS writes them."""
from __future__ import annotations

import pytest

from asl.jsonata_expr import JsonataEnv, compile_field
from asl.jsonata_functions import to_jsonata


def run(text, **input_):
    return compile_field(text).evaluate(JsonataEnv(states_input=input_))


@pytest.mark.parametrize("text, expected", [
    ("{% 1.5 * 2 %}", 3),
    ("{% $sum([0.5, 0.5]) %}", 1),
    ("{% 2.0 %}", 2),
    ("{% -0.0 %}", 0),
    ("{% 0.1 + 0.2 %}", 0.30000000000000004),
    ("{% 1e300 * 10 %}", 1e301),
])
def test_whole_numbers_are_integers(text, expected):
    result = run(text)
    assert result == expected and type(result) is type(expected)


def test_input_numbers_keep_their_value():
    assert run("{% $states.input.x %}", x=1.0) == 1
    assert type(run("{% $states.input.x %}", x=1.0)) is int
    assert run("{% $states.input.big %}", big=2 ** 63 - 1) == 2 ** 63 - 1
    assert run("{% $states.input.big %}", big=2 ** 70) == float(2 ** 70)     # past a Java long: a double


def test_sequences_become_lists():
    assert run("{% $states.input.items.name %}", items=[{"name": "a"}, {"name": "b"}]) == ["a", "b"]
    assert run("{% $states.input.items.name %}", items=[{"name": "a"}]) == "a"     # a singleton sequence
    assert run("{% [1..4] %}") == [1, 2, 3, 4]
    assert type(run("{% [1..4] %}")) is list


def test_results_do_not_alias_the_input():
    data = {"nested": {"list": [1, 2]}}
    out = run("{% $states.input.nested %}", **data)
    out["list"].append(3)
    assert data == {"nested": {"list": [1, 2]}}


def test_null_marker_never_escapes():
    assert run("{% [null, {'a': null}, $states.input.n] %}", n=None) == [None, {"a": None}, None]


def test_strings_of_numbers():
    assert run("{% $string(1.5) %}") == "1.5"
    assert run("{% $string(2.0) %}") == "2"
    assert run("{% $string($states.input) %}", a=[1, None, True]) == '{"a":[1,null,true]}'


def test_to_jsonata_copies_only_what_holds_a_null():
    clean = {"a": [1, {"b": "x"}], "c": {"d": 1}}
    assert to_jsonata(clean) is clean
    dirty = {"keep": {"d": 1}, "a": [1, None]}
    converted = to_jsonata(dirty)
    assert converted is not dirty and converted["keep"] is dirty["keep"]
    assert dirty == {"keep": {"d": 1}, "a": [1, None]}


@pytest.mark.parametrize("text, expected", [
    ("$string(1e20)", "100000000000000000000"),
    ("$string(1e21)", "1e+21"),
    ("$string(-1e21)", "-1e+21"),
    ("$string(123456789012345678)", "123456789012346000"),
    ("$string(0.1 + 0.2)", "0.3"),
    ("$string(1.5e-7)", "1.5e-7"),
    ("$string(0.000015)", "0.000015"),
    ("$string({'a': 0.1 + 0.2, 'b': 1e20, 'c': 'é'})", '{"a":0.3,"b":100000000000000000000,"c":"é"}'),
    ("$string({'a': [1, {}], 'b': []}, true)", '{\n  "a": [\n    1,\n    {}\n  ],\n  "b": []\n}'),
    ("$string({'f': $uppercase})", '{"f":""}'),
    ("'n=' & 0.5 & ', ok=' & true", "n=0.5, ok=true"),
    ("'list ' & [1, 'a']", 'list [1,"a"]'),
])
def test_string_uses_javascript_number_notation(text, expected):
    assert run("{% " + text + " %}") == expected


def test_string_of_a_non_finite_number_throws():
    with pytest.raises(Exception, match="D3001"):
        run("{% $string(1/0) %}")
