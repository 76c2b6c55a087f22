"""Inline suppression: ``asl: noqa`` markers in ``Comment`` fields (JSON has no comments of its own).

* In a state's ``Comment``: ``"Comment": "retry forever on purpose. asl: noqa ASL303"`` silences the
  listed rules for that state and everything inside it (its retriers, rules, nested branches).
* In the machine's top-level ``Comment``: the whole file.
* ``asl: noqa`` without codes silences every rule there. Codes, rule names and code prefixes are
  accepted, separated by commas or spaces (``asl: noqa: ASL101, no-dollar``).

A marker (or one code of it) that silences nothing is itself reported as ASL900 unused-noqa, the way
ruff's RUF100 keeps suppressions from outliving the problem they hid.
"""
from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Diagnostic, pointer_join
from .context import LintContext
from .registry import RULES, rule_for

_MARKER = r"asl:\s*noqa\b:?((?:[\s,]*[A-Za-z][A-Za-z0-9-]*)*)"    # compiled when a Comment mentions noqa
UNUSED_NOQA = "ASL900"


class _Marker:
    __slots__ = ("scope", "pointer", "entries", "used")

    def __init__(self, scope: str, pointer: str, entries: list[str]):
        self.scope = scope          # JSON pointer of the state ("" = whole file)
        self.pointer = pointer      # where the Comment is
        self.entries = entries      # [] = every rule
        self.used: set[str] = set()

    def covers(self, pointer: str) -> bool:
        return not self.scope or pointer == self.scope or pointer.startswith(self.scope + "/")

    def match(self, d: Diagnostic) -> str | None:
        """The entry that silences ``d`` ("*" for a bare marker), or None."""
        if not self.entries:
            return "*"
        for entry in self.entries:
            upper = entry.upper()
            if upper == d.code or entry.lower() == d.name or (upper.startswith("ASL") and d.code.startswith(upper)):
                return entry
        return None


def parse_marker(comment: Any) -> list[str] | None:
    """The entries of the ``asl: noqa`` marker in a comment: None if there is none, [] for "all"."""
    if not isinstance(comment, str) or "noqa" not in comment.lower():
        return None
    m = re.search(_MARKER, comment, re.IGNORECASE)
    if m is None:
        return None
    return [e for e in re.split(r"[\s,]+", m.group(1)) if e]


def collect_markers(value: dict) -> list[_Marker]:
    markers: list[_Marker] = []
    entries = parse_marker(value.get("Comment"))
    if entries is not None:
        markers.append(_Marker("", "/Comment", entries))
    _collect_states(value, "", markers, 0)
    return markers


def _collect_states(workflow: Any, pointer: str, markers: list[_Marker], depth: int) -> None:
    states = workflow.get("States") if isinstance(workflow, dict) else None
    if not isinstance(states, dict) or depth > 100:
        return
    for name, state in states.items():
        if not isinstance(state, dict):
            continue
        state_pointer = pointer_join(pointer, "States", name)
        entries = parse_marker(state.get("Comment"))
        if entries is not None:
            markers.append(_Marker(state_pointer, pointer_join(state_pointer, "Comment"), entries))
        branches = state.get("Branches")
        if isinstance(branches, list):
            for i, branch in enumerate(branches):
                _collect_states(branch, pointer_join(state_pointer, "Branches", i), markers, depth + 1)
        for key in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(key), dict):
                _collect_states(state[key], pointer_join(state_pointer, key), markers, depth + 1)


def apply_noqa(ctx: LintContext) -> list[Diagnostic]:
    """Drop the diagnostics a marker silences; add ASL900 for marker entries that silenced nothing."""
    comments = ctx.facts.get("noqa")
    if comments is None:                     # the schema walk did not run (its rules deselected)
        markers = collect_markers(ctx.value)
    else:                                    # the walk collected the Comments that mention noqa
        markers = [_Marker(scope, pointer, entries) for scope, pointer, text in comments
                   if (entries := parse_marker(text)) is not None]
    if not markers:
        return ctx.diagnostics
    kept: list[Diagnostic] = []
    for d in ctx.diagnostics:
        silenced = False
        for marker in markers:
            if marker.covers(d.pointer):
                entry = marker.match(d)
                if entry is not None:
                    marker.used.add(entry)
                    silenced = True
        if not silenced:
            kept.append(d)
    rule = RULES.get(UNUSED_NOQA)
    if rule is None or not ctx.selector.enabled(UNUSED_NOQA):
        return kept
    for marker in markers:
        if not marker.entries:
            if "*" not in marker.used:
                kept.append(_unused(rule, "Unused 'asl: noqa' marker: nothing to silence here", marker.pointer))
            continue
        for entry in marker.entries:
            if entry in marker.used or not _active(entry, ctx):
                continue
            known = rule_for(entry) is not None or any(code.startswith(entry.upper()) for code in RULES)
            message = (f"Unused 'asl: noqa' entry {entry!r}: no such finding here" if known
                       else f"Unknown rule {entry!r} in an 'asl: noqa' marker")
            kept.append(_unused(rule, message, marker.pointer))
    return kept


def _active(entry: str, ctx: LintContext) -> bool:
    """An entry naming only deselected rules is not reported as unused (nothing could have fired)."""
    rule = rule_for(entry)
    if rule is not None:
        return ctx.selector.enabled(rule.code)
    upper = entry.upper()
    matching = [code for code in RULES if code.startswith(upper)]
    return not matching or any(ctx.selector.enabled(code) for code in matching)


def _unused(rule: Any, message: str, pointer: str) -> Diagnostic:
    return Diagnostic(rule.code, message, pointer, rule.severity, rule.name, aws_code=None)
