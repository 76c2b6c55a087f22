"""Diagnostics: what the parser and the linter report about a definition.

A rule only says *what* is wrong and *where* (a JSON pointer); the driver fills in the rule's name,
severity and the line/column from the source's locator (the way python-jsonschema fills an error's path).
"""
from __future__ import annotations

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)

_FIELDS = ("code", "message", "pointer", "severity", "name", "line", "column", "path", "aws_code")


class Diagnostic:
    """One finding: a frozen record (equality, hashing, ``repr`` and ``match_args`` of a frozen dataclass).

    Written out rather than declared with ``@dataclass(frozen=True, slots=True)`` because importing
    ``dataclasses`` (which imports ``inspect``) costs ~6 ms, a sixth of a whole ``asl lint`` run on one
    file; ``tests/lint/test_diagnostic_record.py`` keeps it equivalent to that dataclass.
    """

    __slots__ = _FIELDS
    __match_args__ = _FIELDS

    code: str
    message: str
    pointer: str
    severity: str
    name: str                      # the rule's kebab-case name
    line: int | None               # 1-based
    column: int | None             # 1-based
    path: str | None               # the file, when there is one
    aws_code: str | None           # ValidateStateMachineDefinition's code, e.g. SCHEMA_VALIDATION_FAILED

    def __init__(self, code: str, message: str, pointer: str = "", severity: str = ERROR, name: str = "",
                 line: int | None = None, column: int | None = None, path: str | None = None,
                 aws_code: str | None = None) -> None:
        init = object.__setattr__
        init(self, "code", code)
        init(self, "message", message)
        init(self, "pointer", pointer)
        init(self, "severity", severity)
        init(self, "name", name)
        init(self, "line", line)
        init(self, "column", column)
        init(self, "path", path)
        init(self, "aws_code", aws_code)

    def _values(self) -> tuple:
        return (self.code, self.message, self.pointer, self.severity, self.name, self.line, self.column,
                self.path, self.aws_code)

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return "Diagnostic(" + ", ".join(f"{f}={v!r}" for f, v in zip(_FIELDS, self._values())) + ")"

    def __reduce__(self):
        return Diagnostic, self._values()

    def with_(self, **changes) -> "Diagnostic":
        values = dict(zip(_FIELDS, self._values()))
        for key, value in changes.items():
            if key not in values:
                raise TypeError(f"Diagnostic.with_() got an unexpected field {key!r}")
            values[key] = value
        return Diagnostic(**values)

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
