"""The shape of an intrinsic call, for the semantic checks the grammar cannot express.

Syntax is decided by EXPRESSIONS' lark grammar (:func:`asl.intrinsics.check_intrinsic`). Once a
call is known to be well formed, the linter still wants to know things a grammar does not check:
how deep calls nest (AWS allows 10), which literal a ``States.Hash`` gets as its algorithm, how many
``{}`` a ``States.Format`` template has, which variables the path arguments read. This module
splits a call into ``Call(name, args)`` with a few lines of scanning — no second grammar.
"""
from __future__ import annotations

import re


class Call:
    """One call: its function name and arguments — Call | ("string", text, clean) | ("path", text) |
    ("other", text). (A plain class: ``dataclasses`` alone would add ~5 ms to the linter's start-up.)"""

    __slots__ = ("name", "args")

    def __init__(self, name: str, args: list | None = None):
        self.name = name
        self.args = [] if args is None else args

    def __repr__(self) -> str:
        return f"Call(name={self.name!r}, args={self.args!r})"

    def __eq__(self, other):
        return isinstance(other, Call) and (self.name, self.args) == (other.name, other.args)

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
        clean = True
        while s[j] != "'":
            if s[j] == "\\":
                clean = clean and s[j + 1] in "'{}\\"
                out.append("\x00" if s[j + 1] in "{}" else s[j + 1])   # an escaped brace is no placeholder
                j += 2
            else:
                out.append(s[j])
                j += 1
        return ("string", "".join(out), clean), j + 1
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


#: name -> (fewest, most arguments; None = any number) and the JSON type of each parameter (the last
#: repeats). The same tables as asl.intrinsics.FUNCTIONS / PARAMETER_TYPES — a test keeps them equal;
#: copied so that a clearly valid call is accepted without importing lark and building its parser.
SIGNATURES: dict[str, tuple[int, int | None, tuple[str, ...]]] = {
    "States.Format": (1, None, ("string", "any")),
    "States.StringToJson": (1, 1, ("string",)),
    "States.JsonToString": (1, 1, ("any",)),
    "States.Array": (0, None, ("any",)),
    "States.ArrayPartition": (2, 2, ("array", "number")),
    "States.ArrayContains": (2, 2, ("array", "any")),
    "States.ArrayRange": (3, 3, ("number", "number", "number")),
    "States.ArrayGetItem": (2, 2, ("array", "number")),
    "States.ArrayLength": (1, 1, ("array",)),
    "States.ArrayUnique": (1, 1, ("array",)),
    "States.Base64Encode": (1, 1, ("string",)),
    "States.Base64Decode": (1, 1, ("string",)),
    "States.Hash": (2, 2, ("string", "string")),
    "States.JsonMerge": (3, 3, ("object", "object", "boolean")),
    "States.MathRandom": (2, 3, ("number", "number", "number")),
    "States.MathAdd": (2, 2, ("number", "number")),
    "States.StringSplit": (2, 2, ("string", "string")),
    "States.UUID": (0, 0, ()),
}
HASH_ALGORITHMS = ("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512")
MAX_NESTING = 10
_NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z"     # compiled on first use (re's cache)
_LITERALS = {"null": "null", "true": "boolean", "false": "boolean"}


def surely_valid(text: str, simple_path) -> bool:
    """True only when ``text`` is certainly a valid intrinsic call: known functions with a right
    number of arguments, literals of the right JSON type, legal escapes, plain paths (``simple_path``
    decides), a literal Format template whose placeholders match, a known Hash algorithm. False means
    "ask the grammar", never "invalid"."""
    if not text or text[0].isspace():
        return False
    call = shape(text)
    return call is not None and call.depth() <= MAX_NESTING and _valid(call, simple_path)


def _valid(call: Call, simple_path) -> bool:
    signature = SIGNATURES.get(call.name)
    if signature is None:
        return False
    fewest, most, types = signature
    args = call.args
    if len(args) < fewest or (most is not None and len(args) > most):
        return False
    for position, arg in enumerate(args):
        wanted = types[min(position, len(types) - 1)] if types else "any"
        if isinstance(arg, Call):
            if not _valid(arg, simple_path):
                return False
            continue
        kind = arg[0]
        if kind == "path":
            if not simple_path(arg[1]):
                return False
            continue
        if kind == "string":
            if not arg[2]:
                return False
            found = "string"
        elif re.match(_NUMBER, arg[1]):
            found = "number"
        else:
            found = _LITERALS.get(arg[1])
            if found is None:
                return False
        if wanted != "any" and found != wanted:
            return False
    if call.name == "States.Format" and args and isinstance(args[0], tuple) and args[0][0] == "string":
        if count_placeholders(args[0][1]) != len(args) - 1:
            return False
    if call.name == "States.Hash" and isinstance(args[1], tuple) and args[1][0] == "string" \
            and args[1][1] not in HASH_ALGORITHMS:
        return False
    return True


def count_placeholders(template: str) -> int:
    """``{}`` placeholders in a ``States.Format`` template (escapes already removed by :func:`shape`)."""
    return template.count("{}")
