"""Payload templates (Parameters, ResultSelector, ItemSelector, JSONPath Assign, BatchInput, ...).

A template is JSON in which a key ending in ``.$`` holds an expression: a path on the template's input
(``$.x``), on the context object (``$$.x``), on a variable (``$v``), or an intrinsic function call. The
key is renamed without ``.$`` and gets the value; everything else is copied literally.

:func:`compile_template` does all the parsing once and returns a :class:`Template` whose ``evaluate``
only runs the precompiled closures. Literal subtrees without any ``.$`` key are not rebuilt on each
evaluation: they are shared with the definition, so callers must treat results as immutable (as they
must treat every JSON value the runtime passes around).

:func:`compile_value_path` does the same for one expression in a ``*Path`` field that accepts an
intrinsic too (Fail ``ErrorPath``/``CausePath``).
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

from .diagnostics import pointer_join
from .errors import RUNTIME, AslError, StatesError
from .paths import INPUT, PathNotFound, PathSyntaxError, compact_json, compile_path

Evaluator = Callable[[Any, Any, Any, Any], Any]   # (data, context, variables, effects) -> value

NULL_INPUT_CAUSE = "Unable to apply Path transformation to null or empty input."


class TemplateError(AslError, ValueError):
    """A template that cannot be compiled. ``pointer`` is relative to the template (``/a/b.$``),
    ``column`` the 1-based position inside the offending expression (1 when not about an expression)."""

    def __init__(self, message: str, pointer: str = "", column: int = 1):
        self.message = message
        self.pointer = pointer
        self.column = column
        super().__init__(f"{message} at {pointer or '/'}")


def not_found_cause(path_text: str, field: str, data: Any) -> str:
    """AWS's cause when a path in a template (or ErrorPath/CausePath) matches nothing."""
    return (f"The JSONPath '{path_text}' specified for the field '{field}' could not be found in the "
            f"input '{compact_json(data)}'")


def compile_expression(text: Any, *, field: str, pointer: str = "") -> Evaluator:
    """Compile the value of one ``.$`` key (or ``*Path`` field) into an evaluator closure.

    ``field`` is the name AWS uses in causes (the key with its ``.$``, or e.g. ``ErrorPath``).
    """
    if not isinstance(text, str):
        raise TemplateError(f"The value for the field '{field}' must be a string", pointer)
    if text != text.lstrip():
        raise TemplateError(f"The value for the field '{field}' must be a valid JSONPath or a valid intrinsic "
                            "function call: it must not start with blanks", pointer)
    if text.startswith("$"):
        try:
            path = compile_path(text)
        except PathSyntaxError as exc:
            raise TemplateError(
                f"The value for the field '{field}' must be a valid JSONPath: {exc.message}",
                pointer, exc.column) from None
        get = path.get
        needs_input = path.kind == INPUT

        def evaluate_path(data: Any, context: Any, variables: Any, effects: Any) -> Any:
            if needs_input and data is None:
                raise StatesError(RUNTIME, NULL_INPUT_CAUSE)
            try:
                return get(data, context, variables)
            except PathNotFound:
                raise StatesError(RUNTIME, not_found_cause(text, field, data)) from None
        return evaluate_path

    from .intrinsics import IntrinsicSyntaxError, compile_intrinsic

    try:
        intrinsic = compile_intrinsic(text, field=field)
    except IntrinsicSyntaxError as exc:
        raise TemplateError(
            f"The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function "
            f"call: {exc.message}", pointer, exc.column) from None
    return intrinsic.evaluate


class Template:
    """A compiled payload template: ``evaluate(data, context, variables, effects) -> JSON value``."""

    __slots__ = ("value", "field", "_evaluate", "is_static")

    def __init__(self, value: Any, field: str, evaluate: Evaluator, is_static: bool):
        self.value = value
        self.field = field
        self._evaluate = evaluate
        self.is_static = is_static      # True when no ``.$`` key exists anywhere in it

    def __repr__(self) -> str:
        return f"Template({self.field})"

    def evaluate(self, data: Any, context: Any = None, variables: Mapping[str, Any] | None = None,
                 effects: Any = None) -> Any:
        return self._evaluate(data, context, variables, effects)


_STATIC = object()   # marks a compiled subtree with nothing to evaluate


def _build(value: Any, pointer: str) -> Any:
    """Return either ``(_STATIC, value)`` or ``(evaluator, None)`` for a template subtree."""
    if isinstance(value, dict):
        parts: list[tuple[str, Any, Any]] = []   # (output key, evaluator or None, literal)
        seen: dict[str, str] = {}
        dynamic = False
        for key, item in value.items():
            child_pointer = pointer_join(pointer, key)
            if isinstance(key, str) and key.endswith(".$"):
                out = key[:-2]
                evaluator = compile_expression(item, field=key, pointer=child_pointer)
                parts.append((out, evaluator, None))
                dynamic = True
            else:
                out = key
                kind, literal = _build(item, child_pointer)
                if kind is _STATIC:
                    parts.append((out, None, literal))
                else:
                    parts.append((out, kind, None))
                    dynamic = True
            if out in seen:
                raise TemplateError(
                    f"The field '{key}' duplicates the field '{seen[out]}' once '.$' is removed",
                    child_pointer)
            seen[out] = key
        if not dynamic:
            return _STATIC, value
        frozen = tuple(parts)

        def evaluate_object(data: Any, context: Any, variables: Any, effects: Any) -> dict:
            out: dict[str, Any] = {}
            for name, evaluator, literal in frozen:
                out[name] = literal if evaluator is None else evaluator(data, context, variables, effects)
            return out
        return evaluate_object, None
    if isinstance(value, list):
        items = [_build(item, pointer_join(pointer, index)) for index, item in enumerate(value)]
        if all(kind is _STATIC for kind, _ in items):
            return _STATIC, value
        frozen_items = tuple(items)

        def evaluate_array(data: Any, context: Any, variables: Any, effects: Any) -> list:
            return [literal if kind is _STATIC else kind(data, context, variables, effects)
                    for kind, literal in frozen_items]
        return evaluate_array, None
    return _STATIC, value


def compile_template(value: Any, *, field: str = "Parameters") -> Template:
    """Compile a payload template once; raises :class:`TemplateError` for a bad ``.$`` value.

    ``field`` names the template in messages (``Parameters``, ``ResultSelector``, ``ItemSelector``,
    ``Assign``, ...). Top-level non-objects are compiled as literals (the linter reports them).
    """
    kind, literal = _build(value, "")
    if kind is _STATIC:
        if isinstance(literal, dict):
            # a fresh top-level object each time, so a caller adding keys never touches the definition
            def evaluate_static(data: Any, context: Any, variables: Any, effects: Any) -> Any:
                return dict(literal)
        else:
            def evaluate_static(data: Any, context: Any, variables: Any, effects: Any) -> Any:
                return literal
        return Template(value, field, evaluate_static, True)
    return Template(value, field, kind, False)


def check_template(value: Any, *, field: str = "Parameters") -> list[tuple[str, str, int]]:
    """For the linter: every problem in a template as ``(relative pointer, message, column)``.

    Unlike :func:`compile_template` it does not stop at the first problem.
    """
    problems: list[tuple[str, str, int]] = []
    _check(value, "", problems)
    return problems


def _check(value: Any, pointer: str, problems: list) -> None:
    if isinstance(value, dict):
        seen: dict[str, str] = {}
        for key, item in value.items():
            child_pointer = pointer_join(pointer, key)
            if isinstance(key, str) and key.endswith(".$"):
                out = key[:-2]
                try:
                    compile_expression(item, field=key, pointer=child_pointer)
                except TemplateError as exc:
                    problems.append((exc.pointer, exc.message, exc.column))
            else:
                out = key
                _check(item, child_pointer, problems)
            if out in seen:
                problems.append((child_pointer,
                                 f"The field '{key}' duplicates the field '{seen[out]}' once '.$' is removed", 1))
            seen[out] = key
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, pointer_join(pointer, index), problems)


class ValueExpression:
    """One compiled path-or-intrinsic (Fail ``ErrorPath``/``CausePath``): ``evaluate(...) -> value``."""

    __slots__ = ("text", "field", "_evaluate")

    def __init__(self, text: str, field: str, evaluate: Evaluator):
        self.text = text
        self.field = field
        self._evaluate = evaluate

    def __repr__(self) -> str:
        return f"ValueExpression({self.field}={self.text!r})"

    def evaluate(self, data: Any, context: Any = None, variables: Mapping[str, Any] | None = None,
                 effects: Any = None) -> Any:
        return self._evaluate(data, context, variables, effects)


def compile_value_path(text: Any, *, field: str) -> ValueExpression:
    """Compile a ``*Path`` field value that may be a path or an intrinsic (e.g. ``ErrorPath``).

    A path that matches nothing fails with AWS's ``The JSONPath '...' specified for the field
    'ErrorPath' could not be found in the input '...'``.
    """
    return ValueExpression(text, field, compile_expression(text, field=field))


__all__ = [
    "Template", "TemplateError", "ValueExpression", "compile_template", "compile_value_path",
    "compile_expression", "check_template", "not_found_cause", "NULL_INPUT_CAUSE",
]
