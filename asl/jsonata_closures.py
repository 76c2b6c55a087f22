"""A closure compiler for the everyday subset of JSONata, so a Condition or Assign costs ~1 µs, not ~5.

jsonata-python walks the AST for every evaluation, and its per-node dispatch (variable lookups of the
guard hooks, ``getattr`` chains, sequence bookkeeping) dominates short expressions such as ``$i < $n`` or
``{'count': $i + 1}``. Expressions built only from

    literals, ``$variables``, direct paths (``$states.input.a.b``), arithmetic, comparisons, ``=``/``!=``,
    ``and``/``or``, ``&``, ``in``, unary minus, ``? :``, parentheses, array and object constructors with
    literal keys, and calls (also ``~>``) to side-effect-free built-in functions

are turned into nested Python closures once, at compile time. Each closure calls the *same* evaluator
methods the tree walker would (``evaluate_numeric_expression``, ``evaluate_comparison_expression``,
``Jsonata.boolize``, the function's own signature check...), so values and error messages are identical
by construction; only the dispatch is skipped. Anything else — lambdas, ``:=``, predicates, paths that
meet an array (JSONata maps over them), effectful or higher-order functions — is left to the evaluator:
:func:`compile_closure` answers None for the expression, or a closure raises :class:`Fallback` at run
time, and the caller evaluates the whole expression the ordinary way (nothing in the subset has side
effects, so running it twice is harmless).

AWS's limits stay intact: only ASTs well under the 100-level depth limit are compiled, and the subset
has no loops.
"""
from __future__ import annotations

from typing import Any, Callable

from . import _jsonata_lib  # noqa: F401  (first: keeps the recursion limit unchanged)
from jsonata import Jsonata
from jsonata.jexception import JException
from jsonata.parser import Parser
from jsonata.utils import Utils

NULL = Utils.NULL_VALUE
JList = Utils.JList
MAX_COMPILED_DEPTH = 40

# built-ins that call back into the evaluator (they take functions) or draw on effects
NOT_COMPILED_FUNCTIONS = frozenset({
    "map", "filter", "single", "reduce", "sift", "each", "sort", "zip", "random", "uuid", "now", "millis",
    "eval", "match", "replace", "split", "contains",
})

Closure = Callable[[Any], Any]


class Fallback(Exception):
    """The closure met something only the evaluator handles; evaluate the expression the ordinary way."""


class Operations:
    """What closures need from the evaluator; supplied by :mod:`asl.jsonata_expr`.

    ``engine`` provides the operator methods (stateless), ``lookup(env, name)`` resolves a top-level
    ``$name`` exactly as the evaluation frame would, ``read_direct(path, env)`` reads a direct path or
    answers ``missing`` to defer to the evaluator.
    """

    def __init__(self, engine: Jsonata, lookup: Callable[[Any, str], Any],
                 read_direct: Callable[[Any, Any], Any], missing: Any, function_type: type):
        self.engine = engine
        self.lookup = lookup
        self.read_direct = read_direct
        self.missing = missing
        self.function_type = function_type


def _plain(node: Any) -> bool:
    return (node.predicate is None and node.stages is None and node.group is None and not node.keep_array
            and node.focus is None and node.index is None and not node.tuple)


def _depth(node: Any, limit: int) -> int:
    """AST depth, stopping early past ``limit``."""
    best = 0
    stack = [(node, 1)]
    while stack:
        current, level = stack.pop()
        if not isinstance(current, Parser.Symbol):
            continue
        best = max(best, level)
        if best > limit:
            return best
        for name in ("lhs", "rhs", "expression", "condition", "then", "_else", "procedure"):
            child = getattr(current, name, None)
            if child is not None:
                stack.append((child, level + 1))
        for name in ("expressions", "arguments", "steps"):
            stack.extend((child, level + 1) for child in (getattr(current, name, None) or ()))
        for pair in (current.lhs_object or ()):
            stack.extend((child, level + 1) for child in pair)
    return best


def compile_closure(ast: Any, ops: Operations) -> Closure | None:
    """A closure ``f(env) -> raw evaluator value`` for an expression in the subset, else None."""
    if _depth(ast, MAX_COMPILED_DEPTH) > MAX_COMPILED_DEPTH:
        return None
    try:
        return _Compiler(ops).node(ast)
    except _NotInSubset:
        return None


class _NotInSubset(Exception):
    pass


def _sequence_result(value: Any, keep_array: bool) -> Any:
    """The evaluator's post-processing of a node's result: singleton sequences unwrap, empty ones vanish."""
    if value is not None and type(value) is JList and value.sequence and not value.tuple_stream:
        if keep_array:
            value.keep_singleton = True
        if not value:
            return None
        if len(value) == 1:
            return value if value.keep_singleton else value[0]
    return value


class _Compiler:
    def __init__(self, ops: Operations):
        self.ops = ops

    def node(self, node: Any) -> Closure:
        if not isinstance(node, Parser.Symbol) or not _plain(node):
            raise _NotInSubset()
        handler = getattr(self, f"_{node.type}", None)
        if handler is None:
            raise _NotInSubset()
        return handler(node)

    # leaves
    def _string(self, node: Any) -> Closure:
        value = node.value
        return lambda env: value

    _number = _string

    def _value(self, node: Any) -> Closure:
        value = node.value if node.value is not None else NULL
        return lambda env: value

    def _variable(self, node: Any) -> Closure:
        name = node.value
        if not isinstance(name, str) or name in ("", "$"):
            raise _NotInSubset()
        lookup = self.ops.lookup
        return lambda env: lookup(env, name)

    def _path(self, node: Any) -> Closure:
        direct = getattr(node, "asl_direct", None)
        if direct is None:
            raise _NotInSubset()
        read, missing = self.ops.read_direct, self.ops.missing

        def path(env: Any) -> Any:
            value = read(direct, env)
            if value is missing:
                raise Fallback()
            return value

        return path

    # operators
    def _binary(self, node: Any) -> Closure:
        op = str(node.value)
        left, right = self.node(node.lhs), self.node(node.rhs)
        engine = self.ops.engine
        if op in ("+", "-", "*", "/", "%"):
            numeric = engine.evaluate_numeric_expression
            return lambda env: numeric(left(env), right(env), op)
        if op in ("<", "<=", ">", ">="):
            compare = engine.evaluate_comparison_expression
            return lambda env: compare(left(env), right(env), op)
        if op in ("=", "!="):
            equal = engine.evaluate_equality_expression
            return lambda env: equal(left(env), right(env), op)
        if op == "&":
            concat = engine.evaluate_string_concat
            return lambda env: concat(left(env), right(env))
        if op == "in":
            includes = engine.evaluate_includes_expression
            return lambda env: includes(left(env), right(env))
        if op == "and" or op == "or":
            return _boolean(left, right, op == "and", node.position)
        raise _NotInSubset()

    def _unary(self, node: Any) -> Closure:
        op = str(node.value)
        if op == "-":
            operand = self.node(node.expression)
            position, value = node.position, node.value

            def negate(env: Any) -> Any:
                result = operand(env)
                if result is None:
                    return None
                if Utils.is_numeric(result):
                    return Utils.convert_number(-float(result))
                raise JException("D1002", position, value, result)

            return negate
        if op == "[":
            return self._array(node)
        if op == "{":
            return self._object(node)
        raise _NotInSubset()

    def _array(self, node: Any) -> Closure:
        items = tuple((self.node(item), str(item.value) == "[") for item in node.expressions)
        cons = node.consarray
        append = _append

        def array(env: Any) -> Any:
            result = JList()
            for item, nested in items:
                value = item(env)
                if value is not None:
                    if nested:
                        result.append(value)
                    else:
                        result = append(result, value)
            if cons:
                if not isinstance(result, JList):
                    result = JList(result)
                result.cons = True
            return result

        return array

    def _object(self, node: Any) -> Closure:
        pairs = []
        seen = set()
        for key, value in node.lhs_object:
            if not isinstance(key, Parser.Symbol) or key.type != "string" or key.value in seen:
                raise _NotInSubset()   # computed or repeated keys: the evaluator's grouping rules apply
            seen.add(key.value)
            pairs.append((key.value, self.node(value)))
        pairs = tuple(pairs)

        def obj(env: Any) -> Any:
            result = {}
            for key, value in pairs:
                item = value(env)
                if item is not None:
                    result[key] = item
            return result

        return obj

    def _condition(self, node: Any) -> Closure:
        condition, then = self.node(node.condition), self.node(node.then)
        otherwise = self.node(node._else) if node._else is not None else None
        boolize = Jsonata.boolize

        def choose(env: Any) -> Any:
            if boolize(condition(env)):
                return then(env)
            return otherwise(env) if otherwise is not None else None

        return choose

    def _block(self, node: Any) -> Closure:
        parts = tuple(self.node(item) for item in node.expressions)
        if not parts:
            raise _NotInSubset()
        if len(parts) == 1:
            return parts[0]

        def block(env: Any) -> Any:
            result = None
            for part in parts:
                result = part(env)
            return result

        return block

    # function calls
    def _function(self, node: Any, first: Closure | None = None) -> Closure:
        procedure = node.procedure
        if (not isinstance(procedure, Parser.Symbol) or procedure.type != "variable" or not _plain(procedure)
                or not isinstance(procedure.value, str) or procedure.value in NOT_COMPILED_FUNCTIONS
                or procedure.value in ("", "$")):
            raise _NotInSubset()
        if any(argument.type == "operator" for argument in (node.arguments or ())):
            raise _NotInSubset()        # partial application
        name = procedure.value
        arguments = tuple(self.node(argument) for argument in (node.arguments or ()))
        if first is not None:
            arguments = (first,) + arguments
        lookup, function_type, keep = self.ops.lookup, self.ops.function_type, node.keep_array

        def call(env: Any) -> Any:
            function = lookup(env, name)
            if not isinstance(function, function_type):
                raise Fallback()        # a lambda, a variable, nothing: the evaluator's business
            values = [argument(env) for argument in arguments]
            validated = function.validate(values, None)
            return _sequence_result(function.call(None, validated), keep)

        return call

    def _apply(self, node: Any) -> Closure:
        if node.rhs is None or node.rhs.type != "function":
            raise _NotInSubset()
        return self._function(node.rhs, self.node(node.lhs))


def _boolean(left: Closure, right: Closure, conjunction: bool, position: int) -> Closure:
    """``and``/``or`` as the evaluator runs them: short-circuit, and any non-JSONata failure while deciding
    turns into JSONata's generic "Unexpected" error."""
    boolize = Jsonata.boolize

    def decide(env: Any) -> Any:
        lhs = left(env)
        try:
            if conjunction:
                return boolize(lhs) and boolize(right(env))
            return boolize(lhs) or boolize(right(env))
        except (JException, Fallback):
            raise
        except Exception:
            raise JException("Unexpected", position) from None

    return decide


def _append(left: Any, right: Any) -> Any:
    from jsonata.functions import Functions
    return Functions.append(left, right)
