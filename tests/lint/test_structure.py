"""ASL0xx: the schema walk's view of shapes, types, ranges and query languages."""
from __future__ import annotations

from .helpers import codes, found, machine, messages, pass_, sub, task

JSONATA = {"QueryLanguage": "JSONata"}


def test_nested_states_take_the_machine_language_not_their_parents():
    # a JSONata Map in a JSONPath machine: its item states are JSONPath again (AWS: no propagation)
    definition = machine({"M": {"Type": "Map", "QueryLanguage": "JSONata", "Items": [1, 2], "End": True,
                                "ItemProcessor": sub({"I": pass_(InputPath="$.x")})}})
    assert found(definition) == []
    definition["States"]["M"]["ItemProcessor"]["States"]["I"] = pass_(Output={"x": 1})
    assert found(definition) == [("ASL018", "/States/M/ItemProcessor/States/I/Output")]


def test_state_level_jsonata_in_a_jsonpath_machine_is_fine_but_not_the_reverse():
    assert found(machine({"A": pass_(QueryLanguage="JSONata", Output="{% $states.input %}")})) == []
    assert ("ASL019", "/States/A") in found(machine({"A": pass_(QueryLanguage="JSONPath")}, **JSONATA))


def test_item_processor_cannot_declare_a_query_language():
    definition = machine({"M": {"Type": "Map", "End": True,
                                "ItemProcessor": {**sub({"I": pass_()}), "QueryLanguage": "JSONPath"}}})
    assert found(definition) == [("ASL019", "/States/M/ItemProcessor/QueryLanguage")]


def test_integral_floats_are_integers_and_booleans_are_not():
    assert found(machine({"A": task(TimeoutSeconds=30.0)})) == []
    assert found(machine({"A": task(TimeoutSeconds=True)})) == [("ASL012", "/States/A/TimeoutSeconds")]
    assert found(machine({"A": task(TimeoutSeconds=30.5)})) == [("ASL014", "/States/A/TimeoutSeconds")]


def test_ranges_are_inclusive_at_aws_limits():
    assert found(machine({"A": task(TimeoutSeconds=99999999, Retry=[{"ErrorEquals": ["E"], "MaxAttempts": 99999999,
                                                                      "MaxDelaySeconds": 31622400}])})) == []
    assert codes(machine({"A": {"Type": "Wait", "Seconds": 99999999, "End": True}})) == set()
    assert codes(machine({"A": {"Type": "Wait", "Seconds": -1, "End": True}})) == {"ASL014"}


def test_end_must_be_a_boolean_and_then_next_or_end_is_not_repeated():
    assert sorted(found(machine({"A": {"Type": "Pass", "End": "yes"}}))) == [("ASL012", "/States/A/End"),
                                                                              ("ASL103", "/States")]


def test_unknown_type_hints_at_the_right_spelling():
    assert messages(machine({"A": {"Type": "PARALLEL"}}), "ASL013") == [
        "Type 'PARALLEL' is not a state type (did you mean 'Parallel'?)"]


def test_a_state_with_an_unknown_type_is_still_a_state_name():
    # no "missing target" for B: it exists, only its Type is wrong
    assert found(machine({"A": pass_(Next="B"), "B": {"Type": "Nope"}})) == [("ASL013", "/States/B/Type")]


def test_wait_needs_exactly_one_duration():
    assert found(machine({"W": {"Type": "Wait", "End": True}})) == [("ASL010", "/States/W")]
    both = machine({"W": {"Type": "Wait", "Seconds": 1, "TimestampPath": "$.t", "End": True}})
    assert messages(both, "ASL016") == ["There should only be one of the following fields: [Seconds, TimestampPath]"]


def test_jsonata_scalars_accept_expressions_and_reject_plain_strings():
    ok = machine({"W": {"Type": "Wait", "Seconds": "{% $states.input.delay %}", "End": True}}, **JSONATA)
    assert found(ok) == []
    bad = machine({"W": {"Type": "Wait", "Seconds": "10", "End": True}}, **JSONATA)
    assert found(bad) == [("ASL012", "/States/W/Seconds")]
    # in a JSONPath state the same string is simply the wrong type
    assert found(machine({"W": {"Type": "Wait", "Seconds": "10", "End": True}})) == [("ASL012", "/States/W/Seconds")]


def test_timestamps_are_checked_as_calendar_dates():
    def wait(ts):
        return machine({"W": {"Type": "Wait", "Timestamp": ts, "End": True}})
    assert codes(wait("2024-02-29T12:00:00.123+05:30")) == set()
    for bad in ("2023-02-29T12:00:00Z", "2024-01-01t00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:00",
                "2024-13-01T00:00:00Z", "2024-01-01T00:00Z"):
        assert codes(wait(bad)) == {"ASL020"}, bad


def test_distributed_map_requires_execution_type_and_reader_resource():
    definition = machine({"M": {"Type": "Map", "End": True, "ItemReader": {"ReaderConfig": {"InputType": "CSV"}},
                                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, **sub({"I": pass_()})}}})
    assert sorted(found(definition)) == [("ASL010", "/States/M/ItemProcessor/ProcessorConfig"),
                                         ("ASL010", "/States/M/ItemReader")]


def test_distributed_only_fields_on_an_inline_map_are_a_warning():
    definition = machine({"M": {"Type": "Map", "End": True, "Label": "x", "ItemProcessor": sub({"I": pass_()})}})
    [diagnostic] = [d for d in __import__("asl.lint", fromlist=["lint_value"]).lint_value(definition)]
    assert (diagnostic.code, diagnostic.severity) == ("ASL025", "warning")


def test_jsonata_credentials_need_role_arn_but_jsonpath_credentials_are_a_template():
    assert codes(machine({"A": task(Credentials={"RoleArn.$": "$.role"})})) == set()
    assert codes(machine({"A": task(Credentials={"Anything": 1})})) == set()
    assert found(machine({"A": task(Credentials={}, Arguments={})}, **JSONATA)) == [("ASL010", "/States/A/Credentials")]
    assert found(machine({"A": task(Credentials={"RoleArn": "{% $states.input.role %}"})}, **JSONATA)) == []


def test_state_names_are_limited_in_length_and_characters():
    assert codes(machine({"é" * 80: pass_()})) == set()
    assert codes(machine({"x" * 81: pass_()})) == {"ASL022"}
    assert codes(machine({"tab\there": pass_()})) == {"ASL022"}


def test_non_object_branches_and_rules_are_reported_not_crashed_on():
    definition = machine({"P": {"Type": "Parallel", "Branches": [None, sub({"B": pass_()})], "End": True},
                          "C": {"Type": "Choice", "Choices": ["x"], "Default": "P"}}, start="C")
    assert ("ASL012", "/States/P/Branches/0") in found(definition)
    assert ("ASL012", "/States/C/Choices/0") in found(definition)
