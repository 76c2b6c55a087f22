"""Failures are States.QueryEvaluationError with AWS's cause texts, locations, and evaluation limits."""
from __future__ import annotations

import time

import pytest

from asl.errors import QUERY_EVALUATION_ERROR, StatesError
from asl.jsonata_expr import JsonataEnv, QueryEvaluationError, compile_field, query_evaluation_error

PREFIX = "An error occurred while executing the state 'Work' (entered at the event id #7). "


def fail(value, *, field="Output", expect=None, states_input=None, variables=None, **env) -> QueryEvaluationError:
    env = JsonataEnv(states_input=states_input if states_input is not None else {}, variables=variables,
                     state_name="Work", entered_event_id=7, **env)
    with pytest.raises(QueryEvaluationError) as caught:
        compile_field(value, field=field, expect=expect).evaluate(env)
    return caught.value


def test_undefined_result():
    error = fail({"result": "{% $doesNotExist %}"})
    assert error.error == QUERY_EVALUATION_ERROR
    assert isinstance(error, StatesError)
    assert error.cause == (PREFIX + "The JSONata expression '$doesNotExist' specified for the field "
                                    "'Output/result' returned nothing (undefined).")
    assert error.location == "Output/result"
    assert error.state == "Work"


def test_undefined_argument_field():
    error = fail({"FunctionName": "{% $states.input.missing %}"}, field="Arguments")
    assert error.cause == (PREFIX + "The JSONata expression '$states.input.missing' specified for the field "
                                    "'Arguments/FunctionName' returned nothing (undefined).")


def test_thrown_error_carries_the_jsonata_code():
    error = fail({"FunctionResult": "{% $randomSeeded($states.input.seed) %}"}, states_input={"seed": 1})
    assert error.cause == (PREFIX + "The JSONata expression '$randomSeeded($states.input.seed)' specified for "
                                    "the field 'Output/FunctionResult' threw an error during evaluation. "
                                    "T1006: Attempted to invoke a non-function")


def test_thrown_type_error():
    error = fail("{% $states.input.s + 1 %}", states_input={"s": "x"})
    assert error.cause.endswith("threw an error during evaluation. "
                                "T2001: The left side of the + operator must evaluate to a number")


def test_error_function_message():
    error = fail("{% $error('custom failure') %}")
    assert error.cause.endswith("threw an error during evaluation. D3137: custom failure")


@pytest.mark.parametrize("text, shown, kind, rendered", [
    ("1", "1", "number", "1"),
    ("'string'", "'string'", "string", '"string"'),
    ("{'foo': 'bar'}", "{'foo': 'bar'}", "object", '{"foo":"bar"}'),
    ("true", "true", "boolean", "true"),
    ("null", "null", "null", "null"),
    ("1.5", "1.5", "number", "1.5"),
])
def test_unexpected_result_type(text, shown, kind, rendered):
    error = fail(f"{{% {text} %}}", field="Items", expect="array")
    assert error.cause == (PREFIX + f"The JSONata expression '{shown}' specified for the field 'Items' returned "
                                    f"an unexpected result type. Expected 'array', but was '{kind}' for value: "
                                    f"{rendered}")
    assert error.location == "Items"


def test_type_checks_per_expected_kind():
    env = JsonataEnv(states_input={"n": 2.0, "b": True, "s": "x"})
    assert compile_field("{% $states.input.n %}", expect="integer").evaluate(env) == 2
    assert compile_field("{% $states.input.b %}", expect="boolean").evaluate(env) is True
    assert compile_field("{% $states.input.s %}", expect="string").evaluate(env) == "x"
    assert compile_field("{% {} %}", expect="object").evaluate(env) == {}
    assert compile_field("{% 2.5 %}", expect="number").evaluate(env) == 2.5
    assert "Expected 'integer', but was 'number' for value: 2.5" in fail("{% 2.5 %}", expect="integer").cause
    assert "Expected 'boolean', but was 'number' for value: 1" in fail("{% 1 %}", expect="boolean").cause
    assert "Expected 'string', but was 'array' for value: [1,\"a\"]" in fail("{% [1, 'a'] %}", expect="string").cause


def test_unsupported_result_type():
    error = fail("{% $fn := function($x){$x} %}", field="Items", expect="array")
    assert error.cause == (PREFIX + "The JSONata expression '$fn := function($x){$x}' specified for the field "
                                    "'Items' returned an unsupported result type.")
    assert fail({"k": "{% {'f': $uppercase} %}"}).cause.endswith("returned an unsupported result type.")


def test_no_prefix_outside_a_state():
    with pytest.raises(QueryEvaluationError) as caught:
        compile_field("{% $x %}").evaluate(JsonataEnv(states_input={}))
    assert caught.value.cause == "The JSONata expression '$x' specified for the field 'Output' returned nothing (undefined)."


def test_runtime_detected_failures_get_the_same_prefix():
    env = JsonataEnv(states_input=True, state_name="MapIterateState", entered_event_id=4)
    error = query_evaluation_error(env, "Map state input must be an array but was: true")
    assert error.error == QUERY_EVALUATION_ERROR
    assert error.cause == ("An error occurred while executing the state 'MapIterateState' (entered at the event "
                           "id #4). Map state input must be an array but was: true")
    assert error.location is None


def test_recursion_depth_is_bounded():
    factorial = "{% ($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(N)) %}"
    env = JsonataEnv(states_input={})
    assert compile_field(factorial.replace("N", "20")).evaluate(env) == 2432902008176640000
    error = fail(factorial.replace("N", "500"))
    assert "threw an error during evaluation. Stack overflow error: Depth=101 max=100" in error.cause


@pytest.mark.parametrize("build, accepted, refused", [
    (lambda n: "+".join(["1"] * n), 100, 101),
    (lambda n: "(" * n + "1" + ")" * n, 99, 100),
    (lambda n: "[" * n + "1" + "]" * n, 99, 100),
])
def test_nesting_limits_match_aws(build, accepted, refused):
    env = JsonataEnv(states_input={})
    compile_field("{% " + build(accepted) + " %}").evaluate(env)
    assert "Stack overflow error" in fail("{% " + build(refused) + " %}").cause


def test_endless_loops_time_out_in_real_time():
    started = time.monotonic()
    error = fail("{% ($loop := function($n){ $loop($n + 1) }; $loop(0)) %}", time_limit=0.2)
    assert error.cause.endswith("threw an error during evaluation. Expression evaluation timeout")
    assert time.monotonic() - started < 2


def test_memory_limits():
    assert "Expression evaluation memory limit exceeded" in fail("{% $sum([1..900000]) %}").cause
    assert compile_field("{% $count([1..873782]) %}").evaluate(JsonataEnv()) == 873782
    doubling = "{% ($s := 'x'; $d := function($t, $n){ $n = 0 ? $t : $d($t & $t, $n - 1) }; $length($d($s, N))) %}"
    assert compile_field(doubling.replace("N", "22")).evaluate(JsonataEnv()) == 2 ** 22
    assert "memory limit exceeded" in fail(doubling.replace("N", "23")).cause


def test_division_by_zero_is_javascripts_infinity():
    env = JsonataEnv(states_input={})
    assert compile_field("{% 1/0 %}").evaluate(env) == "Infinity"
    assert compile_field("{% -1/0 %}").evaluate(env) == "-Infinity"
    assert compile_field("{% [0/0] %}").evaluate(env) == ["NaN"]
    assert compile_field("{% {'k': 5 % 0} %}").evaluate(env) == {"k": "NaN"}
    assert compile_field("{% 5.5 % 2 %}").evaluate(env) == 1.5


def test_non_function_invocation_prints_nothing(capsys):
    fail("{% 1 ~> 2 %}")
    fail("{% $states.input.x() %}", states_input={"x": 1})
    assert capsys.readouterr() == ("", "")
