"""Compiled Pass, Succeed, Fail and Wait states (Choice lives in choice.py, Task in task.py,
Parallel and Map in parallel.py / map_state.py)."""
from __future__ import annotations

from typing import Any

from ..errors import StatesError
from ..model import ABSENT
from ..paths import PathNotFound, compact_json, compile_path
from ..payload import compile_value_path
from .base import (
    CompiledState, JsonPathIO, Scope, check_output, is_number, json_size, mentions, MAX_PAYLOAD_BYTES, runtime_error,
    jsonata_io, timestamp_seconds,
)
from .failures import data_limit_exceeded, failure, in_state

# Waits past 2**31 - 1 seconds are refused by AWS ("Wait state delay is too long.").
MAX_WAIT_SECONDS = 2 ** 31 - 1


class PassState(CompiledState):
    __slots__ = ("io", "result", "has_result", "result_too_large", "jio", "may_grow", "plain", "_steps")

    def __init__(self, model: Any):
        super().__init__(model)
        self.jio = jsonata_io().StateIO(model) if self.jsonata else None
        self.io = None if self.jsonata else JsonPathIO(
            model, parameters=model.parameters, result_path=model.result_path)
        self.has_result = model.result is not ABSENT
        self.result = model.result if self.has_result else None
        self.result_too_large = self.has_result and json_size(self.result) > MAX_PAYLOAD_BYTES
        # only a Pass that adds data (Parameters, ResultPath, JSONata Output) can outgrow its input
        self.may_grow = (self.jio is not None and self.jio.output is not None) or (
            self.io is not None and (self.io.parameters is not None or self.io.result_path is not None))
        # the common JSONPath Pass (no $$, no Assign) runs without building a Scope
        io = self.io
        self.plain = io is not None and not io.uses_context and io.assign is None and not self.result_too_large
        self._steps = None if io is None else (io.input_path, io.parameters, io.result_path, io.output_path)

    def run(self, data: Any, frame: Any) -> tuple[str | None, Any]:
        if self.plain:
            return self._run_plain(data, frame)
        entered = frame.entered(self.entered_type, self.name, data)
        scope = Scope(frame, self.name, entered, frame.clock.now())
        if self.result_too_large:
            raise data_limit_exceeded(self.name, terminal=True)
        try:
            if self.jio is not None:
                out, assigned = self.jio.pass_through(data, scope)
            else:
                io = self.io
                value = io.effective_input(data, scope)
                if self.has_result:
                    value = self.result
                assigned = io.assigned(value, scope) if io.assign is not None else None
                out = io.finish(data, value, scope)
        except StatesError as exc:
            raise in_state(exc, self.name, entered, frame) from None
        if self.may_grow:
            check_output(out, self.name)
        if assigned:
            frame.variables.update(assigned)
        frame.exited(self.exited_type, self.name, out, assigned)
        return self.next, out


    def _run_plain(self, data: Any, frame: Any) -> tuple[str | None, Any]:
        entered = frame.entered(self.entered_type, self.name, data)
        input_path, parameters, result_path, output_path = self._steps
        variables = frame.variables
        try:
            value = data if input_path is None else input_path.get(data, None, variables)
            if parameters is not None:
                value = parameters.evaluate(value, None, variables, frame.run)
            if self.has_result:
                value = self.result
            out = value if result_path is None else result_path.apply(data, value)
            if output_path is not None:
                out = output_path.get(out, None, variables)
        except StatesError as exc:
            raise in_state(exc, self.name, entered, frame) from None
        if self.may_grow:
            check_output(out, self.name)
        frame.exited(self.exited_type, self.name, out)
        return self.next, out


class SucceedState(CompiledState):
    __slots__ = ("io", "jio")

    def __init__(self, model: Any):
        super().__init__(model)
        self.next = None
        self.jio = jsonata_io().StateIO(model) if self.jsonata else None
        self.io = None if self.jsonata else JsonPathIO(model)

    def run(self, data: Any, frame: Any) -> tuple[str | None, Any]:
        entered = frame.entered(self.entered_type, self.name, data)
        scope = Scope(frame, self.name, entered, frame.clock.now())
        try:
            if self.jio is not None:
                out, _ = self.jio.pass_through(data, scope)
            else:
                out = self.io.filter_output(self.io.effective_input(data, scope), scope)
        except StatesError as exc:
            raise in_state(exc, self.name, entered, frame) from None
        frame.exited(self.exited_type, self.name, out)
        return None, out


class FailState(CompiledState):
    """Ends the execution (or the branch / iteration) with an error; ``Error``/``Cause`` may be
    computed (``ErrorPath``/``CausePath`` in JSONPath, ``{% %}`` in JSONata)."""

    __slots__ = ("error", "cause", "error_expr", "cause_expr", "uses_context", "jio")

    def __init__(self, model: Any):
        super().__init__(model)
        self.next = None
        self.error = model.error if isinstance(model.error, str) else None
        self.cause = model.cause if isinstance(model.cause, str) else None
        self.error_expr = self.cause_expr = None
        self.jio = None
        if self.jsonata:
            self.jio = jsonata_io().FailIO(model)
        else:
            if isinstance(model.error_path, str):
                self.error_expr = compile_value_path(model.error_path, field="ErrorPath")
            if isinstance(model.cause_path, str):
                self.cause_expr = compile_value_path(model.cause_path, field="CausePath")
        self.uses_context = mentions(model.error_path, "$$") or mentions(model.cause_path, "$$")

    def run(self, data: Any, frame: Any) -> tuple[str | None, Any]:
        entered = frame.entered("FailStateEntered", self.name, data)
        error, cause = self.error, self.cause
        if self.jio is not None or self.error_expr is not None or self.cause_expr is not None:
            scope = Scope(frame, self.name, entered, frame.clock.now())
            try:
                if self.jio is not None:
                    error, cause = self.jio.error_and_cause(data, scope)
                else:
                    ctx = scope.context() if self.uses_context else None
                    if self.error_expr is not None:
                        error = _as_text(self.error_expr.evaluate(data, ctx, frame.variables, frame.run))
                    if self.cause_expr is not None:
                        cause = _as_text(self.cause_expr.evaluate(data, ctx, frame.variables, frame.run))
            except StatesError as exc:
                raise in_state(exc, self.name, entered, frame) from None
        raise failure(error, cause)


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else compact_json(value)


class WaitState(CompiledState):
    """Waits on the injected clock: a 30-day Wait on the virtual clock returns at once."""

    __slots__ = ("io", "jio", "seconds", "timestamp", "seconds_path", "timestamp_path")

    def __init__(self, model: Any):
        super().__init__(model)
        self.jio = jsonata_io().WaitIO(model) if self.jsonata else None
        self.io = None if self.jsonata else JsonPathIO(model)
        self.seconds = model.seconds if is_number(model.seconds) else None
        self.timestamp = None
        if isinstance(model.timestamp, str) and not self.jsonata:
            self.timestamp = timestamp_seconds(model.timestamp)
        self.seconds_path = compile_path(model.seconds_path, reference=True) if isinstance(
            model.seconds_path, str) else None
        self.timestamp_path = compile_path(model.timestamp_path, reference=True) if isinstance(
            model.timestamp_path, str) else None

    def run(self, data: Any, frame: Any) -> tuple[str | None, Any]:
        entered = frame.entered(self.entered_type, self.name, data)
        clock = frame.clock
        scope = Scope(frame, self.name, entered, clock.now())
        try:
            if self.jio is not None:
                delay, until = self.jio.delay(data, scope)
                assigned = None
            else:
                effective = self.io.effective_input(data, scope)
                delay, until = self._delay(effective, scope)
                assigned = self.io.assigned(effective, scope) if self.io.assign is not None else None
            if until is not None:
                delay = until - clock.now()
            if delay is not None and delay > MAX_WAIT_SECONDS:
                raise runtime_error("Wait state delay is too long.")
            if self.jio is not None:
                out, assigned = self.jio.pass_through(data, scope)
            else:
                out = self.io.filter_output(effective, scope)
        except StatesError as exc:
            raise in_state(exc, self.name, entered, frame) from None
        if delay is not None and delay > 0:
            frame.sleep(delay)
        if assigned:
            frame.variables.update(assigned)
        frame.exited(self.exited_type, self.name, out, assigned)
        return self.next, out

    def _delay(self, data: Any, scope: Scope) -> tuple[float | None, float | None]:
        if self.seconds is not None:
            return self.seconds, None
        if self.timestamp is not None:
            return None, self.timestamp
        ctx = scope.context() if self.io.uses_context else None
        if self.seconds_path is not None:
            text = self.seconds_path.text
            try:
                value = self.seconds_path.get(data, ctx, scope.frame.variables)
            except PathNotFound:
                raise runtime_error(f"The SecondsPath parameter does not reference an input value: {text}")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                    isinstance(value, float) and not value.is_integer()):
                raise runtime_error(
                    f"The SecondsPath parameter cannot be parsed as a long value: {text} == {compact_json(value)}")
            if value < 0:
                raise runtime_error(
                    f"The SecondsPath parameter references a negative value: {text} == {compact_json(value)}")
            return float(value), None
        if self.timestamp_path is not None:
            text = self.timestamp_path.text
            try:
                value = self.timestamp_path.get(data, ctx, scope.frame.variables)
            except PathNotFound:
                raise runtime_error(f"The TimestampPath parameter does not reference an input value: {text}")
            moment = timestamp_seconds(value)
            if moment is None:
                shown = value if isinstance(value, str) else compact_json(value)
                raise runtime_error(
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
                    f"date-time format string: {text} == {shown}")
            return None, moment
        return None, None


__all__ = ["PassState", "SucceedState", "FailState", "WaitState", "MAX_WAIT_SECONDS"]
