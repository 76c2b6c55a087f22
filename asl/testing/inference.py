"""A best-effort JSON Schema for a definition's input, read off the paths its first state uses.

Property tests want inputs "shaped like what the machine expects" without the user writing a schema.
The machine's input only reaches its ``StartAt`` state unchanged (every later state sees transformed
data), so the schema requires what that state reads — the paths whose absence AWS answers with
``States.Runtime`` — and types them from how they are used (``ItemsPath`` wants an array, a
``NumericEquals`` a number, ``SecondsPath`` a small non-negative integer). Paths later states read
become optional properties. Pass an explicit schema to :func:`asl.testing.strategies.inputs` when
this is not enough.
"""
from __future__ import annotations

import re
from typing import Any

_PATH = re.compile(r"(?<![$\w])\$((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
_JSONATA_INPUT = re.compile(r"\$states\.input((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
_TIMESTAMP_PATTERN = r"^20[0-2][0-9]-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$"

_OPERATOR_TYPES = {"String": {"type": "string"}, "Numeric": {"type": "number"},
                   "Boolean": {"type": "boolean"}, "Timestamp": {"type": "string", "pattern": _TIMESTAMP_PATTERN}}


def input_schema(definition: Any) -> dict:
    """A JSON Schema (draft 2020-12 subset) for inputs of ``definition`` (a dict)."""
    root: dict = {"type": "object", "properties": {}, "required": []}
    if not isinstance(definition, dict) or not isinstance(definition.get("States"), dict):
        return root
    states = definition["States"]
    start = states.get(definition.get("StartAt"))
    for name, state in states.items():
        if not isinstance(state, dict):
            continue
        required = state is start
        for path, schema in _reads(state):
            _add(root, path, schema, required and schema is not None)
    return root


def _reads(state: dict) -> list[tuple[list[str], dict | None]]:
    """(path segments, schema or None) for every plain ``$.a.b`` the state reads from its input."""
    out: list[tuple[list[str], dict | None]] = []
    for field in ("ItemsPath", "SecondsPath", "TimestampPath", "InputPath", "TimeoutSecondsPath",
                  "HeartbeatSecondsPath"):
        value = state.get(field)
        if isinstance(value, str):
            segments = _segments(value)
            if segments is not None:
                out.append((segments, _FIELD_TYPES.get(field, {})))
    for rule in _rules(state.get("Choices")):
        segments = _segments(rule.get("Variable")) if isinstance(rule.get("Variable"), str) else None
        if segments is None:
            continue
        operator = next((k for k in rule if k not in ("Variable", "Next", "Comment", "Assign", "Output")), "")
        if operator == "IsPresent":
            out.append((segments, None))            # may be absent: optional, untyped
        elif operator.startswith("Is"):
            out.append((segments, {}))
        else:
            family = next((f for f in _OPERATOR_TYPES if operator.startswith(f)), None)
            out.append((segments, dict(_OPERATOR_TYPES[family]) if family else {}))
    for text in _dollar_values(state):
        for match in _PATH.finditer(text):
            out.append((match.group(1)[1:].split("."), {}))
    for text in _strings(state):
        for match in _JSONATA_INPUT.finditer(text):
            out.append((match.group(1)[1:].split("."), {}))
    return out


_FIELD_TYPES = {
    "ItemsPath": {"type": "array", "maxItems": 5},
    "SecondsPath": {"type": "integer", "minimum": 0, "maximum": 3600},
    "TimeoutSecondsPath": {"type": "integer", "minimum": 1, "maximum": 3600},
    "HeartbeatSecondsPath": {"type": "integer", "minimum": 1, "maximum": 3600},
    "TimestampPath": {"type": "string", "pattern": _TIMESTAMP_PATTERN},
    "InputPath": {},
}


def _segments(path: str) -> list[str] | None:
    match = re.fullmatch(r"\$((?:\.[A-Za-z_][A-Za-z0-9_]*)+)", path)
    return match.group(1)[1:].split(".") if match else None


def _rules(choices: Any):
    if not isinstance(choices, list):
        return
    for rule in choices:
        if not isinstance(rule, dict):
            continue
        yield rule
        for key in ("And", "Or"):
            yield from _rules(rule.get(key))
        if isinstance(rule.get("Not"), dict):
            yield from _rules([rule["Not"]])


def _dollar_values(state: dict):
    """The values of ``.$`` keys in the state's payload templates (not in nested workflows)."""
    for field in ("Parameters", "ItemSelector"):
        yield from _template_values(state.get(field))


def _template_values(value: Any):
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.endswith(".$") and isinstance(item, str) and not item.startswith("$$"):
                yield item
            else:
                yield from _template_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _template_values(item)


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("Branches", "ItemProcessor", "Iterator"):
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _add(root: dict, segments: list[str], schema: dict | None, required: bool) -> None:
    node = root
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        node.setdefault("type", "object")
        if node.get("type") != "object":
            return                                  # already typed as something else: keep the first guess
        properties = node.setdefault("properties", {})
        child = properties.setdefault(segment, {} if last else {"type": "object"})
        if required and segment not in node.setdefault("required", []):
            node["required"].append(segment)
        if last and schema and not child:
            child.update(schema)
        node = child
