"""What every compiled state shares: the data-flow steps of JSONPath mode, compiled once.

A compiled state is an immutable object whose ``run(data, frame) -> (next_name, output)`` does the
state's work. Each optional step (InputPath, Parameters, ResultSelector, ResultPath, OutputPath,
Assign) is compiled to an object or ``None``, so ``run`` only tests for ``None`` and calls closures:
no parsing and no walking of the definition happen while a machine runs.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from ..errors import RUNTIME, StatesError
from ..model import ABSENT, JSONATA
from ..paths import PathNotFound, compile_path, set_result_path
from ..payload import compile_template
from .failures import failure

MAX_PAYLOAD_BYTES = 262_144

_NULL_PATH = object()    # "InputPath": null / "OutputPath": null -> {}


class Step:
    """Getter for InputPath / OutputPath: absent -> identity, null -> {}, else the path's value."""

    __slots__ = ("text", "_path", "_null")

    def __init__(self, value: Any):
        self.text = value
        self._null = value is None
        self._path = None if value is None else compile_path(value)

    def get(self, data: Any, ctx: Any, variables: Any) -> Any:
        if self._null:
            return {}
        return self._path.get(data, ctx, variables)


def compile_io_path(value: Any) -> Step | None:
    """``None`` when the field is absent or ``$`` (nothing to do)."""
    if value is ABSENT or value == "$":
        return None
    return Step(value)


class ResultPath:
    """ResultPath: absent -> the result replaces the input; null -> the input is kept."""

    __slots__ = ("text", "_path", "discard")

    def __init__(self, value: Any):
        self.text = value
        self.discard = value is None
        self._path = None if value is None else compile_path(value, reference=True)

    def apply(self, raw: Any, result: Any) -> Any:
        if self.discard:
            return raw
        return set_result_path(self._path, raw, result)


def compile_result_path(value: Any) -> ResultPath | None:
    if value is ABSENT or value == "$":
        return None
    return ResultPath(value)


def compile_optional_template(value: Any, field: str):
    if value is ABSENT:
        return None
    return compile_template(value, field=field)


def mentions(value: Any, *needles: str) -> bool:
    """True when any string in ``value`` (keys included) contains one of ``needles``.

    Used at compile time to build the context object only for states that read it.
    """
    if value is ABSENT:
        return False
    try:
        text = json.dumps(value, ensure_ascii=False, default=_plain)
    except (TypeError, ValueError):
        return True
    return any(needle in text for needle in needles)


def _plain(value: Any) -> Any:
    """json.dumps fallback for the model's read-only mappings and tuples."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(type(value).__name__)


_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_SCALARS = frozenset({int, float, bool})


def json_size(value: Any) -> int:
    """UTF-8 size of ``value`` as compact JSON (what AWS's 256 KiB limit measures).

    Short texts return their length in characters: they cannot reach the limit whatever the
    characters are, and counting bytes would cost a second pass on the hot path.
    """
    if value is None or value.__class__ in _SCALARS:
        return 8                      # well under any limit; no need to encode it
    if value.__class__ is str and len(value) < 40_000:
        return 2 + len(value)         # an upper bound short of escapes: still far under 256 KiB
    try:
        text = _encode(value)
    except (TypeError, ValueError):
        return 0
    if len(text) * 4 <= MAX_PAYLOAD_BYTES:
        return len(text)
    return len(text.encode("utf-8"))


def check_output(value: Any, state_name: str) -> None:
    """AWS fails a state whose output is over 256 KiB (nothing but an exact matcher catches it)."""
    if json_size(value) > MAX_PAYLOAD_BYTES:
        from .failures import data_limit_exceeded

        raise data_limit_exceeded(state_name, terminal=True)


def runtime_error(cause: str) -> StatesError:
    return failure(RUNTIME, cause)


def is_number(value: Any) -> bool:
    """A JSON number (``bool`` is an ``int`` in Python, never in JSON)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def timestamp_seconds(value: Any) -> float | None:
    """Seconds since the epoch of an RFC 3339 timestamp as AWS reads one (Choice ``Timestamp*``, Wait
    ``Timestamp``/``TimestampPath``); None for anything else, non-strings included."""
    from ..timestamps import parse_timestamp    # only machines that compare or wait on timestamps load it

    moment = parse_timestamp(value)
    return None if moment is None else moment.timestamp()


def jsonata_io() -> Any:
    """:mod:`asl.compile.jsonata_io`, imported when the first JSONata state is compiled: JSONPath-only
    machines never load the JSONata evaluator (about a fifth of a cold start)."""
    from . import jsonata_io as module

    return module


class CompiledState:
    """Base of all compiled states. Subclasses implement ``run``.

    By convention a state's data flow is ``io`` (:class:`JsonPathIO`) in JSONPath mode and ``jio`` (an
    object of :mod:`asl.compile.jsonata_io`) in JSONata mode; the other one is None."""

    __slots__ = ("name", "type", "next", "pointer", "jsonata", "entered_type", "exited_type", "model")

    def __init__(self, model: Any):
        self.model = model
        self.name = model.name
        self.type = model.type
        self.pointer = model.pointer
        self.jsonata = model.query_language == JSONATA
        nxt = model.next
        self.next = nxt if isinstance(nxt, str) and model.end is not True else None
        self.entered_type = f"{model.type}StateEntered"
        self.exited_type = f"{model.type}StateExited"

    def run(self, data: Any, frame: Any) -> tuple[str | None, Any]:   # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class Scope:
    """What one run of one state may need besides its data, built lazily.

    The context object (``$$`` / ``$states.context``) is assembled only when an expression asks.
    """

    __slots__ = ("frame", "name", "entered_id", "entered_time", "retry_count", "map_item", "task_token",
                 "_ctx", "env")

    def __init__(self, frame: Any, name: str, entered_id: int, entered_time: float):
        self.frame = frame
        self.name = name
        self.entered_id = entered_id
        self.entered_time = entered_time
        self.retry_count = None
        self.map_item = None
        self.task_token = None
        self._ctx = None
        self.env = None       # the JSONata environment of this state run, built on first need (jsonata_io)

    def context(self) -> dict:
        ctx = self._ctx
        if ctx is None:
            ctx = self._ctx = self.frame.context(
                self.name, self.entered_time, retry_count=self.retry_count, task_token=self.task_token,
                map_item=self.map_item)
        return ctx

    def reset_context(self) -> None:
        """A retry (new RetryCount) or a new task token: the context object, and what saw it, change."""
        self._ctx = None
        self.env = None


class JsonPathIO:
    """The JSONPath data flow of one state: InputPath -> Parameters -> (work) -> ResultSelector ->
    ResultPath -> OutputPath, plus Assign. Absent steps are ``None``."""

    __slots__ = ("input_path", "parameters", "result_selector", "result_path", "output_path", "assign",
                 "uses_context")

    def __init__(self, model: Any, *, parameters: Any = ABSENT, result_selector: Any = ABSENT,
                 result_path: Any = ABSENT, parameters_field: str = "Parameters"):
        self.input_path = compile_io_path(model.input_path)
        self.output_path = compile_io_path(model.output_path)
        self.parameters = compile_optional_template(parameters, parameters_field)
        self.result_selector = compile_optional_template(result_selector, "ResultSelector")
        self.result_path = compile_result_path(result_path)
        self.assign = compile_optional_template(model.assign, "Assign")
        self.uses_context = mentions(_own_fields(model.raw), "$$")

    def effective_input(self, data: Any, scope: Scope) -> Any:
        ctx = scope.context() if self.uses_context else None
        variables = scope.frame.variables
        if self.input_path is not None:
            data = self.input_path.get(data, ctx, variables)
        if self.parameters is not None:
            data = self.parameters.evaluate(data, ctx, variables, scope.frame.run)
        return data

    def finish(self, raw: Any, result: Any, scope: Scope) -> Any:
        """ResultSelector -> ResultPath (merged into the raw input) -> OutputPath."""
        ctx = scope.context() if self.uses_context else None
        variables = scope.frame.variables
        if self.result_selector is not None:
            result = self.result_selector.evaluate(result, ctx, variables, scope.frame.run)
        out = result if self.result_path is None else self.result_path.apply(raw, result)
        if self.output_path is not None:
            out = self.output_path.get(out, ctx, variables)
        return out

    def filter_output(self, data: Any, scope: Scope) -> Any:
        """OutputPath alone (Choice, Wait, Succeed)."""
        if self.output_path is None:
            return data
        ctx = scope.context() if self.uses_context else None
        return self.output_path.get(data, ctx, scope.frame.variables)

    def assigned(self, value: Any, scope: Scope) -> dict | None:
        """Evaluate Assign with ``$`` = ``value``; variables as they were on state entry."""
        if self.assign is None:
            return None
        ctx = scope.context() if self.uses_context else None
        return evaluate_assign(self.assign, value, ctx, scope)


_NESTED_WORKFLOWS = frozenset({"Branches", "ItemProcessor", "Iterator"})


def _own_fields(raw: Mapping[str, Any]) -> dict:
    """A state's fields without the workflows nested in it: ``$$`` inside a Parallel branch or a Map's
    processor is theirs to read, not the enclosing state's."""
    return {key: value for key, value in raw.items() if key not in _NESTED_WORKFLOWS}


def evaluate_assign(template: Any, value: Any, ctx: Any, scope: Scope) -> dict:
    assigned = template.evaluate(value, ctx, scope.frame.variables, scope.frame.run)
    if not isinstance(assigned, dict):
        raise runtime_error("The value of the field 'Assign' must be an object")
    check_variables(assigned)
    return assigned


MAX_VARIABLE_BYTES = 262_144


def check_variables(assigned: dict) -> None:
    """AWS limits one variable, and one Assign, to 256 KiB."""
    total = 0
    for name, value in assigned.items():
        size = json_size(value)
        if size > MAX_VARIABLE_BYTES:
            raise runtime_error(
                f"The variable '{name}' has a size of {size} bytes, which exceeds the maximum size of "
                f"{MAX_VARIABLE_BYTES} bytes.")
        total += size
    if total > MAX_VARIABLE_BYTES:
        raise runtime_error(
            f"The assigned variables have a total size of {total} bytes, which exceeds the maximum size "
            f"of {MAX_VARIABLE_BYTES} bytes.")


__all__ = [
    "Step", "ResultPath", "CompiledState", "Scope", "JsonPathIO", "compile_io_path", "compile_result_path",
    "compile_optional_template", "mentions", "json_size", "check_output", "check_variables", "evaluate_assign",
    "runtime_error", "is_number", "timestamp_seconds", "jsonata_io", "PathNotFound", "MAX_PAYLOAD_BYTES",
]
