"""ASL1xx: transitions, reachability by graph search, terminal states, names, loops."""
from __future__ import annotations

import time

from asl.lint import lint_value

from .helpers import codes, found, machine, messages, pass_, sub, task


def choice(rules, default="Done"):
    return {"Type": "Choice", "Choices": rules, **({"Default": default} if default else {})}


def test_reachability_is_a_graph_search_not_a_reference_check():
    # C and D reference each other, so a "referenced somewhere" check misses them
    definition = machine({"A": pass_(), "C": pass_(Next="D"), "D": pass_(Next="C")})
    assert sorted(found(definition)) == [("ASL101", "/States/C"), ("ASL101", "/States/D")]


def test_catchers_and_defaults_make_states_reachable():
    definition = machine({"A": task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Fallback"}], Next="Pick"),
                          "Pick": choice([{"Variable": "$.x", "IsNull": True, "Next": "Done"}], default="Other"),
                          "Other": pass_(), "Fallback": pass_(), "Done": {"Type": "Succeed"}})
    assert found(definition) == []


def test_no_terminal_state_suppresses_the_unreachable_noise():
    definition = machine({"A": pass_(Next="B"), "B": pass_(Next="A"), "C": pass_(Next="A")})
    assert found(definition) == [("ASL103", "/States")]


def test_transitions_out_of_a_branch_are_missing_targets_with_a_hint():
    definition = machine({"P": {"Type": "Parallel", "Next": "After",
                                "Branches": [sub({"B": pass_(Next="After")})]}, "After": pass_()})
    assert messages(definition, "ASL102") == [
        "Missing 'Next' target: After (a state cannot transition out of its Parallel branch or Map)"]


def test_unknown_start_at():
    assert messages(machine({"A": pass_()}, start="Begin"), "ASL102") == ["Missing 'StartAt' target: Begin"]


def test_duplicate_names_are_reported_at_the_later_definition():
    definition = machine({"P": {"Type": "Parallel", "End": True, "Branches": [sub({"P": pass_()})]}})
    assert found(definition) == [("ASL104", "/States/P/Branches/0/States/P")]
    assert messages(definition, "ASL104") == ["Duplicate State name: P (also defined at /States/P)"]


def test_each_branch_and_processor_is_its_own_scope():
    definition = machine({"M": {"Type": "Map", "End": True,
                                "ItemProcessor": sub({"I": pass_(Next="J"), "J": pass_(), "K": pass_()})}})
    assert found(definition) == [("ASL101", "/States/M/ItemProcessor/States/K")]


def test_inescapable_loop_is_a_warning_and_only_for_trapped_states():
    definition = machine({"A": choice([{"Variable": "$.go", "BooleanEquals": True, "Next": "B"}]),
                          "B": pass_(Next="C"), "C": pass_(Next="B"), "Done": {"Type": "Succeed"}})
    [d] = lint_value(definition)
    assert (d.code, d.severity, d.pointer) == ("ASL105", "warning", "/States/B")
    assert d.message == "No terminal state can be reached from: B, C"


def test_choice_without_default_warns():
    definition = machine({"A": choice([{"Variable": "$.x", "IsNull": True, "Next": "Done"}], default=None),
                          "Done": {"Type": "Succeed"}})
    assert found(definition) == [("ASL106", "/States/A")]


def test_polling_loop_without_wait_warns_and_a_wait_silences_it():
    loop = {"Poll": task(Next="Check"),
            "Check": choice([{"Variable": "$.ready", "BooleanEquals": False, "Next": "Poll"}]),
            "Done": {"Type": "Succeed"}}
    assert found(machine(loop)) == [("ASL107", "/States/Poll")]
    loop["Check"]["Choices"][0]["Next"] = "Pause"
    loop["Pause"] = {"Type": "Wait", "Seconds": 5, "Next": "Poll"}
    assert found(machine(loop)) == []
    counting = {"Count": pass_(Next="More?"),                 # a loop without a Task is not a polling loop
                "More?": choice([{"Variable": "$.n", "NumericLessThan": 3, "Next": "Count"}]),
                "Done": {"Type": "Succeed"}}
    assert found(machine(counting)) == []


def test_deep_nesting_warns_once():
    inner = sub({"Leaf": pass_()})
    for level in range(12):
        inner = sub({f"L{level}": {"Type": "Parallel", "Branches": [inner], "End": True}})
    assert [c for c, _ in found(inner)] == ["ASL026"]


def test_long_chains_and_big_cycles_need_no_recursion():
    n = 5000
    states = {f"S{i}": pass_(Next=f"S{i + 1}") for i in range(n)}
    states[f"S{n}"] = task(Next="S0")                          # one big cycle through a Task
    states["S0"] = choice([{"Variable": "$.stop", "BooleanEquals": True, "Next": "Done"}], default="S1")
    states["Done"] = {"Type": "Succeed"}
    start = time.perf_counter()
    assert codes(machine(states, start="S0")) == {"ASL107"}
    assert time.perf_counter() - start < 2.0
