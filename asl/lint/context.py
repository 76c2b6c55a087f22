"""What a rule family sees while it checks one definition.

The context holds the JSON value, the active rule selection and the list findings are reported into. Families
also leave facts here for later families (variables assigned and read, for instance), so no family
walks the definition twice.
"""
from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostic
from .registry import Rule, Selector


class LintContext:
    __slots__ = ("value", "selector", "workflow_type", "diagnostics", "facts")

    def __init__(self, value: Any, *, selector: Selector, workflow_type: str | None = None):
        self.value = value
        self.selector = selector
        self.workflow_type = workflow_type.upper() if isinstance(workflow_type, str) else None
        self.diagnostics: list[Diagnostic] = []
        self.facts: dict[str, Any] = {}

    def wants(self, *rules: type[Rule]) -> bool:
        """True when at least one of ``rules`` is selected (a family may skip its whole walk)."""
        if len(rules) == 1:
            return self.selector.enabled(rules[0].code)
        return self.selector.any_enabled(rules)

    def report(self, rule: type[Rule], message: str, pointer: str, *, aws_code: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(
            rule.code, message, pointer, rule.severity, rule.name, None, None, None, aws_code or rule.aws_code,
        ))
