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
    ABSENT, CHOICE_OPERATORS, JSONATA, JSONPATH, STATE_CLASSES, Catcher, ChoiceRule, ChoiceState,
    FailState, MapState, ParallelState, PassState, ProcessorConfig, Retrier, State, StateMachine,
    TaskState, WaitState, Workflow,
)

# ASL key -> model attribute, per state class (fields shared by all states first)
_COMMON = {
    "Comment": "comment", "Next": "next", "End": "end", "InputPath": "input_path",
    "OutputPath": "output_path", "Output": "output", "Assign": "assign",
}
_FIELDS: dict[type, dict[str, str]] = {
    PassState: {"Parameters": "parameters", "Result": "result", "ResultPath": "result_path"},
    TaskState: {
        "Resource": "resource", "Parameters": "parameters", "Arguments": "arguments",
        "ResultSelector": "result_selector", "ResultPath": "result_path",
        "TimeoutSeconds": "timeout_seconds", "TimeoutSecondsPath": "timeout_seconds_path",
        "HeartbeatSeconds": "heartbeat_seconds", "HeartbeatSecondsPath": "heartbeat_seconds_path",
        "Credentials": "credentials",
    },
    ChoiceState: {"Default": "default"},
    WaitState: {"Seconds": "seconds", "Timestamp": "timestamp", "SecondsPath": "seconds_path",
                "TimestampPath": "timestamp_path"},
    FailState: {"Error": "error", "Cause": "cause", "ErrorPath": "error_path", "CausePath": "cause_path"},
    ParallelState: {"Parameters": "parameters", "Arguments": "arguments",
                    "ResultSelector": "result_selector", "ResultPath": "result_path"},
    MapState: {
        "ItemsPath": "items_path", "Items": "items", "ItemSelector": "item_selector",
        "ItemReader": "item_reader", "ItemBatcher": "item_batcher", "ResultWriter": "result_writer",
        "MaxConcurrency": "max_concurrency", "MaxConcurrencyPath": "max_concurrency_path",
        "ToleratedFailurePercentage": "tolerated_failure_percentage",
        "ToleratedFailurePercentagePath": "tolerated_failure_percentage_path",
        "ToleratedFailureCount": "tolerated_failure_count",
        "ToleratedFailureCountPath": "tolerated_failure_count_path",
        "Label": "label", "Arguments": "arguments", "ResultSelector": "result_selector",
        "ResultPath": "result_path",
    },
}


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
        for key, attr in _COMMON.items():
            if key in body:
                kwargs[attr] = body[key]
        for key, attr in _FIELDS.get(cls, {}).items():
            if key in body:
                kwargs[attr] = body[key]
        if cls in (TaskState, ParallelState, MapState):
            kwargs["retry"] = self.retriers(body.get("Retry"), pointer_join(pointer, "Retry"))
            kwargs["catch"] = self.catchers(body.get("Catch"), pointer_join(pointer, "Catch"))
        if cls is ChoiceState:
            choices = body.get("Choices")
            if isinstance(choices, list):
                kwargs["choices"] = tuple(
                    self.choice_rule(rule, pointer_join(pointer, "Choices", i))
                    for i, rule in enumerate(choices) if isinstance(rule, dict)
                )
        elif cls is ParallelState:
            branches = body.get("Branches")
            if isinstance(branches, list):
                kwargs["branches"] = tuple(
                    self.workflow(branch, pointer_join(pointer, "Branches", i))
                    for i, branch in enumerate(branches) if isinstance(branch, dict)
                )
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
            if "ItemSelector" not in body and "Parameters" in body:
                kwargs["item_selector"] = body["Parameters"]
                kwargs["uses_legacy_parameters"] = True
        return cls(**kwargs)

    def retriers(self, value: Any, pointer: str) -> tuple[Retrier, ...]:
        if not isinstance(value, list):
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                continue
            out.append(Retrier(
                pointer=pointer_join(pointer, i), error_equals=_names(item.get("ErrorEquals")),
                interval_seconds=item.get("IntervalSeconds", ABSENT),
                max_attempts=item.get("MaxAttempts", ABSENT), backoff_rate=item.get("BackoffRate", ABSENT),
                max_delay_seconds=item.get("MaxDelaySeconds", ABSENT),
                jitter_strategy=item.get("JitterStrategy", ABSENT), comment=item.get("Comment", ABSENT),
                raw=MappingProxyType(dict(item)),
            ))
        return tuple(out)

    def catchers(self, value: Any, pointer: str) -> tuple[Catcher, ...]:
        if not isinstance(value, list):
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                continue
            out.append(Catcher(
                pointer=pointer_join(pointer, i), error_equals=_names(item.get("ErrorEquals")),
                next=item.get("Next", ABSENT), result_path=item.get("ResultPath", ABSENT),
                assign=item.get("Assign", ABSENT), output=item.get("Output", ABSENT),
                comment=item.get("Comment", ABSENT), raw=MappingProxyType(dict(item)),
            ))
        return tuple(out)

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
        return ChoiceRule(
            pointer=pointer, variable=rule.get("Variable", ABSENT), operator=operator,
            operand=rule[operator] if operator else ABSENT,
            and_=nested("And"), or_=nested("Or"),
            not_=self.choice_rule(not_value, pointer_join(pointer, "Not")) if isinstance(not_value, dict) else None,
            condition=rule.get("Condition", ABSENT), next=rule.get("Next", ABSENT),
            assign=rule.get("Assign", ABSENT), output=rule.get("Output", ABSENT),
            comment=rule.get("Comment", ABSENT), raw=MappingProxyType(dict(rule)),
        )


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()
