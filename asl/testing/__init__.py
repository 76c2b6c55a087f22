"""Testing state machines: run them with mocks and faults, assert on what happened, property-test them.

- :func:`run` — one execution with local handlers, mocks (:class:`Mocks`), injected faults
  (:class:`FaultSchedule`) and a record of every task attempt; returns a :class:`RunResult` with
  assertion methods whose failures show the execution's path.
- :mod:`asl.testing.properties` — ``assert_terminates``, ``assert_no_uncaught_error``,
  ``assert_never_fails_with``, ``assert_output_matches``, ``assert_reproducible``.
- :mod:`asl.testing.strategies` — Hypothesis strategies: machines, inputs, faults (imports Hypothesis).
- :mod:`asl.testing.pytest_plugin` — the pytest fixtures (``asl_run``, ``asl_lambdas``, ...), registered
  automatically through the ``pytest11`` entry point.
- :mod:`asl.testing.suite` — the suite files ``asl test`` runs.

Names are imported on first use, so ``import asl.testing`` (which pytest does for the plugin) stays
cheap and pulls in neither Hypothesis nor the runtime.
"""
from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "run": "harness", "Invocation": "harness", "HarnessResolver": "harness",
    "RunResult": "result", "ExecutionAssertionError": "result", "json_diff": "result",
    "Fault": "faults", "FaultSchedule": "faults", "FaultInjector": "faults",
    "Mocks": "mocks", "MockConfigError": "mocks",
    "assert_terminates": "properties", "assert_no_uncaught_error": "properties",
    "assert_never_fails_with": "properties", "assert_output_matches": "properties",
    "assert_reproducible": "properties",
    "input_schema": "inference",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'asl.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_EXPORTS))
