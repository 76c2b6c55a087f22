"""ASL1xx — the state graph: transition targets, reachability, terminal states, names, loops.

Runs on the JSON value (the model's dataclasses cost more to import than this whole check takes),
one ``States`` object (scope) at a time: the machine, every
Parallel branch, every Map item processor. Transitions never cross scopes, so each scope is its own
graph. Reachability is a real graph search from ``StartAt`` (a state two others point at is still
unreachable if no path from the start leads to them — the T05 case statelint misses), and loops
are found as strongly connected components (Tarjan, iteratively: no recursion limit).
"""
from __future__ import annotations

from typing import Any

from ..context import LintContext
from ..registry import ERROR, WARNING, Rule, register
from ._values import pointer_join
from .structure import DeepStateNesting

MAX_STATE_NESTING = 10


@register
class UnreachableState(Rule):
    """## What it does
    Reports a state that no path from `StartAt` leads to (through `Next`, `Default`, Choice rules and
    Catchers). Two states pointing at each other but at nothing reachable are both unreachable.

    ## Why is this bad?
    The state can never run; AWS rejects the definition (`MISSING_TRANSITION_TARGET: State "X" is not
    reachable`).

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "Orphan": {"Type": "Pass", "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL101", "unreachable-state", ERROR, "MISSING_TRANSITION_TARGET"


@register
class UnknownTransitionTarget(Rule):
    """## What it does
    Reports a `StartAt`, `Next`, `Default`, Choice rule `Next` or Catcher `Next` naming a state that
    does not exist in the same `States` object — including a state of an enclosing machine: nothing
    can jump into or out of a Parallel branch or a Map's item processor.

    ## Why is this bad?
    AWS rejects the definition: `Missing 'Next' target: X`.

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}
    ```
    """

    code, name, severity, aws_code = "ASL102", "unknown-transition-target", ERROR, "MISSING_TRANSITION_TARGET"


@register
class NoTerminalState(Rule):
    """## What it does
    Reports a `States` object (machine, branch or item processor) without a terminal state: no
    `"End": true`, no Succeed, no Fail.

    ## Why is this bad?
    The machine could never finish; AWS rejects it (`MISSING_END_STATE: Workflow has no terminal
    state`).

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL103", "no-terminal-state", ERROR, "MISSING_END_STATE"


@register
class DuplicateStateName(Rule):
    """## What it does
    Reports a state name used twice anywhere in the machine, nested branches and item processors
    included.

    ## Why is this bad?
    State names must be unique across the whole machine (history events and the console identify
    states by name); AWS rejects the definition (`DUPLICATE_STATE_NAME`).

    ## Example
    A top-level state `Done` and a state `Done` inside a Parallel branch.

    ## Use instead
    `Done` and `BranchDone`.
    """

    code, name, severity, aws_code = "ASL104", "duplicate-state-name", ERROR, "DUPLICATE_STATE_NAME"


@register
class InescapableLoop(Rule):
    """## What it does
    Warns about reachable states from which no terminal state can be reached: once the execution
    enters them it can only loop until the execution times out (or hits the history limit).

    ## Why is this bad?
    A machine can have a terminal state and still trap executions in a cycle with no exit.

    ## Example
    ```json
    {"StartAt": "A", "States": {
      "A": {"Type": "Choice", "Choices": [{"Variable": "$.go", "BooleanEquals": true, "Next": "B"}],
            "Default": "Done"},
      "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "Next": "B"},
      "Done": {"Type": "Succeed"}}}
    ```

    ## Use instead
    Give the cycle an exit (a Choice leading out of it).
    """

    code, name, severity, aws_code = "ASL105", "inescapable-loop", WARNING, None


@register
class ChoiceWithoutDefault(Rule):
    """## What it does
    Warns about a Choice state without `Default`.

    ## Why is this bad?
    When no rule matches, the execution fails with `States.NoChoiceMatched` (reported by AWS as
    `States.Runtime`, which no Catch handles).

    ## Example
    ```json
    {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Yes"}]}
    ```

    ## Use instead
    ```json
    {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Yes"}],
     "Default": "No"}
    ```
    """

    code, name, severity, aws_code = "ASL106", "choice-without-default", WARNING, None


@register
class LoopWithoutWait(Rule):
    """## What it does
    Warns about a cycle of states that calls a Task but contains no Wait state.

    ## Why is this bad?
    A polling loop without a Wait hammers the service (and your bill), burns through the 25,000-event
    history limit fast, and gets throttled.

    ## Example
    ```json
    {"StartAt": "Poll", "States": {
      "Poll": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Ready?"},
      "Ready?": {"Type": "Choice", "Choices": [{"Variable": "$.ready", "BooleanEquals": false, "Next": "Poll"}],
                 "Default": "Done"},
      "Done": {"Type": "Succeed"}}}
    ```

    ## Use instead
    Route the loop through a `Wait` state (`"Seconds": 10`) before polling again.
    """

    code, name, severity, aws_code = "ASL107", "loop-without-wait", WARNING, None


RULES = (UnreachableState, UnknownTransitionTarget, NoTerminalState, DuplicateStateName, InescapableLoop,
         ChoiceWithoutDefault, LoopWithoutWait, DeepStateNesting)


def check(ctx: LintContext) -> None:
    machine = ctx.value
    if not isinstance(machine, dict):
        return
    names: dict[str, str] = {}          # state name -> the States pointer of its first definition
    stack: list[tuple[dict, str, int, frozenset[str]]] = [(machine, "", 0, frozenset())]
    while stack:
        workflow, pointer, depth, outer = stack.pop()
        states = workflow.get("States")
        if not isinstance(states, dict):
            continue
        _check_scope(ctx, workflow, states, pointer, outer, names)
        inner_outer: frozenset[str] | None = None
        nested = []
        for name, state in states.items():
            if type(state) is not dict:
                continue
            kind = state.get("Type")
            if kind == "Parallel":
                branches = state.get("Branches")
                if not isinstance(branches, list):
                    continue
                state_pointer = pointer_join(pointer, "States", name)
                children = [(b, f"{state_pointer}/Branches/{i}") for i, b in enumerate(branches) if isinstance(b, dict)]
            elif kind == "Map":
                key = "ItemProcessor" if "ItemProcessor" in state else "Iterator"
                if not isinstance(state.get(key), dict):
                    continue
                state_pointer = pointer_join(pointer, "States", name)
                children = [(state[key], f"{state_pointer}/{key}")]
            else:
                continue
            if children and depth + 1 == MAX_STATE_NESTING + 1:
                ctx.report(DeepStateNesting, f"States nested more than {MAX_STATE_NESTING} levels deep", state_pointer)
            if inner_outer is None:
                inner_outer = outer | set(states)
            nested.extend((child, child_pointer, depth + 1, inner_outer) for child, child_pointer in children)
        stack.extend(reversed(nested))


def _edges(state: dict) -> list[tuple[str, str]]:
    """(target, field path below the state) for every transition out of ``state``."""
    edges = []
    target = state.get("Next")
    if isinstance(target, str):
        edges.append((target, "Next"))
    if state.get("Type") == "Choice":
        target = state.get("Default")
        if isinstance(target, str):
            edges.append((target, "Default"))
        choices = state.get("Choices")
        if isinstance(choices, list):
            for i, rule in enumerate(choices):
                if isinstance(rule, dict) and isinstance(rule.get("Next"), str):
                    edges.append((rule["Next"], f"Choices/{i}/Next"))
    catchers = state.get("Catch")
    if isinstance(catchers, list):
        for i, catcher in enumerate(catchers):
            if isinstance(catcher, dict) and isinstance(catcher.get("Next"), str):
                edges.append((catcher["Next"], f"Catch/{i}/Next"))
    return edges


def _check_scope(ctx: LintContext, workflow: dict, states: dict, pointer: str, outer: frozenset[str],
                 names: dict[str, str]) -> None:
    report = ctx.report
    states_pointer = pointer + "/States"
    for name in states:
        first = names.setdefault(name, states_pointer)
        if first != states_pointer:
            report(DuplicateStateName, f"Duplicate State name: {name} (also defined at "
                   f"{pointer_join(first, name)})", pointer_join(states_pointer, name))
    if not states:
        return

    graph: dict[str, list[str]] = {}
    terminal: set[str] = set()
    broken = False
    backwards = False        # an edge to a state declared earlier (or itself): the only way to a cycle
    position = {name: i for i, name in enumerate(states)}
    for here, (name, state) in enumerate(states.items()):
        if _is_terminal(state):
            terminal.add(name)
        if type(state) is not dict or not isinstance(state.get("Type"), str):
            continue
        graph[name] = targets = []
        for target, field in _edges(state):
            at = position.get(target)
            if at is not None:
                targets.append(target)
                backwards = backwards or at <= here
                continue
            broken = True
            hint = " (a state cannot transition out of its Parallel branch or Map)" if target in outer else ""
            label = field.rsplit("/", 1)[-1]
            report(UnknownTransitionTarget, f"Missing '{label}' target: {target}{hint}",
                   f"{pointer_join(states_pointer, name)}/{field}")
        if state.get("Type") == "Choice" and "Default" not in state and state.get("Choices"):
            report(ChoiceWithoutDefault, f"Choice state {name!r} has no Default: when no rule matches the "
                   "execution fails with States.Runtime", pointer_join(states_pointer, name))
    start = workflow.get("StartAt")
    start_ok = isinstance(start, str) and start in states
    if isinstance(start, str) and start and not start_ok:
        hint = " (StartAt must name a state of the same States object)" if start in outer else ""
        report(UnknownTransitionTarget, f"Missing 'StartAt' target: {start}{hint}", pointer_join(pointer, "StartAt"))

    if not terminal:
        report(NoTerminalState, "Workflow has no terminal state (no End: true, Succeed or Fail state)",
               states_pointer)
    if not start_ok:
        return
    reached = _reach(graph, start)
    # AWS: "Workflow has no terminal state" suppresses the reachability checks
    if terminal and len(reached) < len(states):
        for name in states:
            if name not in reached:
                report(UnreachableState, f'State "{name}" is not reachable.', pointer_join(states_pointer, name))
    if not backwards:
        return          # every edge leads forwards: no cycle, so nothing can loop or be trapped
    cycles = _cycles(graph)
    if not cycles:
        return
    if not broken and terminal and ctx.selector.enabled(InescapableLoop.code):
        _inescapable(ctx, graph, reached, terminal, states, states_pointer)
    if ctx.selector.enabled(LoopWithoutWait.code):
        _loops(ctx, cycles, reached, states, states_pointer)


_TYPES = frozenset({"Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"})


def _is_terminal(body: Any) -> bool:
    """End: true, Succeed, Fail — or a state whose Type is already reported as wrong (it may have been
    meant as one; counting it avoids a second, misleading finding)."""
    if not isinstance(body, dict):
        return False
    kind = body.get("Type")
    return body.get("End") is True or not isinstance(kind, str) or kind in ("Succeed", "Fail") or kind not in _TYPES


def _reach(graph: dict[str, list[str]], start: str) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _inescapable(ctx: LintContext, graph: dict[str, list[str]], reached: set[str], terminal: set[str],
                 raw_states: dict, states_pointer: str) -> None:
    reverse: dict[str, list[str]] = {}
    for source, targets in graph.items():
        for target in targets:
            reverse.setdefault(target, []).append(source)
    can_finish = set(terminal)
    todo = list(terminal)
    while todo:
        for source in reverse.get(todo.pop(), ()):
            if source not in can_finish:
                can_finish.add(source)
                todo.append(source)
    # states the parser could not model (unknown Type) have unknown exits: count them as exits
    for name in raw_states:
        if name not in graph:
            can_finish.add(name)
    trapped = [name for name in raw_states if name in reached and name not in can_finish]
    if trapped:
        shown = ", ".join(trapped[:5]) + (", ..." if len(trapped) > 5 else "")
        ctx.report(InescapableLoop, f"No terminal state can be reached from: {shown}",
                   pointer_join(states_pointer, trapped[0]))


def _loops(ctx: LintContext, cycles: list[set[str]], reached: set[str], states: dict, states_pointer: str) -> None:
    for component in cycles:
        if not reached.intersection(component):
            continue
        types = {states[n].get("Type") for n in component}
        if "Wait" in types or "Task" not in types:
            continue
        first = next(n for n in states if n in component)
        ctx.report(LoopWithoutWait, f"Loop through {', '.join(sorted(component))} calls a Task but has no "
                   "Wait state", pointer_join(states_pointer, first))


def _cycles(graph: dict[str, list[str]]) -> list[set[str]]:
    """Strongly connected components that contain a cycle (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[set[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work[-1]
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = graph.get(node, ())
            if i < len(targets):
                work[-1] = (node, i + 1)
                target = targets[i]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    out.append(component)
    return out


check.rules = RULES  # type: ignore[attr-defined]
