"""Diagnostics: what the parser and the linter report about a definition.

A rule only says *what* is wrong and *where* (a JSON pointer); the driver fills in the rule's name,
severity and the line/column from the source's locator (the way python-jsonschema fills an error's path).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    pointer: str = ""
    severity: str = ERROR
    name: str = ""                 # the rule's kebab-case name
    line: int | None = None        # 1-based
    column: int | None = None      # 1-based
    path: str | None = None        # the file, when there is one
    aws_code: str | None = None    # ValidateStateMachineDefinition's code, e.g. SCHEMA_VALIDATION_FAILED

    def with_(self, **changes) -> "Diagnostic":
        return replace(self, **changes)

    @property
    def symbol(self) -> str:
        return self.name


def pointer_join(pointer: str, *tokens: object) -> str:
    """Append reference tokens to a JSON pointer, escaping ``~`` and ``/`` as RFC 6901 says."""
    for token in tokens:
        pointer += "/" + str(token).replace("~", "~0").replace("/", "~1")
    return pointer


def pointer_split(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
