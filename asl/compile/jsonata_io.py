"""JSONata-mode data flow of each state kind, compiled once with :mod:`asl.jsonata_expr`.

What AWS binds (ASL_DIGEST §6.3-6.4): ``$states.input`` is always the state's raw input,
``$states.context`` the context object, ``$states.result`` only in a Task/Map/Parallel's Output and
Assign, ``$states.errorOutput`` only in a Catcher's Output and Assign. Output and Assign are
evaluated "in parallel": both see the variables as they were on state entry, and neither sees what
the other produces. Defaults: Arguments -> the input; Output -> the result (Task, Map, Parallel),
the input (Pass, Wait, Choice, Succeed) or the Error Output (Catcher).
"""
from __future__ import annotations

from typing import Any

from ..errors import StatesError
from ..jsonata_expr import JsonataEnv, compile_field, query_evaluation_error
from ..model import ABSENT
from .base import Scope, check_variables, is_number, timestamp_seconds


def _field(value: Any, field: str, expect: str | None = None):
    return None if value is ABSENT else compile_field(value, field=field, expect=expect)


def env_for(scope: Scope, data: Any) -> JsonataEnv:
    """The environment of one state run over ``data``, built once and kept on the scope: every field of
    the state (Arguments, TimeoutSeconds, Choice conditions, Output, Assign, a Catcher's) shares its
    conversions of ``$states.input``, ``$states.context`` and the variables. Fields that also see
    ``$states.result`` / ``$states.errorOutput`` derive from it with :meth:`JsonataEnv.replace`."""
    env = scope.env
    if env is None or env.states_input is not data:
        frame = scope.frame
        env = scope.env = JsonataEnv(states_input=data, context=scope.context, variables=frame.variables,
                                     state_name=scope.name, entered_event_id=scope.entered_id, effects=frame.run)
    return env


def _indexed(node: Any, list_field: str) -> str:
    """``Choices[1]`` / ``Catch[0]``: where AWS says a rule's or a catcher's own fields are."""
    index = node.pointer.rsplit("/", 1)[-1]
    return f"{list_field}[{index}]" if index.isdigit() else list_field


def _assigned(assign: Any, env: JsonataEnv) -> dict | None:
    if assign is None:
        return None
    values = assign.evaluate(env)
    if not isinstance(values, dict):
        raise query_evaluation_error(env, "The value of the field 'Assign' must be an object")
    check_variables(values)
    return values


class StateIO:
    """Output and Assign of a state without a result (Pass, Wait, Choice default, Succeed)."""

    __slots__ = ("output", "assign")

    def __init__(self, model: Any):
        self.output = _field(model.output, "Output")
        self.assign = _field(model.assign, "Assign")

    def pass_through(self, data: Any, scope: Scope) -> tuple[Any, dict | None]:
        if self.output is None and self.assign is None:
            return data, None
        env = env_for(scope, data)
        out = data if self.output is None else self.output.evaluate(env)
        return out, _assigned(self.assign, env)


class TaskIO:
    """Arguments -> (work) -> Output/Assign with ``$states.result`` (Task, Parallel)."""

    __slots__ = ("arguments_field", "output", "assign", "timeout", "heartbeat", "credentials")

    def __init__(self, model: Any):
        self.arguments_field = _field(getattr(model, "arguments", ABSENT), "Arguments")
        self.output = _field(model.output, "Output")
        self.assign = _field(model.assign, "Assign")
        timeout = getattr(model, "timeout_seconds", ABSENT)
        heartbeat = getattr(model, "heartbeat_seconds", ABSENT)
        self.timeout = _field(timeout, "TimeoutSeconds", "integer") if isinstance(timeout, str) else None
        self.heartbeat = _field(heartbeat, "HeartbeatSeconds", "integer") if isinstance(heartbeat, str) else None

    def arguments(self, data: Any, scope: Scope) -> Any:
        if self.arguments_field is None:
            return data
        return self.arguments_field.evaluate(env_for(scope, data))

    def timeouts(self, data: Any, scope: Scope, timeout: int | None, heartbeat: int | None
                 ) -> tuple[int | None, int | None]:
        if self.timeout is not None or self.heartbeat is not None:
            env = env_for(scope, data)
            if self.timeout is not None:
                timeout = _positive(self.timeout.evaluate(env), env, "TimeoutSeconds")
            if self.heartbeat is not None:
                heartbeat = _positive(self.heartbeat.evaluate(env), env, "HeartbeatSeconds")
        return timeout, heartbeat

    def finish(self, data: Any, result: Any, scope: Scope) -> tuple[Any, dict | None]:
        if self.output is None and self.assign is None:
            return result, None
        env = env_for(scope, data).replace(result=result)
        out = result if self.output is None else self.output.evaluate(env)
        return out, _assigned(self.assign, env)


def _positive(value: Any, env: JsonataEnv, field: str) -> int:
    if value <= 0:
        raise query_evaluation_error(
            env, f"The value of the field '{field}' must be a positive integer, but was: {value}",
            location=field)
    return value


class MapIO(TaskIO):
    """Items -> ItemSelector per item -> (iterations) -> Output/Assign (Map)."""

    __slots__ = ("items_field", "item_selector", "max_concurrency", "tolerated_count", "tolerated_percentage",
                 "static_count", "static_percentage")

    def __init__(self, model: Any):
        super().__init__(model)
        self.items_field = _field(model.items, "Items", "array")
        self.item_selector = _field(model.item_selector, "ItemSelector")
        self.max_concurrency = _field(model.max_concurrency, "MaxConcurrency", "integer") if isinstance(
            model.max_concurrency, str) else None
        self.tolerated_count = _field(model.tolerated_failure_count, "ToleratedFailureCount", "number") if isinstance(
            model.tolerated_failure_count, str) else None
        self.tolerated_percentage = _field(model.tolerated_failure_percentage, "ToleratedFailurePercentage",
                                           "number") if isinstance(model.tolerated_failure_percentage, str) else None
        self.static_count = _number(model.tolerated_failure_count)
        self.static_percentage = _number(model.tolerated_failure_percentage)

    def items(self, data: Any, scope: Scope) -> tuple[Any, list, Any]:
        env = env_for(scope, data)
        if self.items_field is not None:
            items = self.items_field.evaluate(env)
        else:
            items = data
            if not isinstance(items, list):
                from ..paths import compact_json

                raise query_evaluation_error(env, f"Map state input must be an array but was: {compact_json(items)}")
        limit = None
        if self.max_concurrency is not None:
            limit = self.max_concurrency.evaluate(env)
            if limit < 0:
                raise query_evaluation_error(env, "MaxConcurrency cannot be negative.", location="MaxConcurrency")
        return data, items, limit

    def tolerance(self, data: Any, scope: Scope) -> tuple[Any, Any]:
        count, percentage = self.static_count, self.static_percentage
        if self.tolerated_count is not None or self.tolerated_percentage is not None:
            env = env_for(scope, data)
            if self.tolerated_count is not None:
                count = self.tolerated_count.evaluate(env)
            if self.tolerated_percentage is not None:
                percentage = self.tolerated_percentage.evaluate(env)
            if count is not None and count < 0:
                raise query_evaluation_error(env, "ToleratedFailureCount cannot be negative.")
            if percentage is not None and not 0 <= percentage <= 100:
                raise query_evaluation_error(env, "ToleratedFailurePercentage must be between 0 and 100.")
        return count, percentage

    def item_input(self, effective: Any, index: int, item: Any, scope: Scope, key: Any = None) -> Any:
        if self.item_selector is None:
            return item
        ctx = scope.frame.context(scope.name, scope.entered_time, map_item=(index, item, key))
        return self.item_selector.evaluate(env_for(scope, effective).replace(context=ctx))


def _number(value: Any) -> Any:
    return value if is_number(value) else None


class FailIO:
    """Fail ``Error`` / ``Cause``, each a string or an expression giving one."""

    __slots__ = ("error", "cause")

    def __init__(self, model: Any):
        self.error = _field(model.error, "Error", "string")
        self.cause = _field(model.cause, "Cause", "string")

    def error_and_cause(self, data: Any, scope: Scope) -> tuple[str | None, str | None]:
        env = env_for(scope, data)
        error = None if self.error is None else self.error.evaluate(env)
        cause = None if self.cause is None else self.cause.evaluate(env)
        return error, cause


class WaitIO(StateIO):
    """Wait ``Seconds`` (integer >= 0) or ``Timestamp`` (RFC 3339 string), literal or expression."""

    __slots__ = ("seconds", "timestamp")

    def __init__(self, model: Any):
        super().__init__(model)
        self.seconds = _field(model.seconds, "Seconds", "integer")
        self.timestamp = _field(model.timestamp, "Timestamp", "string")

    def delay(self, data: Any, scope: Scope) -> tuple[float | None, float | None]:
        env = env_for(scope, data)
        if self.seconds is not None:
            seconds = self.seconds.evaluate(env)
            if seconds < 0:
                raise query_evaluation_error(
                    env, f"The value of the field 'Seconds' must be a non-negative integer, but was: {seconds}",
                    location="Seconds")
            return seconds, None
        if self.timestamp is not None:
            text = self.timestamp.evaluate(env)
            moment = timestamp_seconds(text)
            if moment is None:
                exc = query_evaluation_error(
                    env, "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format "
                         f"string: {text}", location="Timestamp")
                exc.follows_entered = True   # AWS chains this one after the Entered event itself
                raise exc
            return None, moment
        return None, None


class CatcherIO:
    """A Catcher's Output (default: the Error Output) and Assign, with ``$states.errorOutput``.

    ``location`` prefixes the fields in error causes and ``EvaluationFailed`` events (``Catch[1]`` gives
    ``Catch[1]/Output/v``, as AWS reports them); by default it is taken from the catcher's pointer."""

    __slots__ = ("output_field", "assign")

    def __init__(self, model: Any, location: str | None = None):
        location = _indexed(model, "Catch") if location is None else location
        self.output_field = _field(model.output, f"{location}/Output")
        self.assign = _field(model.assign, f"{location}/Assign")

    def output(self, raw: Any, error: dict, scope: Scope) -> tuple[Any, dict | None]:
        env = env_for(scope, raw).replace(error_output=error)
        out = error if self.output_field is None else self.output_field.evaluate(env)
        return out, _assigned(self.assign, env)


class RuleIO:
    """A matched Choice rule's own Output and Assign (the state-level ones are then skipped).

    ``location`` prefixes the fields as for :class:`CatcherIO` (``Choices[0]/Output/...``)."""

    __slots__ = ("output", "assign")

    def __init__(self, rule: Any, location: str | None = None):
        location = _indexed(rule, "Choices") if location is None else location
        self.output = _field(rule.output, f"{location}/Output")
        self.assign = _field(rule.assign, f"{location}/Assign")

    def apply(self, data: Any, scope: Scope) -> tuple[Any, dict | None]:
        if self.output is None and self.assign is None:
            return data, None
        env = env_for(scope, data)
        out = data if self.output is None else self.output.evaluate(env)
        return out, _assigned(self.assign, env)


def compile_condition(rule: Any):
    """A JSONata Choice rule's ``Condition``: a boolean literal or an expression giving a boolean."""
    condition = rule.condition
    if isinstance(condition, bool):
        return lambda data, scope: condition
    index = rule.pointer.rsplit("/", 1)[-1]
    field = compile_field(condition, field=f"Choices[{index}]/Condition" if index.isdigit() else "Condition",
                          expect="boolean")

    def test(data: Any, scope: Scope) -> bool:
        return field.evaluate(env_for(scope, data)) is True
    return test


__all__ = ["StateIO", "TaskIO", "MapIO", "FailIO", "WaitIO", "CatcherIO", "RuleIO", "compile_condition",
           "env_for", "StatesError"]
