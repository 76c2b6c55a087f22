"""Build the frozen model from a JSON value, collecting problems instead of stopping at the first.

The parser is deliberately lenient: it records what the definition says, and reports only what stops it
from building a node at all (a state that is not an object, an unknown ``Type``, ``States`` that is not
an object). Everything else — wrong types, missing fields, bad paths — is the linter's business, so the
parser never has to decide twice what "valid" means.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping

from .diagnostics import Diagnostic, pointer_join
from .model import (
    ABSENT, CATCHER_FIELDS, CHOICE_OPERATORS, CHOICE_RULE_FIELDS, COMMON_STATE_FIELDS, JSONATA, JSONPATH,
    RETRIER_FIELDS, STATE_CLASSES, TYPED_STATE_FIELDS, Catcher, ChoiceRule, ChoiceState, MapState,
    ParallelState, ProcessorConfig, Retrier, State, StateMachine, TaskState, Workflow,
)


def parse(document: Any) -> tuple[StateMachine | None, list[Diagnostic]]:
    """Return the model of ``document`` (None if it is not even an object) and the problems found."""
    problems: list[Diagnostic] = []
    if not isinstance(document, dict):
        problems.append(Diagnostic("ASL001", "A state machine definition must be a JSON object", ""))
        return None, problems
    declared = document.get("QueryLanguage", ABSENT)
    top_language = JSONATA if declared == JSONATA else JSONPATH
    parser = _Parser(problems, top_language)
    workflow = parser.workflow(document, "")
    machine = StateMachine(
        pointer="", start_at=workflow.start_at, states=workflow.states, comment=workflow.comment,
        query_language=top_language, raw=workflow.raw, version=document.get("Version", ABSENT),
        timeout_seconds=document.get("TimeoutSeconds", ABSENT), declared_query_language=declared,
    )
    return machine, problems


class _Parser:
    def __init__(self, problems: list[Diagnostic], top_language: str):
        self.problems = problems
        self.top_language = top_language

    def report(self, code: str, message: str, pointer: str) -> None:
        self.problems.append(Diagnostic(code, message, pointer))

    def workflow(self, value: Mapping[str, Any], pointer: str) -> Workflow:
        states_value = value.get("States", ABSENT)
        states: dict[str, State] = {}
        if isinstance(states_value, dict):
            for name, body in states_value.items():
                state = self.state(name, body, pointer_join(pointer, "States", name))
                if state is not None:
                    states[name] = state
        return Workflow(
            pointer=pointer, start_at=value.get("StartAt", ABSENT), states=MappingProxyType(states),
            comment=value.get("Comment", ABSENT), query_language=self.top_language,
            raw=MappingProxyType(dict(value)),
        )

    def state(self, name: str, body: Any, pointer: str) -> State | None:
        if not isinstance(body, dict):
            self.report("ASL002", f"State '{name}' must be a JSON object", pointer)
            return None
        type_ = body.get("Type", ABSENT)
        cls = STATE_CLASSES.get(type_) if isinstance(type_, str) else None
        if cls is None:
            # the linter reports the missing / unknown Type with the exact message; no model node
            return None
        declared = body.get("QueryLanguage", ABSENT)
        language = JSONATA if declared == JSONATA else (JSONPATH if declared == JSONPATH else self.top_language)
        if declared is not ABSENT and declared not in (JSONATA, JSONPATH):
            language = JSONATA          # AWS: any value other than "JSONPath" resolves to JSONata
        kwargs: dict[str, Any] = {
            "pointer": pointer, "name": name, "type": type_, "query_language": language,
            "declared_query_language": declared, "raw": MappingProxyType(dict(body)),
        }
        _copy_fields(body, COMMON_STATE_FIELDS, kwargs)
        _copy_fields(body, TYPED_STATE_FIELDS[cls], kwargs)
        if cls in (TaskState, ParallelState, MapState):
            kwargs["retry"] = self.retriers(body.get("Retry"), pointer_join(pointer, "Retry"))
            kwargs["catch"] = self.catchers(body.get("Catch"), pointer_join(pointer, "Catch"))
        if cls is ChoiceState:
            kwargs["choices"] = tuple(self.choice_rule(rule, rule_pointer) for rule, rule_pointer
                                      in _objects(body.get("Choices"), pointer_join(pointer, "Choices")))
        elif cls is ParallelState:
            kwargs["branches"] = tuple(self.workflow(branch, branch_pointer) for branch, branch_pointer
                                       in _objects(body.get("Branches"), pointer_join(pointer, "Branches")))
        elif cls is MapState:
            key = "ItemProcessor" if "ItemProcessor" in body else ("Iterator" if "Iterator" in body else None)
            if key is not None and isinstance(body[key], dict):
                processor_pointer = pointer_join(pointer, key)
                kwargs["item_processor"] = self.workflow(body[key], processor_pointer)
                kwargs["uses_legacy_iterator"] = key == "Iterator"
                config = body[key].get("ProcessorConfig")
                if isinstance(config, dict):
                    kwargs["processor_config"] = ProcessorConfig(
                        pointer=pointer_join(processor_pointer, "ProcessorConfig"),
                        mode=config.get("Mode", ABSENT), execution_type=config.get("ExecutionType", ABSENT),
                        raw=MappingProxyType(dict(config)),
                    )
            if "ItemSelector" in body:
                kwargs["item_selector"] = body["ItemSelector"]
            elif "Parameters" in body:
                kwargs["item_selector"] = body["Parameters"]
                kwargs["uses_legacy_parameters"] = True
        return cls(**kwargs)

    def retriers(self, value: Any, pointer: str) -> tuple[Retrier, ...]:
        return tuple(_node(Retrier, item, item_pointer, RETRIER_FIELDS)
                     for item, item_pointer in _objects(value, pointer))

    def catchers(self, value: Any, pointer: str) -> tuple[Catcher, ...]:
        return tuple(_node(Catcher, item, item_pointer, CATCHER_FIELDS)
                     for item, item_pointer in _objects(value, pointer))

    def choice_rule(self, rule: Mapping[str, Any], pointer: str) -> ChoiceRule:
        operators = [k for k in rule if k in CHOICE_OPERATORS]
        operator = operators[0] if operators else None

        def nested(key: str) -> tuple[ChoiceRule, ...] | None:
            value = rule.get(key)
            if not isinstance(value, list):
                return None
            return tuple(self.choice_rule(r, pointer_join(pointer, key, i))
                         for i, r in enumerate(value) if isinstance(r, dict))

        not_value = rule.get("Not")
        kwargs: dict[str, Any] = {
            "pointer": pointer, "operator": operator, "operand": rule[operator] if operator else ABSENT,
            "and_": nested("And"), "or_": nested("Or"),
            "not_": self.choice_rule(not_value, pointer_join(pointer, "Not")) if isinstance(not_value, dict) else None,
            "raw": MappingProxyType(dict(rule)),
        }
        _copy_fields(rule, CHOICE_RULE_FIELDS, kwargs)
        return ChoiceRule(**kwargs)


def _copy_fields(source: Mapping[str, Any], fields: Mapping[str, str], kwargs: dict[str, Any]) -> None:
    """Copy the plain fields ``source`` has (ASL key -> attribute); absent ones keep the model's ABSENT."""
    for key, attribute in fields.items():
        if key in source:
            kwargs[attribute] = source[key]


def _objects(value: Any, pointer: str):
    """``(item, pointer)`` for the objects of a list field (Retry, Catch, Choices, Branches); anything
    else is the linter's to report."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield item, pointer_join(pointer, i)


def _node(cls: type, item: Mapping[str, Any], pointer: str, fields: Mapping[str, str]) -> Any:
    """A Retrier or Catcher: ``ErrorEquals`` (its string names) plus the plain fields of ``fields``."""
    kwargs: dict[str, Any] = {"pointer": pointer, "error_equals": _names(item.get("ErrorEquals")),
                              "raw": MappingProxyType(dict(item))}
    _copy_fields(item, fields, kwargs)
    return cls(**kwargs)


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()
