"""Choice rules compiled to nested closures, and the compiled Choice state.

A JSONPath rule becomes ``test(data, ctx, variables) -> bool``: the ``Variable`` path and any
``...Path`` operand are compiled once, the operator is a small comparison function picked at compile
time, and And/Or/Not short-circuit over their compiled children. A type mismatch is simply false
(AWS never fails a comparison), but a missing ``Variable`` fails with ``States.Runtime`` — except for
``IsPresent``, which exists to ask exactly that.

A JSONata rule is a ``Condition``: ``true``/``false`` or a ``{% %}`` expression that must give a
boolean.
"""
from __future__ import annotations

from typing import Any, Callable

from ..errors import StatesError
from ..model import ABSENT
from ..paths import compile_path
from .base import CompiledState, JsonPathIO, Scope, evaluate_assign, is_number, runtime_error, jsonata_io, \
    timestamp_seconds
from .failures import in_state

Test = Callable[[Any, Any, Any], bool]


def _string_matcher(pattern: str) -> Callable[[str], bool]:
    """``*`` matches any run of characters; ``\\*`` is a literal star, ``\\\\`` a backslash."""
    import re

    parts: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            parts.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        parts.append(".*" if ch == "*" else re.escape(ch))
        i += 1
    regex = re.compile("".join(parts), re.S)
    return lambda text: regex.fullmatch(text) is not None


# comparison kind -> (type check + normalise, relation)
_RELATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": lambda a, b: a == b,
    "LessThan": lambda a, b: a < b,
    "GreaterThan": lambda a, b: a > b,
    "LessThanEquals": lambda a, b: a <= b,
    "GreaterThanEquals": lambda a, b: a >= b,
}


def _normaliser(family: str) -> Callable[[Any], Any]:
    """Returns f(value) -> comparable value, or ``_NO`` when the value has the wrong type."""
    if family == "String":
        return lambda v: v if isinstance(v, str) else _NO
    if family == "Numeric":
        return lambda v: v if is_number(v) else _NO
    if family == "Boolean":
        return lambda v: v if isinstance(v, bool) else _NO
    if family == "Timestamp":
        def ts(v: Any) -> Any:
            t = timestamp_seconds(v)
            return _NO if t is None else t
        return ts
    raise ValueError(family)


_NO = object()


def _split_operator(operator: str) -> tuple[str, str, bool]:
    """``NumericLessThanEqualsPath`` -> ("Numeric", "LessThanEquals", True)."""
    path = operator.endswith("Path")
    base = operator[:-4] if path else operator
    for family in ("String", "Numeric", "Boolean", "Timestamp"):
        if base.startswith(family):
            return family, base[len(family):], path
    raise ValueError(operator)


def compile_rule(rule: Any) -> Test:
    """Compile one JSONPath Choice rule (model.ChoiceRule) into ``test(data, ctx, variables)``."""
    if rule.and_ is not None:
        tests = tuple(compile_rule(r) for r in rule.and_)
        return lambda d, c, v: all(t(d, c, v) for t in tests)
    if rule.or_ is not None:
        tests = tuple(compile_rule(r) for r in rule.or_)
        return lambda d, c, v: any(t(d, c, v) for t in tests)
    if rule.not_ is not None:
        inner = compile_rule(rule.not_)
        return lambda d, c, v: not inner(d, c, v)
    operator = rule.operator
    if operator is None or not isinstance(rule.variable, str):
        raise ValueError(f"Choice rule at {rule.pointer} has no comparison")
    path = compile_path(rule.variable)
    get = path.get
    operand = rule.operand

    if operator == "IsPresent":
        exists = path.exists
        want = operand is True
        return lambda d, c, v: exists(d, c, v) == want

    simple_checks: dict[str, Callable[[Any], bool]] = {
        "IsNull": lambda x: x is None,
        "IsNumeric": is_number,
        "IsString": lambda x: isinstance(x, str),
        "IsBoolean": lambda x: isinstance(x, bool),
        "IsTimestamp": lambda x: timestamp_seconds(x) is not None,
    }
    if operator in simple_checks:
        check = simple_checks[operator]
        want = operand is True
        return lambda d, c, v: check(get(d, c, v)) == want

    if operator == "StringMatches":
        matches = _string_matcher(operand if isinstance(operand, str) else "")

        def string_matches(d: Any, c: Any, v: Any) -> bool:
            value = get(d, c, v)
            return isinstance(value, str) and matches(value)
        return string_matches

    family, relation_name, is_path = _split_operator(operator)
    normalise = _normaliser(family)
    relation = _RELATIONS[relation_name]
    if is_path:
        other = compile_path(operand).get

        def compare_path(d: Any, c: Any, v: Any) -> bool:
            left = normalise(get(d, c, v))
            right = normalise(other(d, c, v))
            return left is not _NO and right is not _NO and relation(left, right)
        return compare_path

    right_value = normalise(operand)
    if right_value is _NO:
        return lambda d, c, v: (get(d, c, v), False)[1]
    if family == "Numeric" and relation_name == "Equals":
        def numeric_equals(d: Any, c: Any, v: Any) -> bool:
            left = get(d, c, v)
            return left == right_value and is_number(left)
        return numeric_equals

    def compare(d: Any, c: Any, v: Any) -> bool:
        left = normalise(get(d, c, v))
        return left is not _NO and relation(left, right_value)
    return compare


class ChoiceState(CompiledState):
    """Scans its rules in order; the first that holds picks the next state (and its Assign/Output)."""

    __slots__ = ("io", "rules", "default", "jio", "plain")

    def __init__(self, model: Any):
        super().__init__(model)
        self.default = model.default if isinstance(model.default, str) else None
        self.jio = None
        self.io = None
        if self.jsonata:
            jio = jsonata_io()
            self.jio = jio.StateIO(model)
            self.rules = tuple((jio.compile_condition(rule), rule.next, jio.RuleIO(rule)) for rule in model.choices)
        else:
            self.io = JsonPathIO(model)
            from ..payload import compile_template

            self.rules = tuple(
                (compile_rule(rule), rule.next,
                 compile_template(rule.assign, field="Assign") if rule.assign is not ABSENT else None)
                for rule in model.choices)
        # the common JSONPath Choice (no $$, no InputPath/OutputPath) tests its rules on the raw input
        io = self.io
        self.plain = io is not None and not io.uses_context and io.input_path is None and io.output_path is None

    def run(self, data: Any, frame: Any) -> tuple[str | None, Any]:
        entered = frame.entered(self.entered_type, self.name, data)
        if self.plain:
            variables = frame.variables
            try:
                for test, target, assign in self.rules:
                    if test(data, None, variables):
                        if assign is not None:
                            break
                        frame.exited(self.exited_type, self.name, data)
                        return target, data
                else:
                    if self.default is not None and self.io.assign is None:
                        frame.exited(self.exited_type, self.name, data)
                        return self.default, data
            except StatesError as exc:
                raise in_state(exc, self.name, entered, frame) from None
        scope = Scope(frame, self.name, entered, frame.clock.now())
        try:
            if self.jio is not None:
                nxt, out, assigned = self._run_jsonata(data, scope)
            else:
                io = self.io
                effective = io.effective_input(data, scope)
                ctx = scope.context() if io.uses_context else None
                variables = frame.variables
                for test, target, assign in self.rules:
                    if test(effective, ctx, variables):
                        nxt = target
                        assigned = evaluate_assign(assign, effective, ctx, scope) if assign is not None else None
                        break
                else:
                    if self.default is None:
                        raise runtime_error("No Matches!")
                    nxt = self.default
                    assigned = io.assigned(effective, scope) if io.assign is not None else None
                out = io.filter_output(effective, scope)
        except StatesError as exc:
            raise in_state(exc, self.name, entered, frame) from None
        if assigned:
            frame.variables.update(assigned)
        frame.exited(self.exited_type, self.name, out, assigned)
        return nxt, out

    def _run_jsonata(self, data: Any, scope: Scope) -> tuple[str, Any, dict | None]:
        for condition, target, rule_io in self.rules:
            if condition(data, scope):
                out, assigned = rule_io.apply(data, scope)
                return target, out, assigned
        if self.default is None:
            raise runtime_error("No Matches!")
        out, assigned = self.jio.pass_through(data, scope)
        return self.default, out, assigned
