"""Values of a JSON Schema, for :func:`asl.testing.strategies.inputs`.

hypothesis-jsonschema does the hard part — strings with patterns and formats, numeric bounds and
``multipleOf``, ``enum``/``const``, ``$ref`` resolution, ``allOf`` merging — but its object strategy
relies on a Hypothesis internal that newer Hypothesis releases replaced (``cu.many(...).more()``), so
any schema with an object in it fails on a current Hypothesis. Objects and arrays (the containers an
execution input is made of) are therefore built here, and everything else is still drawn by
hypothesis-jsonschema. A final filter keeps only values the schema accepts, which covers the
keywords the builders below only approximate (``minProperties``, ``contains``, ``dependencies``...).
"""
from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

_CONTAINER_KEYS = {"properties", "required", "additionalProperties", "patternProperties", "minProperties",
                   "maxProperties", "propertyNames", "dependencies", "dependentRequired", "dependentSchemas",
                   "items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains",
                   "minContains", "maxContains", "unevaluatedProperties", "unevaluatedItems"}
_SCALARS = ("null", "boolean", "integer", "number", "string")
MAX_EXTRA_KEYS = 3
MAX_ITEMS = 6


def from_schema(schema: Any) -> st.SearchStrategy[Any]:
    from hypothesis_jsonschema._canonicalise import make_validator
    from hypothesis_jsonschema._resolve import resolve_all_refs

    resolved = resolve_all_refs(copy.deepcopy(schema)) if isinstance(schema, dict) else schema
    validator = make_validator(resolved if isinstance(resolved, dict) else {"not": {}} if resolved is False else {})
    return _build(resolved).filter(validator.is_valid)


def _build(schema: Any) -> st.SearchStrategy[Any]:
    from hypothesis_jsonschema import from_schema as scalar_values
    from hypothesis_jsonschema._canonicalise import canonicalish, merged

    if schema is True or schema == {}:
        return _any_json()
    if schema is False:
        return st.nothing()
    schema = dict(schema)
    if "allOf" in schema:
        parts = schema.pop("allOf")
        combined = merged([schema, *parts])
        return st.nothing() if combined is None else _build(combined)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            branches = schema.pop(key)
            return st.one_of([_build(_merge(schema, branch)) for branch in branches])
    if "enum" in schema or "const" in schema:
        return scalar_values(schema, allow_x00=False)
    types = _types(canonicalish(schema), schema)
    options = []
    for kind in types:
        if kind == "object":
            options.append(_object(schema))
        elif kind == "array":
            options.append(_array(schema))
        else:
            scalar = {k: v for k, v in schema.items() if k not in _CONTAINER_KEYS}
            scalar["type"] = kind
            options.append(scalar_values(scalar, allow_x00=False))
    return st.one_of(options) if options else st.nothing()


def _types(canonical: dict, schema: dict) -> list[str]:
    declared = canonical.get("type", schema.get("type"))
    if isinstance(declared, str):
        declared = [declared]
    if declared:
        # canonicalish turns "number" into ["integer", "number"]; one of them is enough
        return [t for t in declared if not (t == "integer" and "number" in declared)]
    if any(k in schema for k in ("properties", "required", "additionalProperties", "minProperties")):
        return ["object"]
    if any(k in schema for k in ("items", "prefixItems", "minItems", "maxItems")):
        return ["array"]
    return list(_SCALARS) + ["array", "object"]


def _merge(parent: dict, branch: Any) -> Any:
    if not isinstance(branch, dict):
        return branch
    out = dict(parent)
    out.update(branch)
    return out


def _object(schema: dict) -> st.SearchStrategy[dict]:
    properties = schema.get("properties", {}) or {}
    required = [k for k in schema.get("required", []) if isinstance(k, str)]
    additional = schema.get("additionalProperties", {})
    fallback = additional if isinstance(additional, dict) else {}
    fixed = st.fixed_dictionaries(
        {k: _build(properties.get(k, fallback)) for k in required},
        optional={k: _build(v) for k, v in properties.items() if k not in required},
    )
    if additional is False or schema.get("patternProperties"):
        return fixed
    names = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=8).filter(
        lambda name: name not in properties)
    extras = st.dictionaries(names, _build(fallback), max_size=MAX_EXTRA_KEYS)
    return st.tuples(extras, fixed).map(lambda pair: {**pair[0], **pair[1]})


def _array(schema: dict) -> st.SearchStrategy[list]:
    minimum = schema.get("minItems", 0)
    maximum = schema.get("maxItems", minimum + MAX_ITEMS)
    prefix = schema.get("prefixItems") or (schema.get("items") if isinstance(schema.get("items"), list) else None)
    if prefix is not None:
        return st.tuples(*[_build(s) for s in prefix]).map(list)
    items = schema.get("items", {})
    unique = bool(schema.get("uniqueItems"))
    return st.lists(_build(items), min_size=minimum, max_size=max(minimum, maximum),
                    unique_by=(lambda v: json.dumps(v, sort_keys=True)) if unique else None)


def _any_json() -> st.SearchStrategy[Any]:
    scalars = (st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1)
               | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=10))
    return st.recursive(scalars, lambda children: st.lists(children, max_size=3)
                        | st.dictionaries(st.text(max_size=6), children, max_size=3), max_leaves=8)
