"""Assertions for the properties people state about workflows, for any execution.

Each takes a :class:`~asl.testing.result.RunResult` or a runtime ``Execution`` and raises
:class:`~asl.testing.result.ExecutionAssertionError` with the run's story when the property fails::

    @given(fault_schedules(states=["Charge"], kinds=["throttle"], max_faults=2))
    def test_two_throttles_never_lose_an_order(schedule):
        result = run(machine, order, lambdas=handlers, faults=schedule)
        assert_no_uncaught_error(result)
        assert_never_fails_with(result, "States.Runtime")
"""
from __future__ import annotations

import json
from typing import Any

from .result import TERMINAL_STATUSES, ExecutionAssertionError, RunResult, json_diff

__all__ = [
    "assert_terminates", "assert_no_uncaught_error", "assert_never_fails_with", "assert_output_matches",
    "assert_reproducible",
]


def _result(run: Any) -> RunResult:
    return run if isinstance(run, RunResult) else RunResult(run)


def assert_terminates(run: Any) -> RunResult:
    """The execution reached a terminal status (SUCCEEDED, FAILED, TIMED_OUT or ABORTED)."""
    result = _result(run)
    if result.status not in TERMINAL_STATUSES:
        raise ExecutionAssertionError(f"expected a terminal status, got {result.status}\n{result.explain()}")
    return result


def assert_no_uncaught_error(run: Any, *, allowed: tuple[str, ...] = ()) -> RunResult:
    """The execution did not fail, or failed only with one of the ``allowed`` error names (e.g. the
    errors its own Fail states raise on purpose)."""
    result = assert_terminates(run)
    if result.status in ("FAILED", "TIMED_OUT") and result.error not in allowed:
        extra = f" (allowed: {', '.join(allowed)})" if allowed else ""
        raise ExecutionAssertionError(f"expected no uncaught error{extra}, got {result.error!r}\n{result.explain()}")
    return result


def assert_never_fails_with(run: Any, *errors: str) -> RunResult:
    """The execution did not end with any of ``errors`` (e.g. ``"States.Runtime"``)."""
    result = assert_terminates(run)
    if result.status != "SUCCEEDED" and result.error in errors:
        raise ExecutionAssertionError(f"the execution failed with {result.error!r}\n{result.explain()}")
    return result


def assert_output_matches(run: Any, schema: Any) -> RunResult:
    """The execution succeeded and its output is valid against the JSON Schema ``schema``."""
    import jsonschema

    result = _result(run)
    if result.status != "SUCCEEDED":
        raise ExecutionAssertionError(f"expected an output matching the schema, but the execution "
                                      f"{result.status}\n{result.explain()}")
    validator_class = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_class(schema).iter_errors(result.output), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"    {e.json_path}: {e.message}" for e in errors[:10]]
        raise ExecutionAssertionError("the output does not match the schema:\n" + "\n".join(lines)
                                      + "\n" + result.explain())
    return result


def assert_reproducible(machine: Any, input: Any = None, *, seed: int = 0, **run_options: Any) -> RunResult:
    """Two runs with the same seed give the same status, output, error and history, event for event."""
    from .harness import run

    first = run(machine, input, seed=seed, **run_options)
    second = run(machine, input, seed=seed, **run_options)
    for attribute in ("status", "error", "cause"):
        if getattr(first, attribute) != getattr(second, attribute):
            raise ExecutionAssertionError(f"two runs with seed {seed} differ in {attribute}: "
                                          f"{getattr(first, attribute)!r} != {getattr(second, attribute)!r}")
    differences = json_diff(first.output, second.output)
    if differences:
        raise ExecutionAssertionError(f"two runs with seed {seed} differ in output:\n" + "\n".join(differences))
    a, b = first.history, second.history
    for x, y in zip(a, b):
        if _canonical(x) != _canonical(y):
            raise ExecutionAssertionError(f"two runs with seed {seed} differ at history event {x.get('id')}:\n"
                                          f"    {_canonical(x)}\n    {_canonical(y)}")
    if len(a) != len(b):
        raise ExecutionAssertionError(f"two runs with seed {seed} have {len(a)} and {len(b)} history events")
    return first


def _canonical(event: dict) -> str:
    return json.dumps(event, sort_keys=True, default=str, ensure_ascii=False)
