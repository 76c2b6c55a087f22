"""Event patterns (EventBridge rules) and filter policies (SNS subscriptions): one matcher family.

A pattern is a JSON object. Keys are ANDed; a key's array of matchers is ORed; a nested object
descends into the event. A field missing from the event fails every matcher but ``{"exists": false}``
(``anything-but`` included). When the event's value is an array, any element may match. Matchers:
exact strings / numbers (compared numerically) / booleans / null, ``prefix``, ``suffix``,
``equals-ignore-case``, ``anything-but`` (value, list, or prefix/suffix/equals-ignore-case),
``numeric`` (``[">", 0, "<=", 5]``), ``exists``, ``cidr``, ``wildcard``; ``"$or": [pattern, ...]``.

:func:`validate` reports what AWS would refuse when the pattern is created.
"""
from __future__ import annotations

import ipaddress
import json
import re
from typing import Any, Mapping

_MISSING = object()
_NUMERIC_OPS = {"=", "<", "<=", ">", ">="}


class PatternError(ValueError):
    """A pattern AWS would reject (message close to AWS's wording)."""


def matches(pattern: Mapping[str, Any], event: Any) -> bool:
    """True when ``event`` (a decoded JSON value) matches ``pattern``."""
    if not isinstance(pattern, Mapping):
        return False
    for key, rule in pattern.items():
        if key == "$or":
            if not any(matches(p, event) for p in rule):
                return False
            continue
        value = event.get(key, _MISSING) if isinstance(event, Mapping) else _MISSING
        if isinstance(rule, Mapping):
            if value is _MISSING:
                return False
            if isinstance(value, list):
                if not any(matches(rule, item) for item in value):
                    return False
            elif not matches(rule, value):
                return False
        elif isinstance(rule, list):
            if not _field_matches(rule, value):
                return False
        else:
            return False
    return True


def _field_matches(rules: list, value: Any) -> bool:
    if value is not _MISSING and isinstance(value, list):
        return any(_field_matches(rules, item) for item in value)
    return any(_one(rule, value) for rule in rules)


def _one(rule: Any, value: Any) -> bool:
    if not isinstance(rule, Mapping):
        if value is _MISSING:
            return False
        return _equal(rule, value)
    (kind, arg), = rule.items() if len(rule) == 1 else ((None, None),)
    if kind == "exists":
        return (value is not _MISSING) == bool(arg)
    if value is _MISSING:
        return False
    if kind == "prefix":
        if isinstance(arg, Mapping):
            inner = arg.get("equals-ignore-case")
            return isinstance(value, str) and isinstance(inner, str) and value.lower().startswith(inner.lower())
        return isinstance(value, str) and value.startswith(arg)
    if kind == "suffix":
        if isinstance(arg, Mapping):
            inner = arg.get("equals-ignore-case")
            return isinstance(value, str) and isinstance(inner, str) and value.lower().endswith(inner.lower())
        return isinstance(value, str) and value.endswith(arg)
    if kind == "equals-ignore-case":
        return isinstance(value, str) and value.lower() == str(arg).lower()
    if kind == "anything-but":
        if isinstance(arg, Mapping):
            return not _one(arg, value)
        values = arg if isinstance(arg, list) else [arg]
        return not any(_equal(v, value) for v in values)
    if kind == "numeric":
        number = _number(value)
        if number is None:
            return False
        ops = list(arg)
        for i in range(0, len(ops) - 1, 2):
            op, bound = ops[i], float(ops[i + 1])
            if not {"=": number == bound, "<": number < bound, "<=": number <= bound,
                    ">": number > bound, ">=": number >= bound}[op]:
                return False
        return True
    if kind == "cidr":
        try:
            return ipaddress.ip_address(str(value)) in ipaddress.ip_network(str(arg), strict=False)
        except ValueError:
            return False
    if kind == "wildcard":
        if not isinstance(value, str):
            return False
        regex = "".join(".*" if part == "*" else re.escape(part) for part in re.split(r"(\*)", str(arg)))
        return re.fullmatch(regex, value, re.S) is not None
    return False


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _equal(expected: Any, value: Any) -> bool:
    if expected is None or value is None:
        return expected is None and value is None
    if isinstance(expected, bool) or isinstance(value, bool):
        return expected is value
    if isinstance(expected, (int, float)):
        number = _number(value) if isinstance(value, (int, float)) else None
        return number is not None and float(expected) == number
    return expected == value


def validate(pattern: Any, *, max_keys: int | None = None, max_combinations: int | None = None) -> None:
    """Raise :class:`PatternError` for a malformed pattern (unknown operator, wrong operand type...)."""
    if isinstance(pattern, str):
        try:
            pattern = json.loads(pattern)
        except ValueError:
            raise PatternError("Event pattern is not valid JSON") from None
    if not isinstance(pattern, Mapping):
        raise PatternError("Filter policy must be a JSON object")
    keys = [0]
    combos = _walk(pattern, keys)
    if max_keys is not None and keys[0] > max_keys:
        raise PatternError(f"Filter policy can not have more than {max_keys} keys")
    if max_combinations is not None and combos > max_combinations:
        raise PatternError("Filter policy is too complex")


def _walk(pattern: Mapping[str, Any], keys: list[int]) -> int:
    combos = 1
    for key, rule in pattern.items():
        if key == "$or":
            if not isinstance(rule, list) or len(rule) < 2:
                raise PatternError('"$or" must be an array of at least two patterns')
            combos *= sum(_walk(p, keys) for p in rule if isinstance(p, Mapping))
            continue
        if isinstance(rule, Mapping):
            combos *= _walk(rule, keys)
        elif isinstance(rule, list):
            if not rule:
                raise PatternError(f'Empty arrays are not allowed for "{key}"')
            keys[0] += 1
            for matcher in rule:
                _check_matcher(key, matcher)
            combos *= len(rule)
        else:
            raise PatternError(f'"{key}" must be an object or an array')
    return combos


def _check_matcher(key: str, matcher: Any) -> None:
    if not isinstance(matcher, Mapping):
        if isinstance(matcher, list):
            raise PatternError(f'Match value for "{key}" must be a string, number, boolean, null or object')
        return
    if len(matcher) != 1:
        raise PatternError(f'Only one key allowed in match expression for "{key}"')
    (kind, arg), = matcher.items()
    if kind in ("prefix", "suffix"):
        if not (isinstance(arg, str) or (isinstance(arg, Mapping) and isinstance(arg.get("equals-ignore-case"), str))):
            raise PatternError(f'{kind} match pattern must be a string')
    elif kind in ("equals-ignore-case", "wildcard", "cidr"):
        if not isinstance(arg, str):
            raise PatternError(f"{kind} match pattern must be a string")
        if kind == "cidr":
            try:
                ipaddress.ip_network(arg, strict=False)
            except ValueError:
                raise PatternError(f"Malformed CIDR, one '/' required: {arg}") from None
    elif kind == "exists":
        if not isinstance(arg, bool):
            raise PatternError("exists match pattern must be either true or false.")
    elif kind == "numeric":
        if not isinstance(arg, list) or len(arg) not in (2, 4):
            raise PatternError("Value of numeric must be an array.")
        for i in range(0, len(arg), 2):
            if arg[i] not in _NUMERIC_OPS or isinstance(arg[i + 1], bool) or not isinstance(arg[i + 1], (int, float)):
                raise PatternError(f"Unrecognized numeric range operator: {arg[i]}")
    elif kind == "anything-but":
        if isinstance(arg, Mapping):
            if len(arg) != 1 or next(iter(arg)) not in ("prefix", "suffix", "equals-ignore-case", "wildcard"):
                raise PatternError("Unsupported anything-but pattern")
    else:
        raise PatternError(f"Unrecognized match type {kind}")


# -- SNS message attributes as a filterable document ----------------------------------------------
def attributes_document(attributes: Mapping[str, Any] | None) -> dict:
    """SNS message attributes (``{name: {DataType, StringValue}}``) as the values a policy sees:
    ``Number`` as numbers, ``String.Array`` as its decoded array, binary attributes left out."""
    document: dict[str, Any] = {}
    for name, attr in (attributes or {}).items():
        if not isinstance(attr, Mapping):
            continue
        kind = str(attr.get("DataType") or attr.get("Type") or "String")
        value = attr.get("StringValue", attr.get("Value"))
        if kind.startswith("Binary") or value is None:
            continue
        if kind.startswith("Number"):
            number = _number(value)
            document[name] = number if number is not None else value
        elif kind == "String.Array":
            try:
                decoded = json.loads(value)
            except ValueError:
                decoded = value
            document[name] = decoded
        else:
            document[name] = value
    return document
