"""Model -> JSON: write a parsed :class:`~asl.model.StateMachine` back as a definition.

The parser keeps every field it understands in typed attributes (and the original object in
``raw``). :func:`to_definition` rebuilds the definition from the *typed* attributes only — ``raw`` is
used for nothing but the order of keys and the fields the model has no attribute for — so a round
trip ``parse(to_definition(parse(d)))`` checks that the parser lost nothing (the project's own property
test does it for every machine the strategies draw).
"""
from __future__ import annotations

from typing import Any, Mapping

from ..model import (
    ABSENT, CATCHER_FIELDS, CHOICE_RULE_FIELDS, COMMON_STATE_FIELDS, RETRIER_FIELDS, TYPED_STATE_FIELDS,
    Catcher, ChoiceRule, ChoiceState, MapState, ParallelState, Retrier, State, StateMachine, TaskState,
    Workflow,
)

# the fields the parser resolves itself, then the plain ones it copies (the model's tables)
_STATE_HEAD = {"Type": "type", "QueryLanguage": "declared_query_language"}


def to_definition(machine: StateMachine, *, keep_unknown: bool = True) -> dict:
    """The definition ``machine`` was parsed from, rebuilt from the model's typed fields.

    With ``keep_unknown=False`` fields the model has no attribute for are left out, which is how a
    test sees whether the parser dropped something.
    """
    keep = keep_unknown
    out = _workflow(machine, keep)
    for key, value in (("Version", machine.version), ("TimeoutSeconds", machine.timeout_seconds),
                       ("QueryLanguage", machine.declared_query_language)):
        if value is not ABSENT:
            out[key] = value
    return _ordered(out, machine.raw, keep)


def _workflow(workflow: Workflow, keep: bool) -> dict:
    out: dict[str, Any] = {}
    if workflow.comment is not ABSENT:
        out["Comment"] = workflow.comment
    if workflow.start_at is not ABSENT:
        out["StartAt"] = workflow.start_at
    out["States"] = {name: _state(state, keep) for name, state in workflow.states.items()}
    return _ordered(out, workflow.raw, keep)


def _state(state: State, keep: bool) -> dict:
    out: dict[str, Any] = {}
    for fields in (_STATE_HEAD, COMMON_STATE_FIELDS, TYPED_STATE_FIELDS[type(state)]):
        _put_fields(out, state, fields)
    if isinstance(state, MapState):
        if state.uses_legacy_parameters:
            out["Parameters"] = state.item_selector
        elif state.item_selector is not ABSENT:
            out["ItemSelector"] = state.item_selector
        if state.item_processor is not None:
            processor = _workflow(state.item_processor, keep)
            if state.processor_config is not None:
                processor["ProcessorConfig"] = dict(state.processor_config.raw)
            out["Iterator" if state.uses_legacy_iterator else "ItemProcessor"] = _ordered(
                processor, state.item_processor.raw, keep)
    if isinstance(state, ParallelState):
        out["Branches"] = [_workflow(branch, keep) for branch in state.branches]
    if isinstance(state, ChoiceState):
        out["Choices"] = [_rule(rule, keep) for rule in state.choices]
    if isinstance(state, (TaskState, ParallelState, MapState)):
        if state.retry:
            out["Retry"] = [_retrier(r, keep) for r in state.retry]
        if state.catch:
            out["Catch"] = [_catcher(c, keep) for c in state.catch]
    return _ordered(out, state.raw, keep)


def _retrier(retrier: Retrier, keep: bool) -> dict:
    out: dict[str, Any] = {"ErrorEquals": list(retrier.error_equals)}
    _put_fields(out, retrier, RETRIER_FIELDS)
    return _ordered(out, retrier.raw, keep)


def _catcher(catcher: Catcher, keep: bool) -> dict:
    out: dict[str, Any] = {"ErrorEquals": list(catcher.error_equals)}
    _put_fields(out, catcher, CATCHER_FIELDS)
    return _ordered(out, catcher.raw, keep)


def _rule(rule: ChoiceRule, keep: bool) -> dict:
    out: dict[str, Any] = {}
    if rule.operator is not None:
        out[rule.operator] = rule.operand
    if rule.and_ is not None:
        out["And"] = [_rule(r, keep) for r in rule.and_]
    if rule.or_ is not None:
        out["Or"] = [_rule(r, keep) for r in rule.or_]
    if rule.not_ is not None:
        out["Not"] = _rule(rule.not_, keep)
    _put_fields(out, rule, CHOICE_RULE_FIELDS)
    return _ordered(out, rule.raw, keep)


def _put_fields(out: dict[str, Any], node: Any, fields: Mapping[str, str]) -> None:
    """The fields of ``node`` that were written in the definition (ASL key -> attribute)."""
    for key, attribute in fields.items():
        value = getattr(node, attribute)
        if value is not ABSENT:
            out[key] = value


def _ordered(built: dict, raw: Mapping[str, Any], keep: bool) -> dict:
    """``built`` in the key order of the original object; keys the model has no attribute for (a typo,
    a field of a newer ASL) are taken from ``raw`` so nothing silently disappears."""
    out = {key: built[key] if key in built else raw[key] for key in raw if key in built or keep}
    for key, value in built.items():
        out.setdefault(key, value)
    return out
