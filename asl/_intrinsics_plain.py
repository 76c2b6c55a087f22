"""The intrinsic grammar's parse of the common call, read without lark.

``grammar/intrinsics.lark`` is the definition, and lark's LALR parser of it is the authority. But
importing lark costs ~20 ms — more than linting a hundred files — for a grammar of a dotted name, a
parenthesised argument list and five kinds of token. :func:`parse` reads the text with the grammar's
own token patterns and, when the text is certainly a call the grammar accepts, returns the very tree
lark would build (``call``/``string``/``number``/``path``/``null``/``true``/``false`` nodes whose
tokens carry lark's type and column). When the text is certainly a correct *beginning* of a call that
stops too early (``States.Format('{}', $.a``) it raises the error lark's end-of-input error becomes.
Anything else — a character the grammar does not expect, a line break (lark counts columns per line),
very deep nesting — returns None, and lark decides. A property test checks, on drawn calls and token
soups, that every answer here is exactly lark's.

Tokens follow lark's contextual lexer: in an argument, a name spelled exactly ``null``/``true``/
``false`` is that keyword; where a call's name is expected, it is a name.
"""
from __future__ import annotations

import re

_FUNCTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
_STRING = re.compile(r"'(?:[^'\\]|\\[\s\S])*'")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_PATH = re.compile(r"\$(?:[^\s,()\[\]'\"]|\[(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\]'\"])*\])*")
_BLANKS = re.compile(r"[ \t\f\r\n]*")
_KEYWORDS = ("null", "true", "false")
_AFTER_VALUE = frozenset(" \t\f\r,)")      # what may follow a string, number or path in an argument list
MAX_NESTING = 40


class Token(str):
    """A token as lark makes it: the text, with ``type`` and a 1-based ``column``."""

    __slots__ = ("type", "column")

    def __new__(cls, type_: str, value: str, column: int):
        token = super().__new__(cls, value)
        token.type = type_
        token.column = column
        return token

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {str(self)!r})"


class Node:
    """A node as lark's ``Tree`` has it: ``data`` (the rule or alias) and ``children``."""

    __slots__ = ("data", "children")

    def __init__(self, data: str, children: list):
        self.data = data
        self.children = children

    def __repr__(self) -> str:
        return f"Node({self.data!r}, {self.children!r})"


class Incomplete(Exception):
    """The text is a correct beginning of a call that ends too early (lark: unexpected end of input)."""


class _Unsure(Exception):
    """Not certain what lark would say: let lark parse."""


def parse(text: str) -> Node | None:
    """The ``call`` node lark would return for ``text`` (already stripped), None when lark must decide;
    raises :class:`Incomplete` when lark would fail at the end of the input."""
    if "\n" in text:
        return None
    reader = _Reader(text)
    try:
        call = reader.call(0)
        if _BLANKS.match(text, reader.at).end() != len(text):
            return None
        return call
    except _Unsure:
        return None


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.at = 0

    def _skip(self) -> str:
        """Past the blanks; the next character ('' at the end: lark would then meet the end of input)."""
        self.at = _BLANKS.match(self.text, self.at).end()
        return self.text[self.at] if self.at < len(self.text) else ""

    def _expect(self, char: str) -> None:
        found = self._skip()
        if found == "":
            raise Incomplete()
        if found != char:
            raise _Unsure()
        self.at += 1

    def call(self, depth: int) -> Node:
        if depth > MAX_NESTING:
            raise _Unsure()
        if self._skip() == "":
            raise Incomplete()
        name = _FUNCTION_NAME.match(self.text, self.at)
        if name is None:
            raise _Unsure()
        children: list = [Token("FUNCTION_NAME", name.group(), self.at + 1)]
        self.at = name.end()
        self._expect("(")
        following = self._skip()
        if following == ")":
            self.at += 1
            return Node("call", children)
        while True:
            children.append(self.argument(depth))
            following = self._skip()
            if following == "":
                raise Incomplete()
            self.at += 1
            if following == ")":
                return Node("call", children)
            if following != ",":
                raise _Unsure()

    def argument(self, depth: int):
        char = self._skip()
        if char == "":
            raise Incomplete()
        text, start = self.text, self.at
        if char == "'":
            return self._value("string", "STRING", _STRING.match(text, start))
        if char == "$":
            return self._value("path", "PATH", _PATH.match(text, start))
        if char == "-" or char.isdigit():
            return self._value("number", "NUMBER", _NUMBER.match(text, start))
        name = _FUNCTION_NAME.match(text, start)
        if name is None:
            raise _Unsure()
        if name.group() in _KEYWORDS:
            self.at = name.end()
            if self.at < len(text) and text[self.at] not in _AFTER_VALUE:
                raise _Unsure()
            return Node(name.group(), [])
        return self.call(depth + 1)

    def _value(self, data: str, type_: str, match) -> Node:
        if match is None:
            raise _Unsure()
        end = match.end()
        if end < len(self.text) and self.text[end] not in _AFTER_VALUE:
            raise _Unsure()
        token = Token(type_, match.group(), self.at + 1)
        self.at = end
        return Node(data, [token])
