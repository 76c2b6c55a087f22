"""The linter: every check AWS's ValidateStateMachineDefinition makes, and the smells it does not.

Public API::

    asl.lint.lint(source, *, select=None, ignore=None, path=None) -> list[Diagnostic]
    asl.lint.lint_document(document, *, select=None, ignore=None) -> list[Diagnostic]

``source`` is a dict, JSON/YAML text or a path; bad input never raises, it gets diagnostics. Each
diagnostic carries ``code``, ``name``, ``severity`` ("error" | "warning" | "info"), ``message``,
``pointer`` (RFC 6901, into the definition), ``line``/``column`` (1-based) and ``aws_code``.

Only this small module is imported by ``asl.load``; the rule families are imported on the first lint.
"""
from __future__ import annotations

from typing import Any, Iterable

from ..diagnostics import Diagnostic

__all__ = ["lint", "lint_document", "lint_value"]


def lint(source: Any, *, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
         path: str | None = None, workflow_type: str | None = None) -> list[Diagnostic]:
    """Lint ``source`` (a dict, JSON/YAML text, bytes or a path): the diagnostics, positions filled in."""
    from ..source import read

    try:
        document = read(source, path=path)
    except Exception as exc:  # a reader bug must not become a traceback for the user
        return [Diagnostic("ASL000", f"Cannot read the definition: {exc}", "", "error", "unreadable-source",
                           1, 1, path, "INVALID_JSON_DESCRIPTION")]
    return lint_document(document, select=select, ignore=ignore, workflow_type=workflow_type)


def lint_document(document: Any, *, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                  workflow_type: str | None = None) -> list[Diagnostic]:
    """Lint a :class:`asl.source.Document`: its source-level diagnostics plus every rule's findings,
    suppressions applied, positions filled in, sorted by position."""
    from .runner import run

    return run(document, select=select, ignore=ignore, workflow_type=workflow_type)


def lint_value(value: Any, *, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
               workflow_type: str | None = None) -> list[Diagnostic]:
    """Lint an already-parsed JSON value (no positions: line and column stay None)."""
    from .runner import check_value

    return check_value(value, select=select, ignore=ignore, workflow_type=workflow_type)


class _CallableModule(__import__("types").ModuleType):
    """``asl.lint`` is both this package and the public function ``asl.lint(source)``.

    Importing a submodule sets the parent package's attribute to the submodule, so after the first
    ``import asl.lint`` the name ``asl.lint`` is this module, no longer the function defined in
    ``asl/__init__.py``. Making the module callable keeps ``asl.lint(source)`` working either way.
    """

    def __call__(self, source: Any, **options: Any) -> list[Diagnostic]:
        return lint(source, **options)


__import__("sys").modules[__name__].__class__ = _CallableModule
