"""JSONata expressions as AWS Step Functions evaluates them: compiled once, evaluated per state.

A JSONata-mode field (``Arguments``, ``Output``, ``Assign``, ``Items``, ``Condition``, ``Seconds``...) holds
JSON in which every string that starts with ``{%`` and ends with ``%}`` is an expression
(:func:`is_expression`). :func:`compile_field` parses every such expression once, when the machine is
compiled, and returns a :class:`CompiledField`; evaluating it per state costs one tree walk per expression
and no parsing.

Per evaluation, a :class:`JsonataEnv` supplies what AWS binds: ``$states.input``, ``$states.context``,
``$states.result`` / ``$states.errorOutput`` where they exist, the workflow variables (``$name``), and the
effects the unseeded ``$random``/``$uuid``/``$now`` draw from. Nothing is copied into the evaluator up
front: ``$states`` and each variable are converted on first use and cached on the env, so an expression
that reads one variable pays for that one.

Failures are :class:`QueryEvaluationError` (a :class:`~asl.errors.StatesError` named
``States.QueryEvaluationError``) whose cause is AWS's text, e.g.::

    An error occurred while executing the state 'S' (entered at the event id #2). The JSONata expression
    '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).

The field location uses AWS's notation: ``/`` before each object key, ``[i]`` for each array index
(``Output/a/b[0]``, ``Assign/x``, ``Arguments/FunctionName``).

Results are plain JSON the way AWS writes them: numbers that are whole are integers, JSONata sequences
are lists, JSONata null is ``None``, non-finite numbers are the strings ``"Infinity"``/``"NaN"``; a function
is "an unsupported result type". Every evaluation runs under AWS's guards — 100 levels of nesting
("Stack overflow error"), a real-time budget (1 s by default, whatever clock the run uses) and a size
bound on ranges and strings ("Expression evaluation memory limit exceeded") — so no expression hangs.

This module is the public face; the parts behind it:

* :mod:`asl.jsonata_syntax` — recognising ``{% %}``, parsing once (cached), the linter's :func:`analyze`;
* :mod:`asl.jsonata_engine` — the evaluator (jsonata-python's, with AWS's edges, guards and lazy bindings);
* :mod:`asl.jsonata_closures` — closures for the everyday subset (``$i < $n``, ``{'x': $a + 1}``), ~1 µs;
* :mod:`asl.jsonata_functions` — AWS's added functions, effects, limits, JSON <-> JSONata data.
"""
from __future__ import annotations

import json
import math
from typing import Any, Iterable, Mapping

from . import _jsonata_lib  # noqa: F401  (first: keeps the recursion limit unchanged)
from jsonata.jexception import JException
from jsonata.utils import Utils

from .errors import QUERY_EVALUATION_ERROR, AslError, StatesError
from .jsonata_closures import Fallback, compile_closure
from .jsonata_engine import NONE as _NONE
from .jsonata_engine import direct_path, evaluate, mark_direct_paths, operations, read_direct
from .jsonata_functions import (
    MAX_DEPTH,
    DefaultEffects,
    JsonataAbort,
    MemoryLimitExceeded,
    StackOverflow,
    default_effects,
    to_jsonata,
)
from .jsonata_syntax import Analysis, analyze, expression_body, is_expression, known_function_names, parse
from .model import ABSENT

__all__ = [
    "Analysis", "CompiledField", "DefaultEffects", "JsonataEnv", "JsonataSyntaxError", "QueryEvaluationError",
    "analyze", "compile_field", "expression_body", "is_expression", "known_function_names",
    "query_evaluation_error", "DEFAULT_TIME_LIMIT",
]

DEFAULT_TIME_LIMIT = 1.0          # seconds of real time per expression (AWS: "Expression evaluation timeout")
_NULL = Utils.NULL_VALUE
_LONG_MIN, _LONG_MAX = -(2 ** 63), 2 ** 63 - 1


# ---------------------------------------------------------------------------------------------------
# recognising expressions

# is_expression / expression_body come from .jsonata_syntax (the linter needs them without the evaluator)


# ---------------------------------------------------------------------------------------------------
# errors

class JsonataSyntaxError(AslError):
    """An expression does not parse. Definitions the linter accepted never raise it.

    ``message`` is JSONata's (with its code, e.g. ``S0207: Unexpected end of expression``), ``position`` is
    the character offset inside :attr:`expression` JSONata reports, ``field`` the AWS field location.
    """

    def __init__(self, expression: str, message: str, position: int, field: str):
        self.expression = expression
        self.message = message
        self.position = position
        self.field = field
        super().__init__(f"The JSONata expression '{expression}' specified for the field '{field}' "
                         f"is invalid: {message}")


class QueryEvaluationError(StatesError):
    """``States.QueryEvaluationError``: ``location`` is the field (``Output/x``), or None where AWS gives
    none; ``state`` the state's name. The runtime records both in the ``EvaluationFailed`` event."""

    def __init__(self, cause: str, *, location: str | None = None, state: str | None = None):
        super().__init__(QUERY_EVALUATION_ERROR, cause)
        self.location = location
        self.state = state


def _cause_prefix(env: "JsonataEnv") -> str:
    if env.state_name is None:
        return ""
    return (f"An error occurred while executing the state '{env.state_name}' "
            f"(entered at the event id #{env.entered_event_id}). ")


def query_evaluation_error(env: "JsonataEnv", message: str, *, location: str | None = None) -> QueryEvaluationError:
    """A QueryEvaluationError for a failure the runtime detects itself (e.g. ``Map state input must be an
    array but was: true``, or a Timestamp that does not parse), with AWS's state prefix."""
    return QueryEvaluationError(_cause_prefix(env) + message, location=location, state=env.state_name)


# ---------------------------------------------------------------------------------------------------
# the per-evaluation environment

class JsonataEnv:
    """What one state's expressions see. Build one per state entry (cheap: nothing is converted until
    read) and derive the Output/Assign/Catch environments with :meth:`replace`, which keeps the caches.

    ``context`` may be the context object or a zero-argument callable producing it (built only if an
    expression reads ``$states``). ``variables`` maps workflow variable names to JSON values as they were
    on state entry. ``result`` / ``error_output`` are :data:`~asl.model.ABSENT` where AWS does not bind
    ``$states.result`` / ``$states.errorOutput``. ``effects`` supplies ``random()``, ``uuid()`` and optionally
    ``now_millis()`` or ``clock.now()`` (None: a private unseeded source and the real clock).
    """

    __slots__ = ("states_input", "context", "variables", "result", "error_output", "state_name",
                 "entered_event_id", "effects", "time_limit", "_states", "_members", "_converted")

    def __init__(self, *, states_input: Any = None, context: Any = None, variables: Mapping[str, Any] | None = None,
                 result: Any = ABSENT, error_output: Any = ABSENT, state_name: str | None = None,
                 entered_event_id: int | None = None, effects: Any = None,
                 time_limit: float = DEFAULT_TIME_LIMIT):
        self.states_input = states_input
        self.context = context
        self.variables = variables if variables is not None else {}
        self.result = result
        self.error_output = error_output
        self.state_name = state_name
        self.entered_event_id = entered_event_id
        self.effects = effects if effects is not None else default_effects()
        self.time_limit = time_limit
        self._states: Any = _NONE
        self._members: dict[str, tuple[Any, Any]] = {}
        self._converted: dict[str, Any] = {}

    def replace(self, **changes: Any) -> "JsonataEnv":
        """A copy with some fields changed; conversions already done are shared where still valid."""
        new = JsonataEnv.__new__(JsonataEnv)
        for name in ("states_input", "context", "variables", "result", "error_output", "state_name",
                     "entered_event_id", "effects", "time_limit"):
            setattr(new, name, changes.pop(name, getattr(self, name)))
        if changes:
            raise TypeError(f"unknown JsonataEnv fields: {', '.join(changes)}")
        new._states = _NONE
        new._members = {key: cached for key, cached in self._members.items()
                        if new._states_source(key) is cached[0]}
        new._converted = self._converted if new.variables is self.variables else {}
        return new

    # the evaluator's lookups (called by _EvalFrame and the direct-path reader)
    def _states_source(self, key: str) -> Any:
        if key == "input":
            return self.states_input
        if key == "context":
            return self.context
        if key == "result":
            return self.result
        if key == "errorOutput":
            return self.error_output
        return ABSENT

    def _states_member(self, key: str) -> Any:
        """One member of ``$states``, converted once; ``_NONE`` when AWS does not bind it."""
        cached = self._members.get(key)
        if cached is not None:
            return cached[1]
        source = self._states_source(key)
        if source is ABSENT:
            return _NONE
        value = source() if key == "context" and callable(source) else source
        converted = to_jsonata(value)
        self._members[key] = (source, converted)
        return converted

    def _states_value(self) -> dict:
        states = self._states
        if states is _NONE:
            states = {}
            for key in ("input", "context", "result", "errorOutput"):
                value = self._states_member(key)
                if value is not _NONE:
                    states[key] = value
            self._states = states
        return states

    def _variable(self, name: str) -> Any:
        converted = self._converted.get(name, _NONE)
        if converted is _NONE:
            value = self.variables.get(name, _NONE)
            if value is _NONE:
                return _NONE
            converted = self._converted[name] = to_jsonata(value)
        return converted



# ---------------------------------------------------------------------------------------------------
# results -> plain JSON

class _Unsupported(Exception):
    """The result holds something JSON cannot: a function, a regex."""


def _finite_or_name(number: float) -> Any:
    if math.isnan(number):
        return "NaN"
    return "Infinity" if number > 0 else "-Infinity"


def to_json(value: Any) -> Any:
    """An evaluator result -> fresh plain JSON (never aliasing the inputs), AWS's number notation."""
    kind = type(value)
    if kind is str or kind is bool:
        return value
    if kind is int:   # AWS's number model: exact within a Java long, a double past it
        return value if _LONG_MIN <= value <= _LONG_MAX else float(value)
    if value is None or value is _NULL:
        return None
    if kind is float:
        if not math.isfinite(value):
            return _finite_or_name(value)
        if value.is_integer() and abs(value) < 2 ** 53:
            return int(value)
        return value
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return to_json(float(value)) if isinstance(value, float) else int(value)
    raise _Unsupported()


_JSON_TYPE_NAMES = ((bool, "boolean"), (str, "string"), (int, "number"), (float, "number"),
                    (list, "array"), (dict, "object"))


def json_type_name(value: Any) -> str:
    """JSON's name for a value's type, as AWS prints it in its type errors."""
    if value is None:
        return "null"
    for kind, name in _JSON_TYPE_NAMES:
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _json_text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _type_matches(value: Any, expect: str) -> bool:
    if expect == "array":
        return isinstance(value, list)
    if expect == "object":
        return isinstance(value, dict)
    if expect == "string":
        return isinstance(value, str)
    if expect == "boolean":
        return isinstance(value, bool)
    if expect == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expect == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expect == "null":
        return value is None
    raise ValueError(f"unknown expected type {expect!r}")


# ---------------------------------------------------------------------------------------------------
# compiled fields

class CompiledField:
    """A field's value, compiled. ``evaluate(env)`` answers fresh plain JSON or raises
    :class:`QueryEvaluationError`; ``is_constant`` is True when no expression is inside."""

    __slots__ = ()
    is_constant: bool = False

    def evaluate(self, env: JsonataEnv) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def expressions(self) -> Iterable["_Expression"]:
        return ()


class _Constant(CompiledField):
    __slots__ = ("value",)
    is_constant = True

    def __init__(self, value: Any):
        self.value = value

    def evaluate(self, env: JsonataEnv) -> Any:
        value = self.value
        if isinstance(value, (dict, list)):
            return _copy_json(value)
        return value

    def __repr__(self) -> str:
        return f"Constant({self.value!r})"


def _copy_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy_json(item) for item in value]
    return value


class _Expression(CompiledField):
    __slots__ = ("source", "text", "ast", "location", "expect", "direct", "closure")

    def __init__(self, source: str, text: str, ast: Any, location: str, expect: str | None):
        self.source = source
        self.text = text
        self.ast = ast
        self.location = location
        self.expect = expect
        self.direct = direct_path(ast)
        mark_direct_paths(ast)
        self.closure = None if self.direct is not None else compile_closure(ast, operations())

    def expressions(self) -> Iterable["_Expression"]:
        return (self,)

    def _fail(self, env: JsonataEnv, what: str) -> QueryEvaluationError:
        return QueryEvaluationError(
            f"{_cause_prefix(env)}The JSONata expression '{self.text}' specified for the field "
            f"'{self.location}' {what}", location=self.location, state=env.state_name)

    def evaluate(self, env: JsonataEnv) -> Any:
        try:
            if self.direct is not None:
                raw = read_direct(self.direct, env)
                if raw is _NONE:
                    raw = evaluate(self.ast, env)
            elif self.closure is not None:
                try:
                    raw = self.closure(env)
                except Fallback:
                    raw = evaluate(self.ast, env)
            else:
                raw = evaluate(self.ast, env)
        except JsonataAbort as error:
            raise self._fail(env, f"threw an error during evaluation. {error.message}") from None
        except JException as error:
            raise self._fail(env, f"threw an error during evaluation. {error.error}: {error}") from None
        except RecursionError:
            raise self._fail(env, "threw an error during evaluation. "
                                  f"{StackOverflow(MAX_DEPTH + 1).message}") from None
        except Exception as error:  # a defect inside the evaluator must still be an ASL error
            raise self._fail(env, f"threw an error during evaluation. {type(error).__name__}: {error}") from None
        if raw is None:
            raise self._fail(env, "returned nothing (undefined).")
        try:
            value = to_json(raw)
        except _Unsupported:
            raise self._fail(env, "returned an unsupported result type.") from None
        except RecursionError:
            raise self._fail(env, "threw an error during evaluation. "
                                  f"{MemoryLimitExceeded().message}") from None
        expect = self.expect
        if expect is not None and not _type_matches(value, expect):
            raise self._fail(env, f"returned an unexpected result type. Expected '{expect}', but was "
                                  f"'{json_type_name(value)}' for value: {_json_text(value)}")
        return value

    def __repr__(self) -> str:
        return f"Expression({self.source!r} at {self.location!r})"


class _Object(CompiledField):
    __slots__ = ("items",)

    def __init__(self, items: tuple[tuple[str, CompiledField], ...]):
        self.items = items

    def evaluate(self, env: JsonataEnv) -> Any:
        return {key: field.evaluate(env) for key, field in self.items}

    def expressions(self) -> Iterable["_Expression"]:
        for _, field in self.items:
            yield from field.expressions()


class _Array(CompiledField):
    __slots__ = ("items",)

    def __init__(self, items: tuple[CompiledField, ...]):
        self.items = items

    def evaluate(self, env: JsonataEnv) -> Any:
        return [field.evaluate(env) for field in self.items]

    def expressions(self) -> Iterable["_Expression"]:
        for field in self.items:
            yield from field.expressions()


def compile_field(value: Any, *, field: str = "Output", expect: str | None = None) -> CompiledField:
    """Compile a JSONata-mode field value once.

    Strings that are expressions (:func:`is_expression`) are parsed here, at any depth inside objects and
    arrays (keys are never evaluated); everything else is a literal. ``field`` is AWS's location of the
    value inside its state (``Output``, ``Assign/x``, ``Choices[0]/Condition``); nested values get
    ``/key`` and ``[i]`` appended. ``expect`` (``array``, ``object``, ``string``, ``number``, ``integer``,
    ``boolean``) is the JSON type a top-level expression must produce — AWS's type error otherwise.

    Raises :class:`JsonataSyntaxError` for an expression that does not parse (never anything else).
    """
    return _compile(value, field, expect)


def _compile(value: Any, location: str, expect: str | None) -> CompiledField:
    if is_expression(value):
        text = expression_body(value)
        return _Expression(value, text, _parse(text, location), location, expect)
    if isinstance(value, Mapping):
        items = tuple((key, _compile(item, f"{location}/{key}", None)) for key, item in value.items())
        if all(field.is_constant for _, field in items):
            return _Constant(_copy_json(dict(value)))
        return _Object(items)
    if isinstance(value, (list, tuple)):
        items = tuple(_compile(item, f"{location}[{index}]", None) for index, item in enumerate(value))
        if all(field.is_constant for field in items):
            return _Constant(_copy_json(list(value)))
        return _Array(items)
    return _Constant(value)


def _parse(text: str, location: str) -> Any:
    ast, problem = parse(text)
    if problem is not None:
        raise JsonataSyntaxError(text, problem[0], problem[1], location)
    return ast
