"""Helpers for the runtime tests: build a Machine straight from a dict (parse + compile, no linter),
so these tests exercise the interpreter alone."""
from __future__ import annotations

import pytest

from asl.parse import parse
from asl.runtime import Machine


def make_machine(definition: dict, **options) -> Machine:
    model, problems = parse(definition)
    assert model is not None and not problems, problems
    return Machine(model, **options)


def run(definition: dict, input=None, **execute_options):
    machine_options = {k: execute_options.pop(k) for k in ("workflow_type",) if k in execute_options}
    return make_machine(definition, **machine_options).execute(input, **execute_options)


@pytest.fixture
def machine():
    return make_machine
