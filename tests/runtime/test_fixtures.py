"""Runs every case in fixtures/runtime/*.json: {description, tests: [{definition, input|cases, expected}]}."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "runtime"


def _cases():
    for path in sorted(FIXTURES.glob("*.json")):
        suite = json.loads(path.read_text())
        for test in suite["tests"]:
            cases = test.get("cases") or [{"input": test.get("input"), "expected": test["expected"]}]
            for number, case in enumerate(cases):
                label = f"{path.stem}: {test['description']}" + (f" [{number}]" if len(cases) > 1 else "")
                yield pytest.param(test["definition"], case["input"], case["expected"], id=label)


@pytest.mark.parametrize("definition, value, expected", list(_cases()))
def test_fixture(definition, value, expected):
    execution = run(definition, value)
    assert execution.status == expected["status"], (execution.error, execution.cause)
    if expected["status"] == "SUCCEEDED":
        assert execution.output == expected["output"]
    else:
        assert execution.error == expected.get("error")
        if "cause" in expected:
            assert execution.cause == expected["cause"]
