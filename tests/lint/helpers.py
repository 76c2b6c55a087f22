"""Small builders for the lint tests (definitions written for these tests)."""
from __future__ import annotations

from asl.lint import lint_value

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:worker"


def machine(states: dict, start: str | None = None, **top) -> dict:
    return {"StartAt": start or next(iter(states)), "States": states, **top}


def pass_(**fields) -> dict:
    return {"Type": "Pass", **({"End": True} if "Next" not in fields else {}), **fields}


def task(**fields) -> dict:
    return {"Type": "Task", "Resource": LAMBDA, **({"End": True} if "Next" not in fields else {}), **fields}


def sub(states: dict, start: str | None = None) -> dict:
    return {"StartAt": start or next(iter(states)), "States": states}


def found(definition, **options) -> list[tuple[str, str]]:
    """(code, pointer) of every finding, in order."""
    return [(d.code, d.pointer) for d in lint_value(definition, **options)]


def codes(definition, **options) -> set[str]:
    return {d.code for d in lint_value(definition, **options)}


def messages(definition, code: str, **options) -> list[str]:
    return [d.message for d in lint_value(definition, **options) if d.code == code]
