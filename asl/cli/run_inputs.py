"""What ``asl run`` and ``asl test`` read from their command lines the same way: JSON given as text,
and ``--lambda NAME=module:function`` pairs. Problems are usage errors (exit 2), never tracebacks."""
from __future__ import annotations

import json
from typing import Any

import click


def json_value(text: str, what: str) -> Any:
    """``text`` parsed as JSON; ``what`` names it in the error (``--input is not JSON: ...``)."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise click.UsageError(f"{what} is not JSON: {exc}") from None


def lambda_targets(specs: tuple[str, ...]) -> dict[str, str]:
    """``{function name or ARN: handler spec}`` from ``--lambda NAME=module:function`` options."""
    targets: dict[str, str] = {}
    for spec in specs:
        name, sep, target = spec.partition("=")
        if not sep or not name.strip() or not target.strip():
            raise click.UsageError(f"--lambda expects NAME=module:function, got {spec!r}")
        targets[name.strip()] = target.strip()
    return targets
