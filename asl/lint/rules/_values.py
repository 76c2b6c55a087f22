"""Small helpers shared by the parts of the schema walk: JSON types, JSONata strings, state facts."""
from __future__ import annotations

import re
from typing import Any

from ...json_types import json_type_with_article


def pointer_join(pointer: str, token: object, *more: object) -> str:
    """RFC 6901 join, as :func:`asl.diagnostics.pointer_join` but faster on the walk's hot path (one
    call per field visited): keys needing no escape — nearly all — are joined without ``replace``."""
    if type(token) is not str:
        token = str(token)
    elif "~" in token or "/" in token:
        token = token.replace("~", "~0").replace("/", "~1")
    pointer = f"{pointer}/{token}"
    for token in more:
        token = token if type(token) is str else str(token)
        if "~" in token or "/" in token:
            token = token.replace("~", "~0").replace("/", "~1")
        pointer = f"{pointer}/{token}"
    return pointer


INTRINSIC_START = re.compile(r"\s*[A-Za-z_][A-Za-z0-9_.]*\s*\(")
LOOKS_LIKE_PATH = re.compile(r"\$\$?[.\[]|States\.[A-Za-z0-9]+\(")


type_name = json_type_with_article


def is_int(value: Any) -> bool:
    """A JSON integer: ``3`` or ``3.0`` (as JSON Schema counts it), never a boolean."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_jsonata(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("{%") and value.endswith("%}") and len(value) >= 4


class StateInfo:
    """What the walk knows about the state it is in."""

    __slots__ = ("name", "type", "lang", "pointer", "scope", "body", "distributed")

    def __init__(self, name, type_, lang, pointer, scope, body):
        self.name, self.type, self.lang, self.pointer, self.scope, self.body = name, type_, lang, pointer, scope, body
        self.distributed = False


def has_dynamic_look(value: Any, depth: int) -> bool:
    if depth > 50:
        return False
    if isinstance(value, dict):
        return any(k.endswith(".$") or has_dynamic_look(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(has_dynamic_look(v, depth + 1) for v in value)
    return isinstance(value, str) and bool(LOOKS_LIKE_PATH.match(value))
