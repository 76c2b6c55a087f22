"""JSONPath and reference paths as AWS Step Functions evaluates them, compiled once.

AWS evaluates paths with Jayway JSONPath, and its error texts are Jayway's. This module reproduces both:

* A path is parsed once by :func:`compile_path` into an immutable :class:`Path`. Nothing on the
  per-state path parses text again.
* A *definite* path made only of ``.name``, ``['name']`` and ``[n]`` steps (which is what nearly every
  real definition uses: ``$``, ``$.order.items[0]``) becomes a tuple of keys walked by a small loop. That
  is an order of magnitude faster than a jsonpath-ng tree, and it lets us say *why* nothing matched in
  Jayway's words (``No results for path: $['x']``, ``Missing property in path $['a']``), which AWS
  copies into its ``States.Runtime`` causes.
* Everything else (wildcards, ``..``, slices, unions, filters ``[?(@.x > 1)]``) goes through
  ``jsonpath_ng.ext``. Such *indefinite* paths always give a list, ``[]`` when nothing matches (AWS
  never fails them).

Three roots exist: ``$...`` is the state's data, ``$$...`` the context object, and ``$name...`` (a name
that is not ``$.``/``$[``/``$$``) a workflow variable whose value the rest of the path walks.

A *reference path* (ResultPath, ItemsPath, the ``*Path`` fields, Choice ``Variable``) must name exactly
one node: only the definite steps above are allowed.

Values returned by :meth:`Path.get` are shared with the data they come from; callers treat JSON values
as immutable (``set_result_path`` copies what it changes and never mutates its input).
"""
from __future__ import annotations

import functools
import json
import re
from typing import Any, Mapping

from .errors import RESULT_PATH_MATCH_FAILURE, RUNTIME, AslError, StatesError

INPUT = "input"
CONTEXT = "context"
VARIABLE = "variable"

_JSON_PROVIDER = "com.jayway.jsonpath.spi.json.JsonSmartJsonProvider"
_LENGTH_SCRIPT = re.compile(r"\(\s*@\s*\.\s*length\s*-\s*(\d+)\s*\)")


class PathSyntaxError(AslError, ValueError):
    """A path that cannot be parsed; ``column`` is 1-based within the path text."""

    def __init__(self, message: str, column: int = 1):
        self.message = message
        self.column = column
        super().__init__(f"{message} (at column {column})")


class PathNotFound(StatesError):
    """A definite path matched nothing: ``States.Runtime`` with AWS's ``Invalid path`` cause.

    ``path_text`` is the path as written, ``detail`` Jayway's reason (``No results for path: $['x']``).
    """

    def __init__(self, path_text: str, detail: str):
        self.path_text = path_text
        self.detail = detail
        super().__init__(RUNTIME, f"Invalid path '{path_text}' : {detail}")


def java_double(value: float) -> str:
    """Java's ``Double.toString``, which AWS uses for every float it prints: ``1.0``, ``1.1``,
    ``1.0E20``, ``1.5E-5``."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if str(value).startswith("-") else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        text = repr(value)
        return text if "." in text else text + ".0"
    from decimal import Decimal      # only for very large/small floats: not worth ~1 ms of every start-up

    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    digit_text = "".join(map(str, digits)).rstrip("0") or "0"
    mantissa = digit_text[0] + "." + (digit_text[1:] or "0")
    return f"{'-' if sign else ''}{mantissa}E{len(digits) + exponent - 1}"


def compact_json(value: Any) -> str:
    """JSON the way AWS (Jackson) writes values into outputs of ``States.JsonToString`` and causes:
    no blanks, non-ASCII kept, floats as Java prints them."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(compact_json(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{compact_json(v)}"
                              for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


# --------------------------------------------------------------------------------------------- parsing

def _is_name_start(ch: str) -> bool:
    return ch == "_" or ch.isidentifier()


def _is_name_char(ch: str) -> bool:
    return ("a" + ch).isidentifier()


def _split_root(text: str) -> tuple[str, str | None, int]:
    """Return (kind, variable name or None, offset where the steps start)."""
    if not text.startswith("$"):
        raise PathSyntaxError("A path must start with '$'", 1)
    if text.startswith("$$"):
        return CONTEXT, None, 2
    if len(text) == 1 or text[1] in ".[":
        return INPUT, None, 1
    if not _is_name_start(text[1]):
        raise PathSyntaxError(f"Unexpected character {text[1]!r} after '$'", 2)
    end = 2
    while end < len(text) and _is_name_char(text[end]):
        end += 1
    if end < len(text) and text[end] not in ".[":
        raise PathSyntaxError(f"Unexpected character {text[end]!r} in variable name", end + 1)
    return VARIABLE, text[1:end], end


class _Complex(Exception):
    """Raised by the simple scanner when the path needs the full JSONPath engine."""


def _scan_simple(text: str, start: int) -> tuple[Any, ...]:
    """Parse ``.name`` / ``['name']`` / ``[n]`` steps from ``text[start:]`` into a tuple of keys.

    Raises :class:`_Complex` at the first step that is not definite, PathSyntaxError on bad syntax.
    Dot names follow Jayway: anything but blank, ``.``, ``[`` and ``(``; a backslash escapes the next
    character (``$.store\\.book`` names the key ``store.book``). Inside ``['...']`` a backslash only
    keeps the next character from closing the name and stays in the key, as recorded against AWS
    (``$['Test\\"Name']`` names the key ``Test\\"Name``).
    """
    keys: list[Any] = []
    i, n = start, len(text)
    while i < n:
        ch = text[i]
        if ch == ".":
            i += 1
            if i >= n:
                raise PathSyntaxError("Path must not end with a '.'", i + 1)
            if text[i] in ".*":
                raise _Complex()
            name: list[str] = []
            while i < n and text[i] not in ".[":
                c = text[i]
                if c == "\\":
                    if i + 1 >= n:
                        raise PathSyntaxError("Dangling escape character '\\'", i + 1)
                    name.append(text[i + 1])
                    i += 2
                    continue
                if c == "(":
                    raise _Complex()
                if c in " \t\r\n":
                    raise PathSyntaxError(
                        "Use bracket notation ['my prop'] if a property contains blank characters", i + 1)
                name.append(c)
                i += 1
            if not name:
                raise PathSyntaxError("Property name expected after '.'", i + 1)
            keys.append("".join(name))
        elif ch == "[":
            i += 1
            if i >= n:
                raise PathSyntaxError("Unterminated '['", i)
            c = text[i]
            if c in "'\"":
                quote, i = c, i + 1
                name = []
                while i < n and text[i] != quote:
                    if text[i] == "\\" and i + 1 < n:
                        # AWS keeps the backslash: it only stops the next character ending the name
                        name.append(text[i:i + 2])
                        i += 2
                        continue
                    name.append(text[i])
                    i += 1
                if i >= n:
                    raise PathSyntaxError("Unterminated quoted property name", i)
                i += 1
                if i < n and text[i] == ",":
                    raise _Complex()
                if i >= n or text[i] != "]":
                    raise PathSyntaxError("Expected ']' after a quoted property name", i + 1)
                keys.append("".join(name))
                i += 1
            elif c == "-" or c.isdigit():
                j = i + 1
                while j < n and text[j].isdigit():
                    j += 1
                digits = text[i:j]
                if digits == "-" or not (digits.lstrip("-").isascii()):
                    raise PathSyntaxError("Array index expected", i + 1)
                if j < n and text[j] in ",:":
                    raise _Complex()
                if j >= n or text[j] != "]":
                    raise PathSyntaxError("Expected ']' after an array index", j + 1)
                keys.append(int(digits))
                i = j + 1
            elif c == "(":
                match = _LENGTH_SCRIPT.match(text, i)
                close = match.end() if match else -1
                if match and close < n and text[close] == "]":
                    keys.append(-int(match.group(1)))
                    i = close + 1
                else:
                    raise _Complex()
            elif c in "*?:":
                raise _Complex()
            else:
                raise PathSyntaxError(f"Unexpected character {c!r} after '['", i + 1)
        else:
            raise PathSyntaxError(f"Unexpected character {ch!r}; expected '.' or '['", i + 1)
    return tuple(keys)


_NG_ERROR_POSITION = re.compile(r"at (\d+):(\d+)")


def _keep_backslashes(body: str) -> str:
    """Quoted property names as AWS reads them, for jsonpath-ng.

    In ``['...']`` (and unions ``['a','b']``) a backslash only stops the next character from closing
    the name and stays in the key (``$..['Test\\"Name']`` names ``Test\\"Name``, as in
    :func:`_scan_simple`), whereas jsonpath-ng's lexer drops it. Doubling each backslash makes its lexer
    keep one. Filters (``[?(...)]``) are left as they are.
    """
    if "\\" not in body:
        return body
    out: list[str] = []
    i, n, depth = 0, len(body), 0
    while i < n:
        ch = body[i]
        if depth == 0 and ch in "'\"" and body[:i].rstrip()[-1:] in ("[", ","):
            quote = ch
            out.append(ch)
            i += 1
            while i < n and body[i] != quote:
                if body[i] == "\\" and i + 1 < n:
                    out.append("\\\\\\" + body[i + 1])     # \X -> \\\X: jsonpath-ng reads \\ as \ and \X as X
                    i += 2
                    continue
                out.append(body[i])
                i += 1
            if i < n:
                out.append(body[i])
                i += 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        out.append(ch)
        i += 1
    return "".join(out)


def _compile_jsonpath_ng(text: str, offset: int):
    """Parse an indefinite path with jsonpath-ng's extended parser (filters included)."""
    from jsonpath_ng.ext import parse as ng_parse  # imported lazily: most definitions never need it

    body = _keep_backslashes(_LENGTH_SCRIPT.sub(lambda m: "-" + m.group(1), text[offset:]))
    try:
        return ng_parse("$" + body)
    except Exception as exc:  # jsonpath-ng raises several unrelated classes (lexer, parser, bare Exception)
        column = 1
        match = _NG_ERROR_POSITION.search(str(exc))
        if match:
            column = max(1, int(match.group(2)) + offset - 1)
        message = str(exc).split("\n")[0] or "Invalid JSONPath"
        raise PathSyntaxError(f"Invalid JSONPath: {message}", column) from None


# --------------------------------------------------------------------------------------------- Path

def _java_class(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        return "java.lang.Integer" if -(2 ** 31) <= value < 2 ** 31 else "java.lang.Long"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, str):
        return "java.lang.String"
    if isinstance(value, list):
        return "net.minidev.json.JSONArray"
    return "java.util.LinkedHashMap"


def _fragment(key: Any) -> str:
    return f"['{key}']" if isinstance(key, str) else f"[{key}]"


def normalized(keys: tuple[Any, ...]) -> str:
    """Jayway's normalized form of a definite path: ``$['a'][0]``."""
    return "$" + "".join(_fragment(k) for k in keys)


def _explain_miss(keys: tuple[Any, ...], root: Any) -> str:
    """Jayway's message for a definite path that does not resolve against ``root``."""
    current, node = "$", root
    last = len(keys) - 1
    for position, key in enumerate(keys):
        fragment = _fragment(key)
        if isinstance(key, str):
            if not isinstance(node, dict):
                return (f"Expected to find an object with property {fragment} in path {current} but found "
                        f"'{_java_class(node)}'. This is not a json object according to the JsonProvider: "
                        f"'{_JSON_PROVIDER}'.")
            if key not in node:
                if position == last:
                    return f"No results for path: {normalized(keys)}"
                return f"Missing property in path {current}{fragment}"
        else:
            if node is None:
                return f"The path {current} is null"
            if not isinstance(node, list):
                return f"Filter: {fragment} can only be applied to arrays. Current context is: {compact_json(node)}"
            if not -len(node) <= key < len(node):
                return f"No results for path: {normalized(keys)}"
        current += fragment
        node = node[key]
    return f"No results for path: {normalized(keys)}"  # pragma: no cover - only called on a miss


class Path:
    """A compiled path. Immutable; :meth:`get` is the only per-state work.

    ``kind`` is ``'input'``, ``'context'`` or ``'variable'`` (then ``variable`` is its name);
    ``keys`` is the tuple of steps for definite paths (None otherwise); ``is_definite`` tells whether
    :meth:`get` returns the node itself (True) or a list of matches (False).
    """

    __slots__ = ("text", "kind", "variable", "keys", "is_definite", "_ng", "_getter")

    def __init__(self, text: str, kind: str, variable: str | None, keys: tuple | None, ng: Any):
        self.text = text
        self.kind = kind
        self.variable = variable
        self.keys = keys
        self.is_definite = keys is not None
        self._ng = ng
        self._getter = self._make_getter()

    def __repr__(self) -> str:
        return f"Path({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Path) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    @property
    def is_reference(self) -> bool:
        """True when the path names exactly one node (a valid reference path)."""
        return self.keys is not None

    def _make_getter(self):
        keys, text = self.keys, self.text
        if keys is None:
            ng = self._ng

            def get_many(root: Any) -> list:
                try:
                    return [match.value for match in ng.find(root)]
                except Exception:  # a filter comparing mismatched types: Jayway treats it as no match
                    return []
            return get_many
        if not keys:
            return lambda root: root
        if len(keys) == 1:
            (only,) = keys
            if isinstance(only, str):
                def get_one(root: Any) -> Any:
                    if isinstance(root, dict):
                        try:
                            return root[only]
                        except KeyError:
                            pass
                    raise PathNotFound(text, _explain_miss(keys, root))
                return get_one

        def get_definite(root: Any) -> Any:
            node = root
            for key in keys:
                if isinstance(key, str):
                    if isinstance(node, dict):
                        try:
                            node = node[key]
                            continue
                        except KeyError:
                            pass
                elif isinstance(node, list):
                    try:
                        node = node[key]
                        continue
                    except IndexError:
                        pass
                raise PathNotFound(text, _explain_miss(keys, root))
            return node
        return get_definite

    def root_of(self, data: Any, context: Any = None, variables: Mapping[str, Any] | None = None) -> Any:
        """The document this path walks: the data, the context object, or the variable's value."""
        if self.kind == INPUT:
            return data
        if self.kind == CONTEXT:
            return {} if context is None else context
        if variables is None or self.variable not in variables:
            raise StatesError(RUNTIME, f"Invalid path '{self.text}' : The variable '${self.variable}' "
                                       "is not defined")
        return variables[self.variable]

    def get(self, data: Any, context: Any = None, variables: Mapping[str, Any] | None = None) -> Any:
        """Evaluate against ``data`` (or the context / variables); raises :class:`PathNotFound`."""
        if self.kind == INPUT:
            return self._getter(data)
        return self._getter(self.root_of(data, context, variables))

    def exists(self, data: Any, context: Any = None, variables: Mapping[str, Any] | None = None) -> bool:
        """True when :meth:`get` would find a value (``IsPresent``)."""
        try:
            result = self.get(data, context, variables)
        except StatesError:
            return False
        return self.is_definite or bool(result)


@functools.lru_cache(maxsize=4096)
def compile_path(text: str, *, reference: bool = False) -> Path:
    """Compile a path once. ``reference=True`` accepts only paths that name exactly one node.

    Raises :class:`PathSyntaxError` (with a 1-based column) for anything that is not a path.
    Compiled paths are immutable, so identical texts share one object.
    """
    if not isinstance(text, str):
        raise PathSyntaxError("A path must be a string", 1)
    kind, variable, offset = _split_root(text)
    try:
        keys: tuple | None = _scan_simple(text, offset)
        ng = None
    except _Complex:
        if reference:
            raise PathSyntaxError(
                "A reference path must name a single node (no '*', '..', slices, unions or filters)",
                _first_indefinite_column(text, offset)) from None
        keys, ng = None, _compile_jsonpath_ng(text, offset)
    return Path(text, kind, variable, keys, ng)


def _first_indefinite_column(text: str, offset: int) -> int:
    for position in range(offset, len(text)):
        if text[position] in "*?:,@" or text.startswith("..", position):
            return position + 1
    return offset + 1


def check_path(text: Any, *, reference: bool = False, allow_context: bool = True,
               allow_variables: bool = True) -> str | None:
    """For the linter: None when ``text`` is an acceptable path, else a message saying what is wrong."""
    if not isinstance(text, str):
        return "A path must be a string"
    try:
        path = compile_path(text, reference=reference)
    except PathSyntaxError as exc:
        return exc.message if exc.column <= 1 else f"{exc.message} (column {exc.column})"
    if path.kind == CONTEXT and not allow_context:
        return "A context object path ($$) is not allowed here"
    if path.kind == VARIABLE and not allow_variables:
        return "A variable reference is not allowed here"
    return None


# --------------------------------------------------------------------------------------------- ResultPath

def set_result_path(path: Path | None, raw_input: Any, result: Any) -> Any:
    """Merge ``result`` into ``raw_input`` at a ResultPath, as AWS does.

    ``None`` (``"ResultPath": null``) keeps the input; ``$`` replaces it. Missing objects along the
    path are created; only the containers on the path are copied, so ``raw_input`` is never mutated.
    A path that runs into a non-object (or an array index out of range) fails with
    ``States.ResultPathMatchFailure``.
    """
    if path is None:
        return raw_input
    keys = path.keys
    if keys is None or path.kind != INPUT:
        raise StatesError(RESULT_PATH_MATCH_FAILURE,
                          f"Unable to apply ReferencePath {path.text} to input {compact_json(raw_input)}")
    if not keys:
        return result
    return _assign(keys, 0, raw_input, result, path.text, raw_input)


_MISSING = object()


def _assign(keys: tuple, position: int, node: Any, value: Any, text: str, raw_input: Any) -> Any:
    if position == len(keys):
        return value
    key = keys[position]
    if isinstance(key, str):
        if node is _MISSING:
            node = {}
        if isinstance(node, dict):
            copy = dict(node)
            copy[key] = _assign(keys, position + 1, node.get(key, _MISSING), value, text, raw_input)
            return copy
    elif isinstance(node, list) and -len(node) <= key < len(node):
        copy = list(node)
        copy[key] = _assign(keys, position + 1, node[key], value, text, raw_input)
        return copy
    raise StatesError(RESULT_PATH_MATCH_FAILURE,
                      f"Unable to apply ReferencePath {text} to input {compact_json(raw_input)}")


__all__ = [
    "INPUT", "CONTEXT", "VARIABLE", "Path", "PathSyntaxError", "PathNotFound", "compile_path",
    "check_path", "set_result_path", "compact_json", "java_double", "normalized",
]
