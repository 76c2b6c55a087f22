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
    selector = Selector(select, ignore)
    source_diags = [d for d in (document.diagnostics or ()) if selector.enabled(d.code)]
    if document.value is None and any(d.severity == ERROR for d in (document.diagnostics or ())):
        # nothing to check: the source could not be read (a JSON ``null`` root has no such diagnostic)
        return _sorted(source_diags)
    found = _check(document.value, selector, workflow_type)
    located = document.locate_all(found) if found else []
    return _sorted(source_diags + located)


def check_value(value: Any, *, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                workflow_type: str | None = None) -> list[Diagnostic]:
    return _sorted(_check(value, Selector(select, ignore), workflow_type))


def _check(value: Any, selector: Selector, workflow_type: str | None) -> list[Diagnostic]:
    from .rules import FAMILIES
    from .suppress import apply_noqa

    ctx = LintContext(value, selector=selector, workflow_type=workflow_type)
    for family in FAMILIES:
        if not ctx.wants(*family.rules):
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
    diagnostics = apply_noqa(ctx) if isinstance(value, dict) else ctx.diagnostics
    enabled = selector.enabled
    return [d for d in diagnostics if enabled(d.code)]


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.line or 0, d.column or 0, d.pointer, d.code))
