"""The model: frozen objects for every ASL construct, each knowing its JSON pointer.

The model is the tree every later phase reads: the linter walks it, the compiler turns it into closures.
It is immutable (frozen dataclasses, tuples, read-only mappings); per-run state lives in the runtime's
execution object, never here.

Field values that are JSON (templates, ``Result``, JSONata strings, ...) are kept as the JSON value found
in the definition. A field that is absent is :data:`ABSENT`, which is different from a JSON ``null``
(``"ResultPath": null`` means "discard the result", an absent ResultPath means ``$``).

Values of the wrong JSON type are kept as found too: the parser reports them, and the model never
pretends a field was absent when it was present but wrong.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping


class _Absent:
    """Marks a field that the definition does not contain (distinct from JSON null)."""

    __slots__ = ()
    _instance: "_Absent | None" = None

    def __new__(cls) -> "_Absent":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self):
        return (_Absent, ())


ABSENT: Any = _Absent()

JSONPATH = "JSONPath"
JSONATA = "JSONata"

STATE_TYPES = ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")

EMPTY_MAPPING: Mapping[str, Any] = MappingProxyType({})


def present(value: Any) -> bool:
    """True when a field was written in the definition (even as null)."""
    return value is not ABSENT


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    pointer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Retrier(Node):
    error_equals: tuple[str, ...]
    interval_seconds: Any = ABSENT        # default 1
    max_attempts: Any = ABSENT            # default 3
    backoff_rate: Any = ABSENT            # default 2.0
    max_delay_seconds: Any = ABSENT
    jitter_strategy: Any = ABSENT         # "FULL" | "NONE"
    comment: Any = ABSENT
    raw: Mapping[str, Any] = field(default_factory=lambda: EMPTY_MAPPING)


@dataclass(frozen=True, slots=True, kw_only=True)
class Catcher(Node):
    error_equals: tuple[str, ...]
    next: Any = ABSENT
    result_path: Any = ABSENT
    assign: Any = ABSENT
    output: Any = ABSENT
    comment: Any = ABSENT
    raw: Mapping[str, Any] = field(default_factory=lambda: EMPTY_MAPPING)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChoiceRule(Node):
    """One rule of a Choice: a comparison (variable + operator), a boolean combination, or a JSONata
    ``Condition``. ``next`` is set on top-level rules only."""

    variable: Any = ABSENT
    operator: str | None = None           # e.g. "NumericEqualsPath"; None for And/Or/Not/Condition
    operand: Any = ABSENT                 # the operator's value
    and_: tuple["ChoiceRule", ...] | None = None
    or_: tuple["ChoiceRule", ...] | None = None
    not_: "ChoiceRule | None" = None
    condition: Any = ABSENT               # JSONata: bool or "{% ... %}"
    next: Any = ABSENT
    assign: Any = ABSENT
    output: Any = ABSENT
    comment: Any = ABSENT
    raw: Mapping[str, Any] = field(default_factory=lambda: EMPTY_MAPPING)


@dataclass(frozen=True, slots=True, kw_only=True)
class State(Node):
    """Fields shared by every state type. ``query_language`` is the *effective* language (the state's
    own field, else the machine's), ``declared_query_language`` what the state itself says."""

    name: str
    type: str
    query_language: str = JSONPATH
    declared_query_language: Any = ABSENT
    comment: Any = ABSENT
    next: Any = ABSENT
    end: Any = ABSENT
    input_path: Any = ABSENT
    output_path: Any = ABSENT
    output: Any = ABSENT
    assign: Any = ABSENT
    raw: Mapping[str, Any] = field(default_factory=lambda: EMPTY_MAPPING)

    @property
    def is_terminal(self) -> bool:
        return self.end is True or self.type in ("Succeed", "Fail")


@dataclass(frozen=True, slots=True, kw_only=True)
class PassState(State):
    parameters: Any = ABSENT
    result: Any = ABSENT
    result_path: Any = ABSENT


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskState(State):
    resource: Any = ABSENT
    parameters: Any = ABSENT
    arguments: Any = ABSENT
    result_selector: Any = ABSENT
    result_path: Any = ABSENT
    timeout_seconds: Any = ABSENT
    timeout_seconds_path: Any = ABSENT
    heartbeat_seconds: Any = ABSENT
    heartbeat_seconds_path: Any = ABSENT
    credentials: Any = ABSENT
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ChoiceState(State):
    choices: tuple[ChoiceRule, ...] = ()
    default: Any = ABSENT


@dataclass(frozen=True, slots=True, kw_only=True)
class WaitState(State):
    seconds: Any = ABSENT
    timestamp: Any = ABSENT
    seconds_path: Any = ABSENT
    timestamp_path: Any = ABSENT


@dataclass(frozen=True, slots=True, kw_only=True)
class SucceedState(State):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class FailState(State):
    error: Any = ABSENT
    cause: Any = ABSENT
    error_path: Any = ABSENT
    cause_path: Any = ABSENT


@dataclass(frozen=True, slots=True, kw_only=True)
class ParallelState(State):
    branches: tuple["Workflow", ...] = ()
    parameters: Any = ABSENT
    arguments: Any = ABSENT
    result_selector: Any = ABSENT
    result_path: Any = ABSENT
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessorConfig(Node):
    mode: Any = ABSENT                    # "INLINE" (default) | "DISTRIBUTED"
    execution_type: Any = ABSENT          # "STANDARD" | "EXPRESS"
    raw: Mapping[str, Any] = field(default_factory=lambda: EMPTY_MAPPING)

    @property
    def distributed(self) -> bool:
        return self.mode == "DISTRIBUTED"


@dataclass(frozen=True, slots=True, kw_only=True)
class MapState(State):
    item_processor: "Workflow | None" = None
    uses_legacy_iterator: bool = False    # written as "Iterator"
    processor_config: ProcessorConfig | None = None
    items_path: Any = ABSENT
    items: Any = ABSENT
    item_selector: Any = ABSENT
    uses_legacy_parameters: bool = False  # ItemSelector written as "Parameters"
    item_reader: Any = ABSENT
    item_batcher: Any = ABSENT
    result_writer: Any = ABSENT
    max_concurrency: Any = ABSENT
    max_concurrency_path: Any = ABSENT
    tolerated_failure_percentage: Any = ABSENT
    tolerated_failure_percentage_path: Any = ABSENT
    tolerated_failure_count: Any = ABSENT
    tolerated_failure_count_path: Any = ABSENT
    label: Any = ABSENT
    arguments: Any = ABSENT
    result_selector: Any = ABSENT
    result_path: Any = ABSENT
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()

    @property
    def distributed(self) -> bool:
        return self.processor_config is not None and self.processor_config.distributed


@dataclass(frozen=True, slots=True, kw_only=True)
class Workflow(Node):
    """A ``StartAt`` + ``States`` pair: the machine itself, a Parallel branch or a Map processor."""

    start_at: Any = ABSENT
    states: Mapping[str, State] = field(default_factory=lambda: EMPTY_MAPPING)
    comment: Any = ABSENT
    query_language: str = JSONPATH
    raw: Mapping[str, Any] = field(default_factory=lambda: EMPTY_MAPPING)

    def walk(self):
        """Every state of this workflow and of the workflows nested in it, depth first."""
        for state in self.states.values():
            yield state
            for child in children(state):
                yield from child.walk()


@dataclass(frozen=True, slots=True, kw_only=True)
class StateMachine(Workflow):
    version: Any = ABSENT
    timeout_seconds: Any = ABSENT
    declared_query_language: Any = ABSENT


def children(state: State) -> tuple[Workflow, ...]:
    """The nested workflows of a state (Parallel branches, a Map's processor)."""
    if isinstance(state, ParallelState):
        return state.branches
    if isinstance(state, MapState) and state.item_processor is not None:
        return (state.item_processor,)
    return ()


STATE_CLASSES: Mapping[str, type[State]] = MappingProxyType({
    "Pass": PassState, "Task": TaskState, "Choice": ChoiceState, "Wait": WaitState,
    "Succeed": SucceedState, "Fail": FailState, "Parallel": ParallelState, "Map": MapState,
})

# -- how ASL keys map to attributes -------------------------------------------------------------------
# One table per construct, read by the parser (JSON -> model) and by asl.testing.dump (model -> JSON), so
# the two directions cannot drift apart. Fields with structure of their own (Retry, Catch, Choices,
# Branches, a Map's ItemProcessor/Iterator and ItemSelector/legacy Parameters, a Choice rule's operator and
# And/Or/Not) are built by the parser itself.

#: Fields every state type has (besides ``Type`` and ``QueryLanguage``, which the parser resolves).
COMMON_STATE_FIELDS: Mapping[str, str] = MappingProxyType({
    "Comment": "comment", "Next": "next", "End": "end", "InputPath": "input_path",
    "OutputPath": "output_path", "Output": "output", "Assign": "assign",
})
#: The plain fields of each state class, beyond :data:`COMMON_STATE_FIELDS`.
TYPED_STATE_FIELDS: Mapping[type, Mapping[str, str]] = MappingProxyType({
    PassState: MappingProxyType({"Parameters": "parameters", "Result": "result", "ResultPath": "result_path"}),
    TaskState: MappingProxyType({
        "Resource": "resource", "Parameters": "parameters", "Arguments": "arguments",
        "ResultSelector": "result_selector", "ResultPath": "result_path",
        "TimeoutSeconds": "timeout_seconds", "TimeoutSecondsPath": "timeout_seconds_path",
        "HeartbeatSeconds": "heartbeat_seconds", "HeartbeatSecondsPath": "heartbeat_seconds_path",
        "Credentials": "credentials",
    }),
    ChoiceState: MappingProxyType({"Default": "default"}),
    WaitState: MappingProxyType({"Seconds": "seconds", "Timestamp": "timestamp", "SecondsPath": "seconds_path",
                                 "TimestampPath": "timestamp_path"}),
    SucceedState: MappingProxyType({}),
    FailState: MappingProxyType({"Error": "error", "Cause": "cause", "ErrorPath": "error_path",
                                 "CausePath": "cause_path"}),
    ParallelState: MappingProxyType({"Parameters": "parameters", "Arguments": "arguments",
                                     "ResultSelector": "result_selector", "ResultPath": "result_path"}),
    MapState: MappingProxyType({
        "ItemsPath": "items_path", "Items": "items", "ItemReader": "item_reader", "ItemBatcher": "item_batcher",
        "ResultWriter": "result_writer", "MaxConcurrency": "max_concurrency",
        "MaxConcurrencyPath": "max_concurrency_path",
        "ToleratedFailurePercentage": "tolerated_failure_percentage",
        "ToleratedFailurePercentagePath": "tolerated_failure_percentage_path",
        "ToleratedFailureCount": "tolerated_failure_count",
        "ToleratedFailureCountPath": "tolerated_failure_count_path",
        "Label": "label", "Arguments": "arguments", "ResultSelector": "result_selector",
        "ResultPath": "result_path",
    }),
})
#: A Retrier's fields beyond ``ErrorEquals``.
RETRIER_FIELDS: Mapping[str, str] = MappingProxyType({
    "IntervalSeconds": "interval_seconds", "MaxAttempts": "max_attempts", "BackoffRate": "backoff_rate",
    "MaxDelaySeconds": "max_delay_seconds", "JitterStrategy": "jitter_strategy", "Comment": "comment",
})
#: A Catcher's fields beyond ``ErrorEquals``.
CATCHER_FIELDS: Mapping[str, str] = MappingProxyType({
    "Next": "next", "ResultPath": "result_path", "Assign": "assign", "Output": "output", "Comment": "comment",
})
#: A Choice rule's plain fields (its operator and And/Or/Not are built from the rule's shape).
CHOICE_RULE_FIELDS: Mapping[str, str] = MappingProxyType({
    "Variable": "variable", "Condition": "condition", "Next": "next", "Assign": "assign", "Output": "output",
    "Comment": "comment",
})

COMPARISON_OPERATORS = (
    "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals",
    "StringGreaterThanEquals", "NumericEquals", "NumericLessThan", "NumericGreaterThan",
    "NumericLessThanEquals", "NumericGreaterThanEquals", "BooleanEquals", "TimestampEquals",
    "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals",
)
CHOICE_OPERATORS = (
    COMPARISON_OPERATORS
    + tuple(op + "Path" for op in COMPARISON_OPERATORS)
    + ("StringMatches", "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp")
)

__all__ = [name for name in dir() if not name.startswith("_")]
