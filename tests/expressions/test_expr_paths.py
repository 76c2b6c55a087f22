"""JSONPath / reference paths: syntax, AWS's results and Jayway's error texts, ResultPath merging."""
import pytest

from asl.errors import StatesError
from asl.paths import (
    CONTEXT, INPUT, VARIABLE, PathNotFound, PathSyntaxError, check_path, compile_path, set_result_path,
)

DATA = {
    "a": {"b": [1, 2, {"c": 3}]},
    "items": [{"k": 0, "v": "x"}, {"k": 1, "v": "y"}, {"k": 2}],
    "store.book": "dotted",
    "a-b": 7,
    "n": None,
    "users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}],
}


@pytest.mark.parametrize("text, expected", [
    ("$", DATA),
    ("$.a.b[2].c", 3),
    ("$['a']['b'][0]", 1),
    ('$["a-b"]', 7),
    ("$.a-b", 7),                     # Jayway accepts a hyphen in dot notation
    ("$.a.b[-1]", {"c": 3}),
    ("$.a.b[(@.length-2)]", 2),      # Goessner script form of a negative index
    ("$.store\\.book", "dotted"),     # escaped dot
    ("$.n", None),
])
def test_definite_paths_return_the_node(text, expected):
    path = compile_path(text)
    assert path.is_definite and path.kind == INPUT
    assert path.get(DATA) == expected


@pytest.mark.parametrize("text, expected", [
    ("$.items[*].k", [0, 1, 2]),
    ("$.items[*].v", ["x", "y"]),
    ("$.items[1:].k", [1, 2]),
    ("$.items[:1]", [{"k": 0, "v": "x"}]),
    ("$.items[0,2].k", [0, 2]),
    ("$..c", [3]),
    ("$.users[?(@.status == 0)]", [{"year": 1997, "status": 0}]),
    ("$.users[?(@.year > 1997)].year", [1998]),
    ("$.users[?(@.year > 1990 && @.status == 1)].year", [1998]),
])
def test_indefinite_paths_return_a_list(text, expected):
    path = compile_path(text)
    assert not path.is_definite
    assert path.get(DATA) == expected


@pytest.mark.parametrize("text, data", [
    ("$.item.items[1:]", {}), ("$.items[*].missing", DATA), ("$[*]", {}), ("$.nothing[*]", DATA),
    ("$.users[?(@.year > 3000)]", DATA), ("$..zzz", DATA),
])
def test_indefinite_paths_that_match_nothing_give_an_empty_list(text, data):
    assert compile_path(text).get(data) == []


def test_a_filter_comparing_mismatched_types_matches_nothing_instead_of_raising():
    assert compile_path("$.l[?(@.x > 1)]").get({"l": [{"x": "text"}]}) == []


@pytest.mark.parametrize("text, data, detail", [
    ("$.NoSuchInputPath", {}, "No results for path: $['NoSuchInputPath']"),
    ("$.no.such.result.path", {}, "Missing property in path $['no']"),
    ("$.a.x", {"a": {}}, "No results for path: $['a']['x']"),
    ("$.a.b[5]", DATA, "No results for path: $['a']['b'][5]"),
    ("$.n[0]", DATA, "The path $['n'] is null"),
    ("$.a[0]", {"a": {"k": 1}}, 'Filter: [0] can only be applied to arrays. Current context is: {"k":1}'),
])
def test_definite_misses_raise_states_runtime_with_jayway_text(text, data, detail):
    with pytest.raises(PathNotFound) as caught:
        compile_path(text).get(data)
    assert caught.value.error == "States.Runtime"
    assert caught.value.cause == f"Invalid path '{text}' : {detail}"


def test_property_of_a_non_object_names_what_was_found():
    with pytest.raises(PathNotFound) as caught:
        compile_path("$.a.b.c").get(DATA)
    assert caught.value.detail.startswith(
        "Expected to find an object with property ['c'] in path $['a']['b'] but found 'net.minidev.json.JSONArray'")


def test_context_and_variable_roots():
    context = {"Execution": {"Id": "arn:x", "Input": {"k": 1}}}
    path = compile_path("$$.Execution.Input.k")
    assert path.kind == CONTEXT and path.get(DATA, context) == 1
    assert compile_path("$$").get(DATA, context) is context
    variable = compile_path("$order.lines[0]")
    assert (variable.kind, variable.variable) == (VARIABLE, "order")
    assert variable.get(DATA, None, {"order": {"lines": ["first"]}}) == "first"
    assert compile_path("$x").get(None, None, {"x": 5}) == 5


def test_an_unknown_variable_is_a_runtime_error():
    with pytest.raises(StatesError) as caught:
        compile_path("$missing").get({}, {}, {})
    assert caught.value.error == "States.Runtime"
    assert "$missing" in caught.value.cause


def test_paths_are_compiled_once_and_shared():
    assert compile_path("$.a.b") is compile_path("$.a.b")


def test_exists_reports_presence_without_raising():
    path = compile_path("$.a.b")
    assert path.exists(DATA) and not path.exists({})
    assert compile_path("$.n").exists(DATA)   # present, even though null


@pytest.mark.parametrize("text", [
    "", "foo", "$.", "$.a[", "$['a'", "$$23", "$.a b", "$.a[x]", "bug$.library", "$...", "$.a[?(@.b >)]",
])
def test_syntax_errors(text):
    with pytest.raises(PathSyntaxError) as caught:
        compile_path(text)
    assert caught.value.column >= 1
    assert check_path(text) is not None


@pytest.mark.parametrize("text", ["$.a[*]", "$..a", "$.a[0:1]", "$.a[0,1]", "$.a[?(@.x)]", "$.*"])
def test_reference_paths_must_name_one_node(text):
    assert check_path(text) is None
    assert "single node" in check_path(text, reference=True)
    with pytest.raises(PathSyntaxError):
        compile_path(text, reference=True)


def test_check_path_can_forbid_context_and_variables():
    assert check_path("$$.Execution", reference=True) is None
    assert check_path("$$.Execution", allow_context=False) == "A context object path ($$) is not allowed here"
    assert check_path("$var", allow_variables=False) == "A variable reference is not allowed here"
    assert check_path(42) == "A path must be a string"


# ------------------------------------------------------------------------------------- ResultPath

def test_result_path_root_replaces_and_null_keeps_the_input():
    assert set_result_path(compile_path("$"), {"a": 1}, "R") == "R"
    assert set_result_path(None, {"a": 1}, "R") == {"a": 1}


def test_result_path_creates_missing_objects_and_never_mutates_the_input():
    raw = {"keep": {"x": 1}, "a": {"old": True}}
    out = set_result_path(compile_path("$.a.b.c", reference=True), raw, [1])
    assert out == {"keep": {"x": 1}, "a": {"old": True, "b": {"c": [1]}}}
    assert raw == {"keep": {"x": 1}, "a": {"old": True}}
    assert out["keep"] is raw["keep"]          # untouched branches are shared, not copied


def test_result_path_overwrites_and_indexes_into_arrays():
    raw = {"list": [{"v": 0}, {"v": 1}]}
    out = set_result_path(compile_path("$.list[1].v", reference=True), raw, 9)
    assert out == {"list": [{"v": 0}, {"v": 9}]} and raw["list"][1] == {"v": 1}


@pytest.mark.parametrize("text, raw", [("$.x", "foo"), ("$.a.b", {"a": 5}), ("$.l[3]", {"l": []})])
def test_result_path_that_cannot_apply_fails(text, raw):
    with pytest.raises(StatesError) as caught:
        set_result_path(compile_path(text, reference=True), raw, 1)
    assert caught.value.error == "States.ResultPathMatchFailure"
    assert caught.value.cause.startswith(f"Unable to apply ReferencePath {text} to input ")


def test_a_backslash_in_a_bracketed_name_stays_in_the_key():
    # recorded against AWS: $['Test\""Name"'] reads the key Test\""Name"
    data = {'Test\\""Name"': 'Value"\\'}
    path = compile_path('$[\'Test\\""Name"\']')
    assert path.keys == ('Test\\""Name"',)
    assert path.get(data) == 'Value"\\'
    # the backslash keeps the next character from closing the name, then stays with it
    assert compile_path("$['it\\'s']").keys == ("it\\'s",)


@pytest.mark.parametrize("text, expected", [
    ("$..['Test\\\"\"Name\"']", [1, 2]),                     # deep scan
    ("$.a[*]['Test\\\"\"Name\"']", [2]),                      # after a wildcard
    ("$.a[0]['Test\\\"\"Name\"', 'it\\'s']", [2, 3]),          # a union, blank after the comma
    ("$.a[?(@.x == 'q')].x", ["q"]),                          # filters are left alone
])
def test_indefinite_paths_read_bracketed_names_as_definite_ones_do(text, expected):
    data = {'Test\\""Name"': 1, "a": [{'Test\\""Name"': 2, "it\\'s": 3, "x": "q"}]}
    assert compile_path(text).get(data) == expected
