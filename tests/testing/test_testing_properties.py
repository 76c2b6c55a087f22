"""The project's own property tests, driven by its public strategies.

- every generated machine lints clean, loads, and runs to a terminal status without a Python exception,
  failing only where it means to (its Fail states);
- model -> JSON -> model round-trips;
- the linter and the interpreter agree: a mutated machine the linter accepts never crashes the
  interpreter, and one it refuses is refused by ``asl.load`` with a DefinitionError;
- seeded runs are reproducible, event for event.
"""
from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import asl
from asl.parse import parse
from asl.testing import strategies as asl_st
from asl.testing.dump import to_definition
from asl.testing import run
from asl.testing.properties import assert_reproducible

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


def _run(definition, input=None, seed=0):
    machine = asl.load(definition)
    return machine.execute({} if input is None else input, lambdas=asl_st.echo_lambdas(definition), seed=seed)


@FAST
@given(asl_st.state_machines())
def test_generated_machines_lint_clean_and_fail_only_on_purpose(definition):
    findings = [d for d in asl.lint(definition) if d.severity in ("error", "warning")]
    assert findings == [], [(d.code, d.pointer, d.message) for d in findings]
    execution = _run(definition)
    assert execution.exception is None, execution.cause
    assert execution.status in TERMINAL
    if execution.status != "SUCCEEDED":
        # the only failures a drawn machine has are its Fail states' own (never a States.* error)
        assert not (execution.error or "").startswith("States."), (execution.error, execution.cause)
        assert any(e["type"] == "FailStateEntered" for e in execution.history)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(asl_st.state_machines(query_language="JSONata", max_states=4))
def test_jsonata_machines_run(definition):
    assert _run(definition).exception is None


@FAST
@given(asl_st.state_machines())
def test_model_json_model_round_trip(definition):
    model, problems = parse(definition)
    assert problems == []
    rebuilt = to_definition(model, keep_unknown=False)
    assert rebuilt == definition
    assert parse(rebuilt)[0] == model


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(asl_st.state_machines(max_states=5, state_types=["Task", "Pass", "Choice", "Parallel", "Map", "Fail"]),
       asl_st.fault_schedules(states=["*"], max_faults=4))
def test_injected_faults_end_in_retries_catches_or_their_own_error(definition, schedule):
    """Under any fault schedule a machine still terminates without a Python exception, and a failed
    execution carries an injected error or a Fail state's own — never States.Runtime or a crash."""
    result = run(definition, {}, lambdas=asl_st.echo_lambdas(definition), faults=schedule)
    assert result.execution.exception is None, result.cause
    injected = {f.error for f in schedule.faults}
    if result.status != "SUCCEEDED":
        assert result.error in injected or not (result.error or "").startswith("States."), result.explain()
    # every attempt the schedule fails was made, in order, before any real call of that state
    for call in result.invocations:
        fault = schedule.fault_for(call.state, call.attempt)
        assert (call.source == "fault") == (fault is not None)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(asl_st.state_machines(max_states=4), st.integers(0, 2**31))
def test_seeded_runs_are_reproducible(definition, seed):
    assert_reproducible(definition, {}, seed=seed, lambdas=asl_st.echo_lambdas(definition))


# --- the linter and the interpreter agree ----------------------------------------------------------------

_JUNK = st.sampled_from([None, 0, -1, 1.5, "", "$", "$.", "$$", "nope", "{% %}", "{% $states.input. %}",
                         "States.Format(", [], {}, True, "$.missing", "$['a'", "arn:aws:lambda:x", "Next"])
_FIELDS = st.sampled_from(["Type", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters",
                           "Result", "Seconds", "SecondsPath", "Timestamp", "Choices", "Default", "Branches",
                           "ItemsPath", "Items", "ItemSelector", "ItemProcessor", "Retry", "Catch", "Resource",
                           "Error", "Cause", "Output", "Assign", "Arguments", "QueryLanguage", "TimeoutSeconds",
                           "HeartbeatSeconds", "MaxConcurrency", "Comment", "StartAt", "States"])


@st.composite
def mutated_machines(draw):
    """A valid machine with one to three fields replaced, deleted or added anywhere in it.

    Junk is copied: ``sampled_from`` hands out the same ``{}`` / ``[]`` every time, and a later mutation
    adding a key to that shared object could make the definition contain itself."""
    definition = copy.deepcopy(draw(asl_st.state_machines(max_states=4)))
    for _ in range(draw(st.integers(1, 3))):
        objects = list(_objects(definition))
        target = draw(st.sampled_from(objects))
        action = draw(st.sampled_from(["set", "delete", "add"]))
        keys = sorted(target)
        if action == "delete" and keys:
            del target[draw(st.sampled_from(keys))]
        elif action == "set" and keys:
            target[draw(st.sampled_from(keys))] = copy.deepcopy(draw(_JUNK))
        else:
            target[draw(_FIELDS)] = copy.deepcopy(draw(_JUNK))
    return definition


def _objects(value):
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(mutated_machines())
def test_what_the_linter_accepts_the_interpreter_runs(definition):
    errors = [d for d in asl.lint(definition) if d.severity == "error"]
    if errors:
        with pytest.raises(asl.DefinitionError):
            asl.load(definition)
        return
    execution = _run(definition)
    assert execution.exception is None, (json.dumps(definition), execution.cause)
    assert execution.status in TERMINAL


def test_mutations_reach_both_sides():
    """The differential test above is only meaningful if mutations are sometimes accepted and
    sometimes refused; check both happen on a fixed sample."""
    accepted = refused = 0

    @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(mutated_machines())
    def sample(definition):
        nonlocal accepted, refused
        if any(d.severity == "error" for d in asl.lint(definition)):
            refused += 1
        else:
            accepted += 1

    sample()
    assert accepted > 0 and refused > 0, (accepted, refused)
