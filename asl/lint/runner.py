"""The driver: run every rule family once over a definition, apply suppressions, fill positions.

Families are plain functions ``check(ctx)`` (``asl.lint.rules.FAMILIES``), each declaring the rules it
reports so a family whose rules are all deselected is not run at all. A family that crashes never
becomes a traceback: a definition nested too deeply for Python's stack is reported as ASL005, any
other exception as an ``ASL999 internal-error`` diagnostic naming the family (a bug to report).
"""
from __future__ import annotations

from typing import Any, Iterable

from ..diagnostics import ERROR, Diagnostic
from .context import LintContext
from .registry import Selector


def run(document: Any, *, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
        workflow_type: str | None = None) -> list[Diagnostic]:
    selector = Selector.shared(select, ignore)
    problems = document.diagnostics
    source_diags = [d for d in problems if selector.enabled(d.code)] if problems else []
    if document.value is None and any(d.severity == ERROR for d in (problems or ())):
        # nothing to check: the source could not be read (a JSON ``null`` root has no such diagnostic)
        return _sorted(_clamped(source_diags, document.text) if isinstance(document.text, str) else source_diags)
    found = _check(document.value, selector, workflow_type)
    if not found and not source_diags:
        return []
    located = document.locate_all(found) if found else []
    diagnostics = source_diags + located
    if isinstance(document.text, str):
        diagnostics = _clamped(diagnostics, document.text)
    return _sorted(diagnostics)


def check_value(value: Any, *, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                workflow_type: str | None = None) -> list[Diagnostic]:
    return _sorted(_check(value, Selector.shared(select, ignore), workflow_type))


_families: tuple | None = None
_apply_noqa: Any = None


def _check(value: Any, selector: Selector, workflow_type: str | None) -> list[Diagnostic]:
    global _families, _apply_noqa
    if _families is None:                      # the rule families, imported on the first lint
        from .rules import FAMILIES
        from .suppress import apply_noqa

        _families, _apply_noqa = FAMILIES, apply_noqa
    ctx = LintContext(value, selector=selector, workflow_type=workflow_type)
    for family in _families:
        if not selector.any_enabled(family.rules):
            continue
        try:
            family(ctx)
        except RecursionError:
            ctx.diagnostics.append(Diagnostic(
                "ASL005", "The definition is nested too deeply to be checked", "", ERROR, "too-deep",
                aws_code="TOO_DEEPLY_NESTED"))
            break
        except Exception as exc:  # noqa: BLE001 - a rule bug must not become the user's traceback
            ctx.diagnostics.append(Diagnostic(
                "ASL999", f"internal error in the {family.__module__.rsplit('.', 1)[-1]} checks: "
                f"{type(exc).__name__}: {exc}", "", ERROR, "internal-error"))
    diagnostics = _apply_noqa(ctx) if isinstance(value, dict) else ctx.diagnostics
    if not diagnostics:
        return diagnostics
    enabled = selector.enabled
    return [d for d in diagnostics if enabled(d.code)]


def _clamped(diagnostics: list[Diagnostic], text: str) -> list[Diagnostic]:
    """Keep every position inside the text (a reader's position past the end of a line, e.g. a YAML
    error counted in bytes, still points at that line): editors and SARIF viewers reject the others."""
    lines = text.split("\n")
    out = []
    for d in diagnostics:
        line, column = d.line or 1, d.column or 1
        if line > len(lines):
            line, column = len(lines), len(lines[-1].rstrip("\r")) + 1
        width = len(lines[line - 1].rstrip("\r")) + 1
        if column > width or line != d.line or column != d.column:
            d = d.with_(line=line, column=min(column, width))
        out.append(d)
    return out


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.line or 0, d.column or 0, d.pointer, d.code))
