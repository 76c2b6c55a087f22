"""A fast path for the JSONata expressions definitions are mostly made of, without jsonata-python.

Importing jsonata-python costs ~15 ms, more than linting a whole file, yet most expressions in real
definitions are small: ``$states.input.order.id``, ``$count($states.input.items) > 0``,
``$orderId & '-' & $states.context.Execution.Name``, ``{'total': $sum($states.result.Payload.prices)}``.
:func:`analyze` recognises a strict subset of JSONata and, for the expressions in it, computes what
:func:`asl.jsonata_syntax.analyze` would report: no syntax error; the workflow variables read, the
unknown functions called, the ``$states`` fields used and the first reference to the input at the top
level. Anything outside the subset — and any doubt — gives None: the caller then asks the real parser.
A property test draws expressions from this subset (and token soups around it) and checks both never
disagree.

The subset: number, string (no escapes), ``true``/``false``/``null`` literals; ``$name`` variables and
``$name(args)`` calls followed by ``.name`` steps and ``[expr]`` predicates; bare field names and ``$``
(inside predicates, ``$states.input.items[price > 10]``; at the top level they are the references to
the input AWS refuses, found in the order the real analysis finds them); unary ``-``; the binary
operators ``+ - * / % & = != < <= > >= and or in ~>``; ``cond ? a : b``; blocks ``(a; b)``; bindings
``$x := a``; lambdas ``function($v) { ... }`` (no signature); array and object (string keys)
constructors; regular expression literals ``/.../im`` (read and compiled as jsonata-python reads and
compiles them). Tokens end where jsonata-python's tokenizer ends them, or the text is refused: a name
must be followed by a blank or an operator character.
"""
from __future__ import annotations

import re

#: jsonata-python's built-in functions plus AWS's, without ``$eval``: the same set as
#: :func:`asl.jsonata_syntax.known_function_names` (a test keeps them equal), written out so that
#: recognising an expression does not import jsonata-python
KNOWN_FUNCTIONS = frozenset({
    "abs", "append", "assert", "average", "base64decode", "base64encode", "boolean", "ceil", "clone",
    "contains", "count", "decodeUrl", "decodeUrlComponent", "distinct", "each", "encodeUrl",
    "encodeUrlComponent", "error", "exists", "filter", "floor", "formatBase", "formatInteger", "formatNumber",
    "fromMillis", "hash", "join", "keys", "length", "lookup", "lowercase", "map", "match", "max", "merge",
    "millis", "min", "not", "now", "number", "pad", "parse", "parseInteger", "partition", "power", "random",
    "range", "reduce", "replace", "reverse", "round", "shuffle", "sift", "single", "sort", "split", "spread",
    "sqrt", "string", "substring", "substringAfter", "substringBefore", "sum", "toMillis", "trim", "type",
    "uppercase", "uuid", "zip",
})

_TOKEN = re.compile(r"""[ \t\n\r]*(?:
      \$(?P<var>[A-Za-z_][A-Za-z0-9_]*|)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<num>(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)
    | (?P<str>'[^'\\]*'|"[^"\\]*")
    | (?P<op>!=|<=|>=|~>|\?\?|\?:|:=|\.\.|\*\*|[-+*/%&=<>?:;.,()\[\]{}])
    )""", re.VERBOSE)
_BLANK = re.compile(r"[ \t\n\r]*")
#: where jsonata-python's tokenizer ends a name or a number (a blank, an operator character, the end)
_STOPS = frozenset(" \t\n\r.[]{}(),@#;:?+-*/%|=<>^&!~")
_BINARY = frozenset({"+", "-", "*", "/", "%", "&", "=", "!=", "<", "<=", ">", ">=", "and", "or", "in", "~>"})
_KEYWORD_OPERATORS = frozenset({"and", "or", "in"})
_LITERAL_WORDS = frozenset({"true", "false", "null"})
MAX_NESTING = 40
MAX_LENGTH = 2000


class _Refused(Exception):
    """Outside the subset: the real parser decides."""


class Analysis:
    """What :func:`asl.jsonata_syntax.analyze` says about an expression of the subset (the fields the
    linter reads)."""

    __slots__ = ("variables_read", "unknown_functions", "uses_states_fields", "top_level_input_reference")
    syntax_error = None

    def __init__(self, variables_read: frozenset[str], unknown_functions: frozenset[str],
                 uses_states_fields: frozenset[str], top_level_input_reference: str | None = None):
        self.variables_read = variables_read
        self.unknown_functions = unknown_functions
        self.uses_states_fields = uses_states_fields
        self.top_level_input_reference = top_level_input_reference


def analyze(text: str) -> Analysis | None:
    """The analysis of ``text`` (an expression body) when it is in the subset, else None."""
    if len(text) > MAX_LENGTH:
        return None
    try:
        parser = _Parser(_Lexer(text))
        if parser.tokens.get(0) is None:
            return None
        parser.expression()
        if parser.tokens.get(parser.at) is not None:
            return None
    except (_Refused, IndexError):
        return None
    local = parser.assigned
    variables = frozenset(name for name in parser.variables
                          if name not in KNOWN_FUNCTIONS and name not in local and name != "states")
    unknown = frozenset(name for name in parser.functions if name not in KNOWN_FUNCTIONS and name not in local)
    return Analysis(variables, unknown, frozenset(parser.states_fields), parser.top_level)


class _Lexer:
    """The tokens of the text, read on demand: (kind, text) with kind "var", "name", "num", "str", "op"
    (and/or/in too), "lit" or "regex". A '/' is an operator until the parser, finding it where an
    operand starts, has it re-read as a regular expression literal (:meth:`regex`), as jsonata-python's
    tokenizer does; so the text after a '/' is never read before the parser has decided."""

    def __init__(self, text: str):
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        self.starts: list[int] = []
        self.position = 0

    def get(self, index: int) -> tuple[str, str] | None:
        tokens = self.tokens
        while len(tokens) <= index:
            if not self._read():
                return None
        return tokens[index]

    def _read(self) -> bool:
        text = self.text
        at = _BLANK.match(text, self.position).end()
        if at >= len(text):
            self.position = at
            return False
        found = _TOKEN.match(text, at)
        if found is None:
            raise _Refused()
        kind = found.lastgroup
        value = found.group(kind)
        end = found.end()
        if kind in ("var", "name", "num") and end < len(text) and text[end] not in _STOPS:
            raise _Refused()            # jsonata-python's name/number would go on: not the token seen here
        if kind == "name":
            if value in _KEYWORD_OPERATORS:
                kind = "op"
            elif value in _LITERAL_WORDS:
                kind = "lit"
        self.tokens.append((kind, value))
        self.starts.append(at)
        self.position = end
        return True

    def regex(self, index: int) -> None:
        """Re-read the '/' token at ``index`` as a regular expression literal (what followed it is
        forgotten and read again after the literal)."""
        start = self.starts[index]
        del self.tokens[index:], self.starts[index:]
        end = _regex_end(self.text, start + 1)
        self.tokens.append(("regex", self.text[start:end]))
        self.starts.append(start)
        self.position = end


def _regex_end(text: str, position: int) -> int:
    """Where the regular expression literal whose pattern starts at ``position`` ends (flags included),
    read exactly as jsonata-python's tokenizer reads it; refused when it would not compile there."""
    start, depth, length = position, 0, len(text)
    while position < length:
        char = text[position]
        if char == "/" and depth == 0:
            backslashes = 0
            while text[position - (backslashes + 1)] == "\\":
                backslashes += 1
            if backslashes % 2 == 0:
                pattern = text[start:position]
                position += 1
                flags = position
                while position < length and text[position] in "im":
                    position += 1
                options = (re.IGNORECASE if "i" in text[flags:position] else 0) | \
                    (re.MULTILINE if "m" in text[flags:position] else 0)
                try:
                    if not pattern:
                        raise ValueError(pattern)
                    re.compile(pattern, options)          # jsonata-python's default engine compiles it
                except Exception:  # noqa: BLE001 - any failure there is a syntax error: the real parser says it
                    raise _Refused() from None
                return position
        if char in "([{" and text[position - 1] != "\\":
            depth += 1
        if char in ")]}" and text[position - 1] != "\\":
            depth -= 1
        position += 1
    raise _Refused()


class _Parser:
    """Recursive descent over the subset, collecting what the analysis needs."""

    def __init__(self, lexer: _Lexer):
        self.tokens = lexer
        self.at = 0
        self.depth = 0
        self.in_predicate = 0
        # the index of the token jsonata-python reads as an operator whatever it is (the first one after
        # a prefix '(', '[' or '-'): a '/' there is a division sign, never a regular expression
        self.read_as_operator = -1
        self.variables: set[str] = set()
        self.functions: set[str] = set()
        self.assigned: set[str] = set()          # bound by ':=' or as lambda parameters (anywhere, as the real analysis counts them)
        self.states_fields: set[str] = set()
        # the first reference to the (absent) input at the top level: a field name or '$' outside any
        # predicate (the real analysis visits in the order of the text for everything in the subset)
        self.top_level: str | None = None

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens.get(self.at)

    def _take(self, op: str) -> bool:
        token = self._peek()
        if token is not None and token[0] == "op" and token[1] == op:
            self.at += 1
            return True
        return False

    def _expect(self, op: str) -> None:
        if not self._take(op):
            raise _Refused()

    def expression(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _Refused()
        token = self._peek()
        if token is not None and token[0] == "var" and token[1] and self.tokens.get(self.at + 1) == ("op", ":="):
            if token[1] == "states":
                raise _Refused()
            self.assigned.add(token[1])            # $name := expression (binds; reads nothing)
            self.at += 2
            self.expression()
            self.depth -= 1
            return
        self._binary()
        if self._take("?"):
            self.expression()
            if self._take(":"):
                self.expression()
        self.depth -= 1

    def _binary(self) -> None:
        self._unary()
        while True:
            token = self._peek()
            if token is None or token[0] != "op" or token[1] not in _BINARY:
                return
            self.at += 1
            self._unary()

    def _unary(self) -> None:
        while self._take("-"):
            self.read_as_operator = self.at
        self._operand()

    def _list(self, close: str, item) -> None:
        if self._take(close):
            return
        while True:
            item()
            if self._take(close):
                return
            self._expect(",")

    def _member(self) -> None:
        key = self._peek()
        if key is None or key[0] != "str":
            raise _Refused()
        self.at += 1
        self._expect(":")
        self.expression()

    def _operand(self) -> None:
        token = self._peek()
        if token is None:
            raise _Refused()
        kind, value = token
        self.at += 1
        if kind in ("num", "str", "lit"):
            return self._no_steps()
        if kind == "op":
            if value == "/" and self.at - 1 != self.read_as_operator:
                self.tokens.regex(self.at - 1)         # a regular expression literal: reads nothing
                return self._no_steps()
            if value in ("(", "["):
                self.read_as_operator = self.at
            if value == "(":                          # a block: expressions separated by ';'
                self.expression()
                while self._take(";"):
                    self.expression()
                self._expect(")")
            elif value == "[":
                self._list("]", self.expression)
            elif value == "{":
                self._list("}", self._member)
            else:
                raise _Refused()
            return self._no_steps()
        if kind == "name":
            if value == "function" and self._take("("):
                return self._lambda()
            if not self.in_predicate and self.top_level is None:
                self.top_level = value      # a field of the input, which AWS does not give at the top level
            return self._steps()
        if not value:                   # '$', the context item
            if self._peek() == ("op", "("):
                raise _Refused()
            if not self.in_predicate and self.top_level is None:
                self.top_level = "$"
            return self._steps()
        # a variable, maybe called
        if self._take("("):
            if value == "states":
                raise _Refused()
            self.functions.add(value)
            self._list(")", self.expression)
            return self._steps()
        if value == "states":
            following = self._peek()
            if following == ("op", "."):
                field = self.tokens.get(self.at + 1)
                if field is None or field[0] != "name":
                    raise _Refused()
                self.states_fields.add(field[1])
            elif following == ("op", "[") or following == ("op", "("):
                raise _Refused()
            else:
                self.states_fields.add("*")
        else:
            self.variables.add(value)
        self._steps()

    def _lambda(self) -> None:
        """``function($a, $b) { body }`` (no signature): the parameters are bound names."""
        if not self._take(")"):
            while True:
                parameter = self._peek()
                if parameter is None or parameter[0] != "var" or not parameter[1] or parameter[1] == "states":
                    raise _Refused()
                self.assigned.add(parameter[1])
                self.at += 1
                if self._take(")"):
                    break
                self._expect(",")
        self._expect("{")
        self.expression()
        self._expect("}")
        self._no_steps()
        if self._peek() == ("op", "/"):
            raise _Refused()        # jsonata-python reads the token after a lambda's '}' as an operand: a regex

    def _no_steps(self) -> None:
        """Steps after a literal, parentheses or a constructor are left to the real parser."""
        following = self._peek()
        if following is not None and following[0] == "op" and following[1] in (".", "[", "(", "{"):
            raise _Refused()

    def _steps(self) -> None:
        while True:
            if self._take("."):
                step = self._peek()
                if step is None or step[0] != "name":
                    raise _Refused()
                self.at += 1
            elif self._take("["):
                if self._take("]"):
                    raise _Refused()
                self.in_predicate += 1
                self.expression()
                self.in_predicate -= 1
                self._expect("]")
            else:
                following = self._peek()
                if following is not None and following[0] == "op" and following[1] in ("(", "{"):
                    raise _Refused()
                return
