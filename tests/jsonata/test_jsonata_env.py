"""What an evaluation sees: $states, workflow variables, local bindings, lazy conversion, threads."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from asl.jsonata_expr import JsonataEnv, QueryEvaluationError, compile_field
from asl.model import ABSENT


def run(text, **kwargs):
    kwargs.setdefault("states_input", {})
    kwargs.setdefault("state_name", "S")
    kwargs.setdefault("entered_event_id", 2)
    return compile_field(text).evaluate(JsonataEnv(**kwargs))


def test_states_members_present_only_where_bound():
    states = run("{% $states %}", states_input={"a": 1}, context={"State": {"Name": "S"}})
    assert states == {"input": {"a": 1}, "context": {"State": {"Name": "S"}}}
    states = run("{% $states %}", result={"r": 1}, error_output={"Error": "E"})
    assert states["result"] == {"r": 1} and states["errorOutput"] == {"Error": "E"}


def test_result_and_error_output_are_undefined_when_absent():
    with pytest.raises(QueryEvaluationError, match="returned nothing"):
        run("{% $states.result %}", result=ABSENT)
    with pytest.raises(QueryEvaluationError, match="returned nothing"):
        run("{% $states.errorOutput %}")
    assert run("{% $states.result %}", result=None) is None      # a null result is a value


def test_context_may_be_built_lazily():
    calls = []

    def context():
        calls.append(1)
        return {"Execution": {"Name": "run-1"}}

    assert run("{% $states.input.a %}", states_input={"a": 1}, context=context) == 1
    assert calls == []
    assert run("{% $states.context.Execution.Name %}", context=context) == "run-1"
    assert calls == [1]


def test_workflow_variables():
    variables = {"count": 3, "names": ["a", "b"], "cfg": {"limit": 10}}
    assert run("{% $count + 1 %}", variables=variables) == 4
    assert run("{% $names[1] %}", variables=variables) == "b"
    assert run("{% $cfg.limit * $count %}", variables=variables) == 30


def test_null_is_a_value_not_undefined():
    variables = {"nothing": None, "list": [1, None, 2], "obj": {"a": None}}
    assert run("{% $nothing %}", variables=variables) is None
    assert run("{% $exists($nothing) %}", variables=variables) is True
    assert run("{% $type($nothing) %}", variables=variables) == "null"
    assert run("{% $count($nothing) %}", variables=variables) == 1
    assert run("{% $map($list, function($v){ $type($v) }) %}", variables=variables) == ["number", "null", "number"]
    assert run("{% $obj.* %}", variables=variables) is None
    assert run("{% $exists($obj.a) %}", variables=variables) is True
    assert run("{% {'v': $states.input.bar} %}", states_input={"bar": None}) == {"v": None}


def test_input_data_is_never_modified():
    data = {"list": [1, None], "obj": {"a": None, "b": [None]}}
    snapshot = repr(data)
    out = run("{% $merge([$states.input.obj, {'c': $states.input.list}]) %}", states_input=data)
    assert out == {"a": None, "b": [None], "c": [1, None]}
    out["b"].append("mutated")
    assert repr(data) == snapshot


def test_local_bindings_do_not_leak_between_evaluations():
    field = compile_field("{% ($before := $exists($tmp); $tmp := 1; $before) %}")
    env = JsonataEnv(states_input={}, variables={})
    assert field.evaluate(env) is False
    assert field.evaluate(env) is False
    assert env.variables == {}


def test_lambda_parameters_shadow_workflow_variables():
    assert run("{% $map([{'a': 1}, {'a': 2}], function($v){ $v.a }) %}", variables={"v": {"a": 99}}) == [1, 2]
    assert run("{% ($v := {'a': 5}; $v.a) %}", variables={"v": {"a": 99}}) == 5


def test_replace_keeps_conversions_and_changes_what_was_asked():
    env = JsonataEnv(states_input={"a": 1}, variables={"v": [None]}, state_name="S", entered_event_id=2)
    compile_field("{% $v %}").evaluate(env)
    with_result = env.replace(result={"r": 2})
    assert with_result._converted is env._converted
    assert compile_field("{% $states.result.r + $states.input.a %}").evaluate(with_result) == 3
    other_vars = env.replace(variables={"v": 7})
    assert compile_field("{% $v %}").evaluate(other_vars) == 7
    with pytest.raises(TypeError):
        env.replace(nonsense=1)


def test_evaluations_on_many_threads_do_not_interfere():
    fields = [compile_field(f"{{% $map($states.input.items, function($x){{ $x * {k} }}) ~> $sum() %}}")
              for k in range(1, 9)]

    def job(k):
        env = JsonataEnv(states_input={"items": list(range(50))})
        return [fields[k - 1].evaluate(env) for _ in range(40)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(job, range(1, 9)))
    assert results == [[k * sum(range(50))] * 40 for k in range(1, 9)]


def test_aliasing_a_builtin_does_not_rename_it_for_later_evaluations():
    with pytest.raises(QueryEvaluationError):
        run("{% ($f := $uppercase; $f(1)) %}")
    with pytest.raises(QueryEvaluationError) as caught:
        run("{% $uppercase(1) %}")
    assert "uppercase does not match" in caught.value.cause


def test_other_users_of_the_library_are_left_alone():
    from jsonata import Jsonata

    theirs = Jsonata("$string(1e20) & $count([null])")
    before = getattr(Jsonata.CURRENT, "jsonata", None)
    run("{% $map([1, 2], function($v){ $v }) %}")
    assert getattr(Jsonata.CURRENT, "jsonata", None) is before
    assert theirs.evaluate(None) == "1e+201"     # the library's own notation and $count, untouched
