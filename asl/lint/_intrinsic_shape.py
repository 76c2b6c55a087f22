"""The shape of an intrinsic call, for the semantic checks the grammar cannot express.

Syntax is decided by EXPRESSIONS' lark grammar (:func:`asl.intrinsics.check_intrinsic`). Once a
call is known to be well formed, the linter still wants to know things a grammar does not check:
how deep calls nest (AWS allows 10), which literal a ``States.Hash`` gets as its algorithm, how many
``{}`` a ``States.Format`` template has, which variables the path arguments read. This module
splits a call into ``Call(name, args)`` with a few lines of scanning — no second grammar.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Call:
    name: str
    args: list = field(default_factory=list)   # Call | ("string", text) | ("path", text) | ("other", text)

    def depth(self) -> int:
        inner = [a.depth() for a in self.args if isinstance(a, Call)]
        return 1 + (max(inner) if inner else 0)

    def walk(self):
        yield self
        for a in self.args:
            if isinstance(a, Call):
                yield from a.walk()


def shape(text: str) -> Call | None:
    """The call tree of ``text`` (already known to parse), or None if it cannot be split."""
    try:
        call, end = _call(text.strip(), 0)
    except (IndexError, ValueError):
        return None
    return call if end == len(text.strip()) else None


def _call(s: str, i: int) -> tuple[Call, int]:
    start = i
    while i < len(s) and (s[i].isalnum() or s[i] in "._"):
        i += 1
    name = s[start:i]
    i = _skip(s, i)
    if not name or s[i] != "(":
        raise ValueError(name)
    call = Call(name)
    i = _skip(s, i + 1)
    if s[i] == ")":
        return call, i + 1
    while True:
        arg, i = _arg(s, _skip(s, i))
        call.args.append(arg)
        i = _skip(s, i)
        if s[i] == ",":
            i += 1
            continue
        if s[i] == ")":
            return call, i + 1
        raise ValueError(s[i])


def _skip(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \t\r\n":
        i += 1
    return i


def _arg(s: str, i: int):
    c = s[i]
    if c == "'":
        j = i + 1
        out = []
        while s[j] != "'":
            if s[j] == "\\":
                out.append("\x00" if s[j + 1] in "{}" else s[j + 1])   # an escaped brace is no placeholder
                j += 2
            else:
                out.append(s[j])
                j += 1
        return ("string", "".join(out)), j + 1
    if c == "$":
        j, depth, quote = i, 0, None
        while j < len(s):
            ch = s[j]
            if quote:
                if ch == "\\":
                    j += 1
                elif ch == quote:
                    quote = None
            elif ch in "'\"" and depth:
                quote = ch
            elif ch in "[(":
                depth += 1
            elif ch in "])":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and ch in ", \t\r\n":
                break
            j += 1
        return ("path", s[i:j]), j
    j = i
    while j < len(s) and (s[j].isalnum() or s[j] in "._-+"):
        j += 1
    k = _skip(s, j)
    if k < len(s) and s[k] == "(":
        return _call(s, i)
    if j == i:
        raise ValueError(c)
    return ("other", s[i:j]), j


def count_placeholders(template: str) -> int:
    """``{}`` placeholders in a ``States.Format`` template (escapes already removed by :func:`shape`)."""
    return template.count("{}")
