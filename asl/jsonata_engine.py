"""The evaluator behind :mod:`asl.jsonata_expr`: jsonata-python's, with AWS's edges and guards.

* :class:`_Engine` subclasses the library's evaluator: JavaScript's number semantics for ``/`` and ``%``
  (``1/0`` is Infinity, ``5.5 % 2`` is 1.5), AWS's size bound on ranges and strings, JSONata's own
  ``$string`` notation for ``&``, no stdout chatter, and frames whose ``:=`` never renames a shared
  built-in. One engine per thread; it is never built through ``Jsonata.__init__`` (which parses and
  re-points the library's per-thread "current instance" for every other user of the library).
* :class:`_EvalFrame` is the outermost frame of one evaluation: local ``:=`` bindings and the guard hooks,
  then ``$states`` and the workflow variables read lazily from the env, then the functions frame (JSONata's
  built-ins plus AWS's, without ``$eval``).
* :class:`_Guard` enforces AWS's limits on every node: 100 levels of nesting, a real-time budget.
* Direct paths (``$states.input.a.b``, ``$var.x``) are read without the general path machinery, both as a
  whole expression and inside one (``asl_direct`` tags on the AST); whatever meets an array goes back to
  the library, which maps over it.

The env object is duck-typed: ``_states_value()``, ``_states_member(key)``, ``_variable(name)`` (each
answering :data:`NONE` for "not bound"), ``effects`` and ``time_limit``.
"""
from __future__ import annotations

import functools
import math
import threading
import time
from typing import Any

from ._jsonata_lib import Jsonata, Functions, JException, Parser, default_regex_engine, Utils

from .jsonata_closures import Operations
from .jsonata_functions import (
    MAX_DEPTH,
    MAX_RANGE_OPERATOR_ITEMS,
    MAX_VALUE_BYTES,
    EvaluationTimeout,
    MemoryLimitExceeded,
    StackOverflow,
    default_effects,
    fn_string,
    make_functions_frame,
)

NULL = Utils.NULL_VALUE
NONE = Utils.NONE                 # the evaluator's "not bound here" marker


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
        self.asl_env: Any | None = None

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
            if value is not NONE:
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
    return env.effects if env is not None else default_effects()


_FUNCTIONS = make_functions_frame(_current_effects)


def _top_lookup(env: Any, name: str) -> Any:
    """``$name`` at the top of an expression, resolved as :class:`_EvalFrame` does (for closures)."""
    if name == "states":
        return env._states_value()
    value = env._variable(name)
    if value is not NONE:
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

    def __init__(self, env: Any, guard: _Guard):
        self.bindings = {"__evaluate_entry": guard.enter, "__evaluate_exit": guard.exit}
        self.parent = _FUNCTIONS
        self.is_parallel_call = False
        self.env = env

    def lookup(self, name: str) -> Any:
        value = self.bindings.get(name, NONE)
        if value is not NONE:
            return value
        if name == "states":
            return self.env._states_value()
        value = self.env._variable(name)
        if value is not NONE:
            return value
        return _FUNCTIONS.lookup(name)


def evaluate(ast: Any, env: Any) -> Any:
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
# direct paths

def _plain_step(step: Any) -> bool:
    return (step.predicate is None and step.stages is None and step.group is None and not step.keep_array
            and step.focus is None and step.index is None and not step.tuple and step.ancestor is None
            and step.seeking_parent is None)


def direct_path(ast: Any) -> tuple[str, tuple[str, ...]] | None:
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


def mark_direct_paths(ast: Any) -> None:
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
            direct = direct_path(node)
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
    parameter may shadow a workflow variable); ``NONE`` sends it back to the general machinery."""
    name, keys = path
    value = environment.lookup(name)
    for key in keys:
        if isinstance(value, dict):
            value = value.get(key, NONE)
            if value is NONE:
                return None
            if value is None:
                value = NULL
        elif isinstance(value, list):
            return NONE
        else:
            return None
    if value is None or isinstance(value, list):
        return NONE
    return value


@functools.cache
def operations() -> Operations:
    return Operations(_Engine(), _top_lookup, read_direct, NONE, Jsonata.JFunction)


def read_direct(path: tuple[str, tuple[str, ...]], env: Any) -> Any:
    """The value of a direct path, or ``NONE`` when the evaluator must decide (arrays on the way: JSONata
    maps over them; a name that is not a variable: maybe a function)."""
    name, keys = path
    if name == "states":
        if not keys:
            return env._states_value()
        value = env._states_member(keys[0])
        if value is NONE:
            return None
        keys = keys[1:]
        if not keys:
            return value
    else:
        value = env._variable(name)
        if value is NONE:
            return NONE
    for key in keys:
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list):
            return NONE
        else:
            return None
    if keys and isinstance(value, list):
        return NONE
    return value
