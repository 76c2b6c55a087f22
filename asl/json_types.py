"""The JSON type of a Python value, named as JSON Schema names it.

One definition shared by the intrinsics' error messages, the linter's messages and the test strategies, so
"is a bool a number?" (no: JSON booleans are not numbers, although ``bool`` subclasses ``int``) is answered once.
"""
from __future__ import annotations

from typing import Any

_ARTICLES = {"array": "an array", "object": "an object", "null": "null"}


def json_type(value: Any) -> str:
    """``null``, ``boolean``, ``number``, ``string``, ``array`` or ``object``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def json_type_with_article(value: Any) -> str:
    """``a string``, ``an array``, ... (``null`` stays bare) for messages that read as prose."""
    name = json_type(value)
    return _ARTICLES.get(name, "a " + name)
