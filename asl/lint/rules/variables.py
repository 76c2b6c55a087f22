"""The variable checks (ASL504, ASL508, ASL509), run once after the schema walk collected every
``Assign`` key and every ``$variable`` read, with the scope (``States`` object) each belongs to.

Scopes: the machine is scope ``(0,)``; a Parallel branch or a Map item processor nested in it gets
``(0, n)``, and so on. A read sees the variables assigned in its own scope and every enclosing one.
"""
from __future__ import annotations

from ..context import LintContext
from .jsonata import AssignReadsOwnBlock, OuterVariableReassigned, UndefinedVariable

RULES = (UndefinedVariable, AssignReadsOwnBlock, OuterVariableReassigned)


def check(ctx: LintContext) -> None:
    facts = ctx.facts.get("variables")
    if not facts:
        return
    assigned, read, distributed = facts
    if not assigned and not read:
        return
    by_scope: dict[tuple[int, ...], dict[str, list[int]]] = {}
    for scope, name, _pointer, block in assigned:
        by_scope.setdefault(scope, {}).setdefault(name, []).append(block)

    def visible(scope: tuple[int, ...], name: str) -> tuple[list[int], bool]:
        """The Assign blocks of ``name`` a read in ``scope`` can see, and whether a Distributed Map's
        boundary hid an outer assignment (its iterations cannot read the outer scopes)."""
        blocks: list[int] = []
        for n in range(len(scope), 0, -1):
            found = by_scope.get(scope[:n], {}).get(name)
            if found:
                blocks.extend(found)
            if scope[n - 1] in distributed:
                hidden = any(name in by_scope.get(scope[:m], {}) for m in range(n - 1, 0, -1))
                return blocks, hidden and not blocks
        return blocks, False

    reported: set[tuple[str, str]] = set()
    for scope, name, pointer, block in read:
        blocks, hidden = visible(scope, name)
        if not blocks:
            if (name, pointer) not in reported:
                reported.add((name, pointer))
                why = ("is assigned outside this Distributed Map; its iterations cannot read outer variables"
                       if hidden else "is never assigned (no Assign in this scope or an enclosing one sets it)")
                ctx.report(UndefinedVariable, f"Variable ${name} {why}", pointer)
        elif block is not None and all(b == block for b in blocks):
            ctx.report(AssignReadsOwnBlock, f"${name} is read in the Assign block that sets it; the new value is "
                       "not visible until the next state and nothing assigns it earlier", pointer)
    for scope, name, pointer, _block in assigned:
        for n in range(len(scope) - 1, 0, -1):
            if name in by_scope.get(scope[:n], {}):
                ctx.report(OuterVariableReassigned, f"${name} is assigned in an enclosing scope; assigning it inside "
                           "a Parallel branch or Map creates a separate variable that vanishes afterwards", pointer)
                break


check.rules = RULES  # type: ignore[attr-defined]
