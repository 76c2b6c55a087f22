"""Shared helpers for the resolver tests: every test runs on a virtual clock, in milliseconds."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import asl
from asl.errors import TaskFailed
from asl.resolvers.base import TaskRequest, parse_resource
from asl.resolvers.environment import Environment
from asl.runtime.clock import VirtualClock

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "resolvers"
START = 1_700_000_000.0


@pytest.fixture
def env() -> Environment:
    return Environment(seed=7, clock=VirtualClock(START))


def task(resource: str, payload: Any = None, *, state: str = "Task", **kw: Any) -> TaskRequest:
    return TaskRequest(parse_resource(resource), payload, state, **kw)


def call(resolver: Any, resource: str, payload: Any = None, **kw: Any) -> Any:
    """A resolver's result, or ("FAILED", error, cause)."""
    try:
        return resolver.invoke(task(resource, payload, **kw))
    except TaskFailed as exc:
        return ("FAILED", exc.error, exc.cause)


def run(definition: dict, value: Any, env: Environment, **kw: Any) -> Any:
    machine = asl.load(definition)
    return machine.execute(value, resolvers=env.resolvers(), clock=env.clock, **kw)


def task_machine(resource: str, parameters: Any = None, **fields: Any) -> dict:
    state: dict[str, Any] = {"Type": "Task", "Resource": resource, "End": True}
    if parameters is not None:
        state["Parameters"] = parameters
    state.update(fields)
    return {"StartAt": "Task", "States": {"Task": state}}


def events_of(execution: Any) -> list[str]:
    return [e["type"] for e in execution.history]


def body(message: dict) -> Any:
    return json.loads(message["Body"])
