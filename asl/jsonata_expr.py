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

The static side (recognition, parsing, the linter's :func:`analyze`) lives in :mod:`asl.jsonata_syntax`
and is re-exported here.
"""
from __future__ import annotations

import functools
import json
import math
import threading
import time
from typing import Any, Callable, Iterable, Mapping

from jsonata import Jsonata
from jsonata.functions import Functions
from jsonata.jexception import JException
from jsonata.parser import Parser
from jsonata.regex_engine import default_regex_engine
from jsonata.utils import Utils

from .errors import QUERY_EVALUATION_ERROR, AslError, StatesError
from .jsonata_closures import Fallback, Operations, compile_closure
from .jsonata_syntax import Analysis, analyze, expression_body, is_expression, known_function_names, parse
from .jsonata_functions import (
    MAX_DEPTH,
    MAX_RANGE_OPERATOR_ITEMS,
    MAX_VALUE_BYTES,
    DefaultEffects,
    EvaluationTimeout,
    JsonataAbort,
    MemoryLimitExceeded,
    StackOverflow,
    fn_string,
    make_functions_frame,
    to_jsonata,
)
from .model import ABSENT

__all__ = [
    "Analysis", "CompiledField", "DefaultEffects", "JsonataEnv", "JsonataSyntaxError", "QueryEvaluationError",
    "analyze", "compile_field", "expression_body", "is_expression", "known_function_names",
    "query_evaluation_error", "DEFAULT_TIME_LIMIT",
]

DEFAULT_TIME_LIMIT = 1.0          # seconds of real time per expression (AWS: "Expression evaluation timeout")
_NULL = Utils.NULL_VALUE
_NONE = Utils.NONE                # the evaluator's "not bound here" marker
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
        self.effects = effects if effects is not None else _default_effects()
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


_default_effects_instance: DefaultEffects | None = None


def _default_effects() -> DefaultEffects:
    global _default_effects_instance
    if _default_effects_instance is None:
        _default_effects_instance = DefaultEffects()
    return _default_effects_instance


# ---------------------------------------------------------------------------------------------------
# the evaluator: jsonata-python's, with AWS's arithmetic edges and limits

class _Engine(Jsonata):
    """One evaluator per thread (the evaluator keeps the current input/frame on itself while it runs).

    Not built through ``Jsonata.__init__`` (that parses an expression and re-points the library's
    per-thread "current instance"); expressions are parsed separately and evaluated with ``eval``.
    """

    def __init__(self) -> None:  # noqa: D107 - deliberately not calling super().__init__
        self.parser = Jsonata.get_parser()
        self.errors = None
        self.environment = _FUNCTIONS
        self.ast = None
        self.timestamp = 0
        self.input = None
        self.regex_engine = default_regex_engine
        self.timeout = None
        self.stack = None
        self.validate_input = False
        self.output_convert_nulls = False
        self.asl_env: JsonataEnv | None = None

    def get_per_thread_instance(self) -> "_Engine":
        return self

    def create_frame(self, enclosing_environment: Any = None) -> "_LocalFrame":
        return _LocalFrame(enclosing_environment)

    def evaluate_numeric_expression(self, lhs: Any, rhs: Any, op: Any) -> Any:
        if op != "/" and op != "%":
            return super().evaluate_numeric_expression(lhs, rhs, op)
        if lhs is not None and not Utils.is_numeric(lhs):
            raise JException("T2001", -1, op, lhs)
        if rhs is not None and not Utils.is_numeric(rhs):
            raise JException("T2002", -1, op, rhs)
        if lhs is None or rhs is None:
            return None
        left, right = float(lhs), float(rhs)
        if right == 0:   # JavaScript number semantics: x/0 is ±Infinity, 0/0 and x%0 are NaN
            if op == "%" or left == 0 or math.isnan(left):
                return math.nan
            return math.copysign(math.inf, left) * math.copysign(1.0, right)
        return Utils.convert_number(left / right if op == "/" else math.fmod(left, right))

    def apply_inner(self, proc: Any, args: Any, input: Any, environment: Any) -> Any:  # noqa: A002
        # the library prints "Proc not found" to stdout before raising T1006 for a non-function: raise first
        if not (isinstance(proc, (Jsonata.JFunction, Jsonata.JLambda)) or Functions.is_lambda(proc)
                or Functions.is_regex(proc)):
            raise JException("T1006", -1)
        return super().apply_inner(proc, args, input, environment)

    def evaluate_path(self, expr: Any, input: Any, environment: Any) -> Any:  # noqa: A002
        direct = getattr(expr, "asl_direct", None)
        if direct is not None:
            value = _read_direct_in(direct, environment)
            if value is not _NONE:
                return value
        return super().evaluate_path(expr, input, environment)

    def evaluate_range_expression(self, lhs: Any, rhs: Any) -> Any:
        result = super().evaluate_range_expression(lhs, rhs)
        # (the library's RangeList reports one item more than it holds: count from its bounds)
        if result is not None and result.b - result.a > MAX_RANGE_OPERATOR_ITEMS:
            raise MemoryLimitExceeded()
        return result

    def evaluate_string_concat(self, lhs: Any, rhs: Any) -> str:
        result = (fn_string(lhs) if lhs is not None else "") + (fn_string(rhs) if rhs is not None else "")
        if len(result) > MAX_VALUE_BYTES:
            raise MemoryLimitExceeded()
        return result


_THREAD = threading.local()


def _engine() -> _Engine:
    engine = getattr(_THREAD, "engine", None)
    if engine is None:
        engine = _THREAD.engine = _Engine()
    return engine


def _current_effects() -> Any:
    env = _engine().asl_env
    return env.effects if env is not None else _default_effects()


_FUNCTIONS = make_functions_frame(_current_effects)


def _top_lookup(env: JsonataEnv, name: str) -> Any:
    """``$name`` at the top of an expression, resolved as :class:`_EvalFrame` does (for closures)."""
    if name == "states":
        return env._states_value()
    value = env._variable(name)
    if value is not _NONE:
        return value
    return _FUNCTIONS.lookup(name)


class _Guard:
    """Evaluation-entry/exit hooks the evaluator calls for every node: depth and real-time limits."""

    __slots__ = ("depth", "ticks", "deadline")

    def __init__(self, deadline: float):
        self.depth = 0
        self.ticks = 0
        self.deadline = deadline

    def enter(self, expr: Any, input: Any, environment: Any) -> None:  # noqa: A002
        depth = self.depth = self.depth + 1
        if depth > MAX_DEPTH:
            raise StackOverflow(depth)
        ticks = self.ticks = self.ticks + 1
        if not ticks & 127 and time.monotonic() > self.deadline:
            raise EvaluationTimeout()

    def exit(self, expr: Any, input: Any, environment: Any, result: Any) -> None:  # noqa: A002
        self.depth -= 1


class _LocalFrame(Jsonata.Frame):
    """A block's or a lambda call's frame. ``$f := $string`` must not rename the shared built-in (the
    library's ``bind`` writes the new name into the function's signature, for every later evaluation)."""

    def bind(self, name: str, val: Any) -> None:
        self.bindings[name] = val
        if not isinstance(val, Jsonata.JFunction) and getattr(val, "signature", None) is not None:
            val.signature.set_function_name(name)


class _EvalFrame(_LocalFrame):
    """The outermost frame of one evaluation: top-level ``:=`` bindings and the guard hooks, then
    ``$states`` and the workflow variables read lazily from the env, then the functions frame."""

    def __init__(self, env: JsonataEnv, guard: _Guard):
        self.bindings = {"__evaluate_entry": guard.enter, "__evaluate_exit": guard.exit}
        self.parent = _FUNCTIONS
        self.is_parallel_call = False
        self.env = env

    def lookup(self, name: str) -> Any:
        value = self.bindings.get(name, _NONE)
        if value is not _NONE:
            return value
        if name == "states":
            return self.env._states_value()
        value = self.env._variable(name)
        if value is not _NONE:
            return value
        return _FUNCTIONS.lookup(name)


def _evaluate(ast: Any, env: JsonataEnv) -> Any:
    """Run one parsed expression; the raw evaluator result (None = undefined)."""
    engine = _engine()
    frame = _EvalFrame(env, _Guard(time.monotonic() + env.time_limit))
    current = Jsonata.CURRENT            # the library's higher-order functions call back through it
    previous = getattr(current, "jsonata", None)
    previous_env = engine.asl_env
    current.jsonata = engine
    engine.asl_env = env
    try:
        return engine.eval(ast, None, frame)
    finally:
        engine.asl_env = previous_env
        if previous is None:
            del current.jsonata
        else:
            current.jsonata = previous


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


def _plain_step(step: Any) -> bool:
    return (step.predicate is None and step.stages is None and step.group is None and not step.keep_array
            and step.focus is None and step.index is None and not step.tuple and step.ancestor is None
            and step.seeking_parent is None)


def _direct_path(ast: Any) -> tuple[str, tuple[str, ...]] | None:
    """``$name.key.key...`` with no predicates, grouping or array markers -> ``(name, keys)``: the shape of
    most expressions in practice (``$states.input.x``, ``$myVar``), read without the evaluator."""
    if ast.type == "variable":
        steps = [ast]
    elif ast.type == "path" and ast.group is None and ast.predicate is None and not ast.keep_array \
            and not ast.keep_singleton_array:
        steps = ast.steps or []
    else:
        return None
    if not steps or steps[0].type != "variable" or steps[0].value in ("", "$"):
        return None
    if not all(_plain_step(step) for step in steps):
        return None
    if not all(step.type == "name" and isinstance(step.value, str) for step in steps[1:]):
        return None
    return str(steps[0].value), tuple(step.value for step in steps[1:])


_CHILD_NODES = ("lhs", "rhs", "procedure", "body", "condition", "then", "_else", "expression", "expr",
                "pattern", "update", "delete")
_CHILD_LISTS = ("steps", "arguments", "expressions", "predicate", "stages")


def _mark_direct_paths(ast: Any) -> None:
    """Tag every direct path inside an AST (``asl_direct``) so the evaluator can read it without the
    general path machinery; done once per parsed text."""
    if getattr(ast, "asl_marked", False):
        return
    pending = [ast]
    while pending:
        node = pending.pop()
        if not isinstance(node, Parser.Symbol):
            continue
        if node.type == "path":
            direct = _direct_path(node)
            if direct is not None:
                node.asl_direct = direct
        for name in _CHILD_NODES:
            child = getattr(node, name, None)
            if child is not None:
                pending.append(child)
        for name in _CHILD_LISTS:
            pending.extend(getattr(node, name, None) or ())
        for term in (node.terms or ()):
            pending.append(term.expression)
        for pairs in (node.lhs_object, node.group.lhs_object if node.group is not None else None):
            for key, value in (pairs or ()):
                pending.extend((key, value))
    ast.asl_marked = True


def _read_direct_in(path: tuple[str, tuple[str, ...]], environment: Any) -> Any:
    """A direct path met inside an expression: the first name resolves through the frames (a lambda
    parameter may shadow a workflow variable); ``_NONE`` sends it back to the general machinery."""
    name, keys = path
    value = environment.lookup(name)
    for key in keys:
        if isinstance(value, dict):
            value = value.get(key, _NONE)
            if value is _NONE:
                return None
            if value is None:
                value = _NULL
        elif isinstance(value, list):
            return _NONE
        else:
            return None
    if value is None or isinstance(value, list):
        return _NONE
    return value


@functools.cache
def _operations() -> Operations:
    return Operations(_Engine(), _top_lookup, _read_direct, _NONE, Jsonata.JFunction)


def _read_direct(path: tuple[str, tuple[str, ...]], env: "JsonataEnv") -> Any:
    """The value of a direct path, or ``_NONE`` when the evaluator must decide (arrays on the way: JSONata
    maps over them; a name that is not a variable: maybe a function)."""
    name, keys = path
    if name == "states":
        if not keys:
            return env._states_value()
        value = env._states_member(keys[0])
        if value is _NONE:
            return None
        keys = keys[1:]
        if not keys:
            return value
    else:
        value = env._variable(name)
        if value is _NONE:
            return _NONE
    for key in keys:
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list):
            return _NONE
        else:
            return None
    if keys and isinstance(value, list):
        return _NONE
    return value


class _Expression(CompiledField):
    __slots__ = ("source", "text", "ast", "location", "expect", "direct", "closure")

    def __init__(self, source: str, text: str, ast: Any, location: str, expect: str | None):
        self.source = source
        self.text = text
        self.ast = ast
        self.location = location
        self.expect = expect
        self.direct = _direct_path(ast)
        _mark_direct_paths(ast)
        self.closure = None if self.direct is not None else compile_closure(ast, _operations())

    def expressions(self) -> Iterable["_Expression"]:
        return (self,)

    def _fail(self, env: JsonataEnv, what: str) -> QueryEvaluationError:
        return QueryEvaluationError(
            f"{_cause_prefix(env)}The JSONata expression '{self.text}' specified for the field "
            f"'{self.location}' {what}", location=self.location, state=env.state_name)

    def evaluate(self, env: JsonataEnv) -> Any:
        try:
            if self.direct is not None:
                raw = _read_direct(self.direct, env)
                if raw is _NONE:
                    raw = _evaluate(self.ast, env)
            elif self.closure is not None:
                try:
                    raw = self.closure(env)
                except Fallback:
                    raw = _evaluate(self.ast, env)
            else:
                raw = _evaluate(self.ast, env)
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
