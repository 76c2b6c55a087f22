"""Random valid machines (asl.testing.strategies) run to an ASL outcome, and fail only where they mean to.

The strategy promises that every path and expression reads data the machine guarantees, so a
``States.Runtime`` or ``States.QueryEvaluationError`` here is an interpreter bug, not the machine's.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

strategies = pytest.importorskip("asl.testing.strategies")

from asl.parse import parse  # noqa: E402
from asl.runtime import Machine  # noqa: E402

INTERPRETER_BUGS = {"States.Runtime", "States.QueryEvaluationError"}


def _check(definition):
    model, problems = parse(definition)
    assert model is not None and not problems
    execution = Machine(model).execute({}, lambdas=strategies.echo_lambdas(definition))
    assert execution.exception is None, execution.cause
    assert execution.status in ("SUCCEEDED", "FAILED"), (execution.status, execution.error)
    if execution.status == "FAILED":
        assert execution.error not in INTERPRETER_BUGS, (execution.error, execution.cause)
    assert execution.history[-1]["type"] in ("ExecutionSucceeded", "ExecutionFailed")
    ids = [event["id"] for event in execution.history]
    assert ids == list(range(1, len(ids) + 1))
    assert all(event["previousEventId"] < event["id"] for event in execution.history)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(strategies.state_machines(max_states=5, query_language="JSONPath"))
def test_jsonpath_machines(definition):
    _check(definition)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(strategies.state_machines(max_states=5, query_language="JSONata"))
def test_jsonata_machines(definition):
    _check(definition)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(strategies.state_machines(max_states=5, query_language="mixed"))
def test_mixed_machines(definition):
    _check(definition)
