"""ASL5xx: JSONata expressions (through the JSONata layer's analysis) and workflow variables."""
from __future__ import annotations

from asl.lint import lint_value

from .helpers import codes, found, machine, messages, pass_, sub

INVOKE = "arn:aws:states:::lambda:invoke"


def ja(states, **top):
    return machine(states, QueryLanguage="JSONata", **top)


def call(**fields):
    return {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "f"},
            **({"End": True} if "Next" not in fields else {}), **fields}


def test_syntax_errors_are_located_inside_the_field():
    definition = ja({"A": pass_(Output={"deep": ["{% 1 + %}"]})})
    assert found(definition) == [("ASL501", "/States/A/Output/deep/0")]


def test_top_level_input_references_are_refused():
    for expression in ("{% $ %}", "{% total %}", "{% $$.x %}"):
        assert codes(ja({"A": pass_(Output=expression)})) == {"ASL506"}, expression
    # nested references inside a predicate are fine
    assert codes(ja({"A": pass_(Output="{% $states.input.items[price > 10] %}")})) == set()


def test_states_result_and_error_output_placement():
    ok = ja({"A": call(Output="{% $states.result.Payload %}", Assign={"r": "{% $states.result %}"},
                       Catch=[{"ErrorEquals": ["States.ALL"], "Next": "B", "Output": "{% $states.errorOutput %}",
                               "Assign": {"e": "{% $states.errorOutput.Error %}"}}]), "B": pass_()})
    assert found(ok) == []
    bad = ja({"A": call(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "B", "Output": "{% $states.result %}"}]),
              "B": pass_(Output="{% $states.errorOutput %}")})
    assert sorted(found(bad)) == [("ASL505", "/States/A/Catch/0/Output"), ("ASL505", "/States/B/Output")]


def test_malformed_delimiters_only_in_jsonata_states():
    assert codes(ja({"A": pass_(Output="{% 1")})) == {"ASL502"}
    assert codes(ja({"A": pass_(Output="1 %}")})) == {"ASL502"}
    assert codes(machine({"A": pass_(Result="{% 1")})) == set()               # a JSONPath literal


def test_unknown_functions_warn_and_local_functions_do_not():
    [d] = lint_value(ja({"A": pass_(Output="{% $frobnicate(1) %}")}))
    assert (d.code, d.severity) == ("ASL503", "warning")
    local = "{% ($double := function($x) { $x * 2 }; $double(21)) %}"
    assert codes(ja({"A": pass_(Output=local)})) == set()


def test_variables_assigned_earlier_or_in_enclosing_scopes_are_defined():
    definition = ja({
        "Init": pass_(Assign={"limit": 10}, Next="Each"),
        "Each": {"Type": "Map", "Items": "{% [1, 2] %}", "Next": "After",
                 "ItemProcessor": sub({"Item": pass_(Output="{% $limit %}", Assign={"inner": 1})})},
        "After": pass_(Output="{% $inner %}")})            # inner scopes do not leak out
    assert found(definition) == [("ASL504", "/States/After/Output")]


def test_jsonpath_variable_references_are_checked_too():
    definition = machine({"A": pass_(Parameters={"v.$": "$missing.x", "w.$": "States.Format('{}', $alsoMissing)"})})
    assert sorted(messages(definition, "ASL504")) == [
        "Variable $alsoMissing is never assigned (no Assign in this scope or an enclosing one sets it)",
        "Variable $missing is never assigned (no Assign in this scope or an enclosing one sets it)"]


def test_assign_block_reading_its_own_new_variable():
    assert codes(ja({"A": pass_(Assign={"a": 1, "b": "{% $a %}"})})) == {"ASL508"}
    # the documented swap: both exist from an earlier state
    swap = ja({"Init": pass_(Assign={"x": 1, "y": 2}, Next="Swap"),
               "Swap": pass_(Assign={"x": "{% $y %}", "y": "{% $x %}"})})
    assert codes(swap) == set()


def test_variable_names():
    assert codes(ja({"A": pass_(Assign={"ok_name": 1, "ünïcödé": 2})})) == set()
    for bad in ("my-var", "1st", "states", "x.y", "n" * 81):
        assert codes(ja({"A": pass_(Assign={bad: 1})})) == {"ASL507"}, bad


def test_jsonpath_assign_keys_drop_the_dollar_suffix():
    definition = machine({"A": pass_(Assign={"total.$": "$.total"}, Next="B"), "B": pass_(InputPath="$total")})
    assert codes(definition) == set()


def test_inner_scope_reassigning_an_outer_variable_warns():
    definition = machine({"Init": pass_(Assign={"count": 0}, Next="P"),
                          "P": {"Type": "Parallel", "End": True,
                                "Branches": [sub({"B": pass_(Assign={"count": 1})})]}})
    assert found(definition) == [("ASL509", "/States/P/Branches/0/States/B/Assign/count")]


def test_fast_path_analysis_agrees_with_the_jsonata_layer():
    from asl.jsonata_syntax import analyze
    from asl.lint import _expr

    for body in (" $states.input.a.b ", " $states.context.Execution.Id ", " $states.result ", " 42 ", " -1.5 ",
                 " 'text' ", ' "text" ', " true ", " null ", " $states.errorOutput.Cause "):
        fast = _expr.SimpleAnalysis(_expr._SIMPLE_JSONATA.match(body).group(1))
        real = analyze(body)
        assert real.syntax_error is None
        assert set(fast.uses_states_fields) == set(real.uses_states_fields), body
        assert set(fast.variables_read) == set(real.variables_read)
        assert not real.top_level_input_reference and not real.unknown_functions


def test_distributed_map_iterations_cannot_read_outer_variables():
    definition = machine({"Init": pass_(Assign={"limit": 3}, Next="Fan"),
                          "Fan": {"Type": "Map", "End": True, "ItemProcessor": {
                              "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                              **sub({"Item": pass_(Parameters={"l.$": "$limit"})})}}})
    assert messages(definition, "ASL504") == [
        "Variable $limit is assigned outside this Distributed Map; its iterations cannot read outer variables"]
    definition["States"]["Fan"]["ItemProcessor"]["ProcessorConfig"] = {"Mode": "INLINE"}
    assert messages(definition, "ASL504") == []
