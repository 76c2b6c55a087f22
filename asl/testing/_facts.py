"""What the machine generator knows about the data at a point of a workflow.

A generated machine must never fail because it reads something that is not there (AWS answers that
with the uncatchable ``States.Runtime``), so the generator tracks, for every state it writes, the keys
the state's input object is *guaranteed* to hold and the workflow variables guaranteed to be assigned,
each with its value when that is known (a constant written by an earlier state) or :data:`UNKNOWN`.

Where several transitions lead to one state the facts are joined: only keys and variables present on
every incoming edge survive, and a value stays known only when all edges agree on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..json_types import json_type


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


@dataclass(frozen=True)
class Facts:
    """Guaranteed keys of the data object and guaranteed variables, each mapped to a known value or
    :data:`UNKNOWN`."""

    keys: Mapping[str, Any] = field(default_factory=dict)
    vars: Mapping[str, Any] = field(default_factory=dict)


def join(facts: Iterable[Facts]) -> Facts:
    """What holds on every one of several incoming edges."""
    facts = list(facts)
    if not facts:
        return Facts()
    return Facts(_join_maps([f.keys for f in facts]), _join_maps([f.vars for f in facts]))


def _join_maps(maps: list[Mapping[str, Any]]) -> dict[str, Any]:
    first, rest = maps[0], maps[1:]
    out = {}
    for key, value in first.items():
        if all(key in m for m in rest):
            same = all(m[key] is not UNKNOWN and value is not UNKNOWN and _same(m[key], value) for m in rest)
            out[key] = value if same else UNKNOWN
    return out


def _same(a: Any, b: Any) -> bool:
    # JSON equality, but True != 1 (Python would say they are equal)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def kind(value: Any) -> str | None:
    """The JSON type of a known value: object, array, string, number, boolean, null (None if unknown)."""
    if value is UNKNOWN:
        return None
    if value is not None and not isinstance(value, (bool, int, float, str, list, dict)):
        return None
    return json_type(value)
