"""The static side of JSONata: recognising ``{% %}`` strings, parsing them once, and analysing them.

The linter uses :func:`analyze` to reproduce what AWS checks at create time (``INVALID_JSONATA_EXPRESSION``
for text that does not parse; ``UNSUPPORTED_JSONATA_EXPRESSION`` for ``$$`` and for a reference to the
input at the top level — AWS gives an expression no context item, so ``{% phone %}`` or ``{% $.phone %}``
reads nothing); the compiler uses :func:`parse`, whose cache means an expression text is parsed once per
process however many states repeat it. Nothing here evaluates anything.

Which references count as "top level" follows what AWS was observed to refuse: the first step of a path
is read against the (absent) context, and so are function arguments, operands, array/object constructors
and lambda bodies written at the top; later steps of a path, predicates, sort terms, group-by objects and
transform patterns read the values the path produced and are fine (``$states.input.items[price > 10]``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ._jsonata_lib import Jsonata, JException, Parser, default_regex_engine

_OPEN, _CLOSE = "{%", "%}"
MAX_SOURCE_NESTING = 250     # deeper bracket nesting is refused before the (recursive) parser sees it


def is_expression(value: Any) -> bool:
    """True for a JSONata string: starts with ``{%`` and ends with ``%}``, no whitespace outside."""
    return isinstance(value, str) and len(value) >= 4 and value.startswith(_OPEN) and value.endswith(_CLOSE)


def expression_body(value: str) -> str:
    """The expression inside the delimiters, stripped — the text AWS quotes in its error causes."""
    return value[2:-2].strip()


def body_offset(value: str) -> int:
    """Where :func:`expression_body` starts inside the full ``{% ... %}`` string (to place diagnostics)."""
    inner = value[2:-2]
    return 2 + len(inner) - len(inner.lstrip())


@functools.lru_cache(maxsize=8192)
def parse(text: str) -> tuple[Any, tuple[str, int] | None]:
    """``(ast, None)`` or ``(None, (message, position))`` for an expression body. Never raises.

    ``message`` carries JSONata's code (``S0207: Unexpected end of expression``); ``position`` is the
    character offset inside ``text`` JSONata reports (just past the offending token). ASTs are shared
    between everything that compiled the same text: evaluation only reads them.
    """
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    if deepest > MAX_SOURCE_NESTING:
        return None, (f"S0000: Expression nested more than {MAX_SOURCE_NESTING} levels deep", 0)
    try:
        ast = Jsonata.get_parser().parse(text, default_regex_engine)
    except JException as error:
        return None, (f"{error.error}: {error}", max(int(error.location or 0), 0))
    except RecursionError:
        return None, ("S0000: Expression nested too deeply", 0)
    except Exception as error:  # the tokenizer/parser failing in an unplanned way is still a syntax error
        return None, (f"S0000: {type(error).__name__}: {error}", 0)
    return ast, None


#: the functions AWS adds to JSONata's built-ins (implemented in :mod:`asl.jsonata_functions`, whose
#: ``builtin_function_names`` a test keeps equal to :func:`known_function_names`); named here so that
#: analysing an expression does not import the evaluator's function library (hashlib, uuid, ...)
AWS_FUNCTIONS = frozenset({"partition", "range", "hash", "random", "uuid", "parse", "now", "millis"})


@functools.cache
def known_function_names() -> frozenset[str]:
    """Every function an expression may call on AWS: JSONata's built-ins and AWS's six, without ``$eval``."""
    names = {name for name in Jsonata.static_frame.bindings if not name.startswith("__")} | AWS_FUNCTIONS
    names.discard("eval")
    return frozenset(names)


@dataclass(frozen=True)
class Analysis:
    """What the linter needs to know about one expression.

    * ``syntax_error`` — ``(message, position in expression)`` or None;
    * ``variables_read`` — ``$x`` names read that the expression does not bind itself (``:=``, lambda
      parameters, ``@$x``/``#$i``) and that are not functions: the workflow variables it needs;
    * ``functions_called`` — names called as ``$name(...)``; ``unknown_functions`` — those that are neither
      built in (on AWS) nor bound inside the expression (``$eval`` is unknown: AWS removed it);
    * ``top_level_input_references`` — names read from the absent context item at the top level (a field
      name, ``$``, ``*``, ``**``) plus ``$$`` anywhere, in order; ``top_level_input_reference`` is the first
      (AWS: ``Reference to 'phone' at the top level is not supported.``);
    * ``uses_states_fields`` — members of ``$states`` read (``input``, ``context``, ``result``,
      ``errorOutput``, or any other name; ``*`` when ``$states`` itself is used as a value).
    """

    expression: str
    syntax_error: tuple[str, int] | None = None
    variables_read: frozenset[str] = frozenset()
    functions_called: frozenset[str] = frozenset()
    unknown_functions: frozenset[str] = frozenset()
    top_level_input_references: tuple[str, ...] = ()
    uses_states_fields: frozenset[str] = frozenset()
    assigned: frozenset[str] = frozenset()

    @property
    def top_level_input_reference(self) -> str | None:
        return self.top_level_input_references[0] if self.top_level_input_references else None

    @property
    def references_root(self) -> bool:
        """``$$`` appears (AWS: ``Reference to '$$' is not supported.``)."""
        return "$$" in self.top_level_input_references


def analyze(expression: str) -> Analysis:
    """Analyse an expression: a full ``{% ... %}`` string or just its body. Never raises."""
    text = expression_body(expression) if is_expression(expression) else expression
    ast, problem = parse(text)
    if problem is not None:
        return Analysis(expression=text, syntax_error=problem)
    walker = _Walker()
    walker.visit(ast, True)
    local = walker.assigned
    builtins = known_function_names()
    variables = {name for name in walker.variables
                 if name not in local and name not in builtins and name != "states"}
    unknown = {name for name in walker.functions if name not in builtins and name not in local}
    return Analysis(
        expression=text,
        variables_read=frozenset(variables),
        functions_called=frozenset(walker.functions),
        unknown_functions=frozenset(unknown),
        top_level_input_references=tuple(walker.top_level),
        uses_states_fields=frozenset(walker.states_fields),
        assigned=frozenset(local),
    )


class _Walker:
    """Walks jsonata-python's processed AST, tracking whether a node reads the top-level context."""

    def __init__(self) -> None:
        self.variables: set[str] = set()
        self.functions: set[str] = set()
        self.assigned: set[str] = set()
        self.top_level: list[str] = []
        self.states_fields: set[str] = set()

    def visit(self, node: Any, top: bool) -> None:
        if not isinstance(node, Parser.Symbol):
            return
        kind = node.type
        handler = getattr(self, f"_visit_{kind}", None)
        if handler is not None:
            handler(node, top)
        self._visit_attachments(node)

    # what hangs off any node is evaluated against that node's result, never the top-level context
    def _visit_attachments(self, node: Any) -> None:
        for stage in (node.predicate or ()):
            self._visit_stage(stage)
        for stage in (node.stages or ()):
            self._visit_stage(stage)
        group = node.group
        if group is not None:
            for key, value in (group.lhs_object or ()):
                self.visit(key, False)
                self.visit(value, False)
        for name in (node.focus, node.index):
            if isinstance(name, str) and name:
                self.assigned.add(name)

    def _visit_stage(self, stage: Any) -> None:
        if stage.type == "index":
            if isinstance(stage.value, str):
                self.assigned.add(stage.value)
        else:
            self.visit(stage.expr, False)

    def _visit_path(self, node: Any, top: bool) -> None:
        steps = node.steps or []
        for index, step in enumerate(steps):
            if (index == 0 and step.type == "variable" and step.value == "states" and len(steps) > 1
                    and steps[1].type == "name"):
                self.states_fields.add(str(steps[1].value))
                self._visit_attachments(step)
                continue
            self.visit(step, top and index == 0)

    def _visit_name(self, node: Any, top: bool) -> None:
        if top:
            self.top_level.append(str(node.value))

    def _visit_wildcard(self, node: Any, top: bool) -> None:
        if top:
            self.top_level.append("*")

    def _visit_descendant(self, node: Any, top: bool) -> None:
        if top:
            self.top_level.append("**")

    def _visit_variable(self, node: Any, top: bool) -> None:
        name = node.value
        if name == "$":
            self.top_level.append("$$")
        elif name == "":
            if top:
                self.top_level.append("$")
        elif name == "states":
            self.states_fields.add("*")
        else:
            self.variables.add(str(name))

    def _visit_binary(self, node: Any, top: bool) -> None:
        self.visit(node.lhs, top)
        self.visit(node.rhs, top)

    _visit_apply = _visit_binary

    def _visit_unary(self, node: Any, top: bool) -> None:
        if node.expressions is not None:
            for item in node.expressions:
                self.visit(item, top)
        if node.lhs_object is not None:
            for key, value in node.lhs_object:
                self.visit(key, top)
                self.visit(value, top)
        self.visit(node.expression, top)

    def _visit_function(self, node: Any, top: bool) -> None:
        procedure = node.procedure
        if isinstance(procedure, Parser.Symbol) and procedure.type == "variable" and procedure.value:
            self.functions.add(str(procedure.value))
            self._visit_attachments(procedure)
        else:
            self.visit(procedure, top)
        for argument in (node.arguments or ()):
            if argument.type != "operator":       # the ``?`` of a partial application
                self.visit(argument, top)

    _visit_partial = _visit_function

    def _visit_lambda(self, node: Any, top: bool) -> None:
        for parameter in (node.arguments or ()):
            if isinstance(parameter.value, str):
                self.assigned.add(parameter.value)
        self.visit(node.body, top)

    def _visit_condition(self, node: Any, top: bool) -> None:
        self.visit(node.condition, top)
        self.visit(node.then, top)
        self.visit(node._else, top)

    def _visit_block(self, node: Any, top: bool) -> None:
        for item in (node.expressions or ()):
            self.visit(item, top)

    def _visit_bind(self, node: Any, top: bool) -> None:
        if isinstance(node.lhs, Parser.Symbol) and isinstance(node.lhs.value, str):
            self.assigned.add(node.lhs.value)
        self.visit(node.rhs, top)

    def _visit_transform(self, node: Any, top: bool) -> None:
        self.visit(node.pattern, False)
        self.visit(node.update, False)
        self.visit(node.delete, False)

    def _visit_sort(self, node: Any, top: bool) -> None:
        for term in (node.terms or ()):
            self.visit(term.expression, False)

    def _visit_filter(self, node: Any, top: bool) -> None:
        self.visit(node.expr, False)
