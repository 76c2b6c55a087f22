"""Reading definitions: JSON or YAML text, files, already-parsed values and CloudFormation/SAM templates.

``read`` turns whatever the user handed us into a :class:`Document`: the JSON value the rest of aslkit works
on, plus a way to turn any JSON pointer into a ``line:column`` of the text it came from. Problems with the
*source itself* become diagnostics here, never exceptions (the linter reports them with everything else):

* ``ASL000 unreadable-source`` -- malformed JSON/YAML, empty, binary, unreadable file (with the parser's position);
* ``ASL003 duplicate-key``     -- a key given twice in one object (``json.loads`` silently keeps the last one,
  AWS rejects a state defined twice); reported at the second occurrence;
* ``ASL004 too-large``         -- more than 1,048,576 bytes, AWS's definition limit;
* ``ASL005 too-deep``          -- nested deeper than :data:`MAX_DEPTH` levels (the value is then dropped, so no
  later recursive pass can hit ``RecursionError``).

Speed: the value comes from ``json.loads`` (C speed); the duplicate check costs one tiny
``object_pairs_hook``. Positions are computed lazily -- only when :meth:`Document.locate` is first called is the
text tokenised once into a pointer -> offset table. For YAML, PyYAML's composed nodes (libyaml when available)
carry their marks, and the value is built from those nodes by our own small constructor so that timestamps stay
strings, duplicate keys are seen, CloudFormation short tags (``!Ref``, ``!GetAtt``...) become their JSON form and
alias bombs or recursive aliases cannot explode.
"""
from __future__ import annotations

import bisect
import functools
import json
from json.decoder import scanstring as _scan_string
import math
import os
import re
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .diagnostics import ERROR, WARNING, Diagnostic

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "Document",
    "read",
    "read_all",
    "iter_definition_files",
    "MAX_DEFINITION_BYTES",
    "MAX_DEPTH",
    "SOURCE_RULES",
]

MAX_DEFINITION_BYTES = 1_048_576        # AWS: a definition is at most 1 MiB
MAX_DEPTH = 200                         # deeper than this is certainly not a real state machine
PARSE_LIMIT_BYTES = 64 * 1_048_576      # JSON bigger than this is reported without being parsed
YAML_PARSE_LIMIT_BYTES = 8 * 1_048_576  # YAML is ~50x slower to parse than JSON
_EXPANSION_LIMIT = 16 * 1_048_576       # YAML aliases may not expand the value beyond this

# code -> (name, default severity, what it means): the linter registers these so they can be documented,
# selected and suppressed like every other rule.
SOURCE_RULES = {
    "ASL000": ("unreadable-source", ERROR, "the file or text is not a readable JSON/YAML document"),
    "ASL003": ("duplicate-key", ERROR, "a key appears twice in one object; only the last one would count"),
    "ASL004": ("too-large", ERROR, "the definition is larger than AWS's 1,048,576-byte limit"),
    "ASL005": ("too-deep", ERROR, f"the document is nested deeper than {MAX_DEPTH} levels"),
}

DEFINITION_SUFFIXES = (".asl.json", ".asl.yaml", ".asl.yml")
TEMPLATE_NAMES = ("template.json", "template.yaml", "template.yml")
TEMPLATE_SUFFIXES = (".template.json", ".template.yaml", ".template.yml")
_JSON_EXTENSIONS = (".json",)
_YAML_EXTENSIONS = (".yaml", ".yml")

Position = tuple[int, int]


def _diagnostic(code: str, message: str, position: Position | None = None, *, pointer: str = "",
                severity: str | None = None, aws_code: str | None = None) -> Diagnostic:
    name, default_severity, _ = SOURCE_RULES[code]
    line, column = position or (1, 1)
    return Diagnostic(code, message, pointer, severity or default_severity, name, line, column, None, aws_code)


def _escape(token: str) -> str:
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


# --------------------------------------------------------------------------------------------- positions

class _Lines:
    """Offset -> (line, column), 1-based, columns in characters; CRLF, CR and LF all end a line.

    A linted file usually needs a handful of positions, so text without CR is answered by counting
    line feeds up to the offset (C speed, no table); the table of line starts is built only for text
    with CRs or once many positions have been asked for.
    """

    __slots__ = ("_text", "_starts", "_asked")

    def __init__(self, text: str):
        self._text = text
        self._starts: list[int] | None = None
        self._asked = 0

    def position(self, offset: int) -> Position:
        starts = self._starts
        if starts is None:
            text = self._text
            self._asked += 1
            if self._asked <= 16 and "\r" not in text:
                return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
            starts = self._starts = [0] + [m.end() for m in re.finditer(r"\r\n?|\n", text)]
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1


class _Positions:
    """Where each JSON pointer is: ``key`` is the member's key (or an array item's value), ``value`` the value."""

    def key(self, pointer: str) -> Position | None:
        return None

    def value(self, pointer: str) -> Position | None:
        return None

    def style(self, pointer: str) -> str | None:
        """How a string value is written: YAML's scalar style ('|', '>', '"', "'", '') or '"' for JSON."""
        return None


NO_POSITIONS = _Positions()

# One token of JSON text: a string, a punctuation character, or a run of anything else (number, literal).
_JSON_TOKEN_PATTERN = r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]|[^\s{}\[\],:"]+'


@functools.cache
def _json_token():
    """The pattern, compiled on first use: only broken JSON and duplicate keys need it."""
    return re.compile(_JSON_TOKEN_PATTERN, re.DOTALL)


def _scan_json(text: str) -> tuple[dict[str, int], dict[str, int], list[tuple[str, int, int]]]:
    """Tokenise valid JSON text once: pointer -> offset of the key (members) / value, and duplicate keys.

    Hand-written because the stdlib ``json`` module reports no positions for what it parses, and the
    alternatives are either much slower (a pure-Python JSON parser building the value too) or another
    dependency. Iterative (an explicit stack), so nesting depth cannot overflow Python's stack.
    """
    keys: dict[str, int] = {}
    values: dict[str, int] = {}
    duplicates: list[tuple[str, int, int]] = []
    # a frame is [is_object, pointer, array index | pending member pointer, expecting_key, seen keys]
    stack: list[list[Any]] = []
    for match in _json_token().finditer(text):
        token = match.group()
        first = token[0]
        start = match.start()
        if first == ",":
            if not stack:
                continue
            frame = stack[-1]
            if frame[0]:
                frame[3] = True
            else:
                frame[2] += 1
            continue
        if first == ":":
            continue
        if first == "}" or first == "]":
            if stack:
                stack.pop()
            continue
        if stack:
            frame = stack[-1]
            if frame[0]:
                if frame[3]:                     # a key
                    key = token[1:-1] if "\\" not in token else json.loads(token)
                    pointer = frame[1] + "/" + _escape(key)
                    seen = frame[4]
                    if key in seen:
                        duplicates.append((pointer, start, seen[key]))
                    seen[key] = start
                    keys[pointer] = start
                    frame[2] = pointer
                    frame[3] = False
                    continue
                pointer = frame[2]
            else:
                pointer = frame[1] + "/" + str(frame[2])
                keys[pointer] = start
        else:
            pointer = ""
            keys[pointer] = start
        values[pointer] = start
        if first == "{":
            stack.append([True, pointer, None, True, {}])
        elif first == "[":
            stack.append([False, pointer, 0, False, None])
    return keys, values, duplicates


_BLANKS = re.compile(r"[ \t\n\r]*")
# one member of an object: its key, and a scalar value with what follows it when the value is a scalar
# (containers are stepped over by the C scanner); text is valid JSON, so no need to validate here
@functools.cache
def _member_patterns():
    """(one member, what follows an item): compiled on first use, as clean files are never located."""
    return (re.compile(r'[ \t\n\r]*"([^"\\]*(?:\\.[^"\\]*)*)"[ \t\n\r]*:[ \t\n\r]*'
                       r'(?:("[^"\\]*(?:\\.[^"\\]*)*"|[-0-9][-+.0-9eE]*|true|false|null)[ \t\n\r]*([,}])[ \t\n\r]*)?',
                       re.DOTALL),
            re.compile(r"[ \t\n\r]*([,}\]])[ \t\n\r]*"))
_skip_value = json.JSONDecoder().scan_once     # C: (text, offset) -> (value, end offset)


class _Children:
    """The members of one JSON object (key -> (key offset, value offset)) or the item offsets of one
    array, in valid JSON text, listed lazily: a lookup reads members only until it finds its key, and
    the value it finds is not read at all (the next level lists it, if asked).

    Values passed over are stepped across by the C scanner of the ``json`` module, so locating a
    member costs a few C calls per sibling before it, never a tokenisation of the whole document.
    With ``complete`` (the text has duplicate keys) an object is read to its end, so that a key's
    position is that of its last occurrence, the one ``json.loads`` keeps.
    """

    __slots__ = ("text", "members", "next_at", "complete")

    def __init__(self, text: str, start: int, complete: bool):
        self.text = text
        self.complete = complete
        opener = text[start]
        self.members: Any = {} if opener == "{" else [] if opener == "[" else None
        # where reading resumes: the next member (>= 0); the value of the last member read, still to
        # be stepped over (<= -2, as -2 - offset); nothing left (-1)
        self.next_at = -1
        if self.members is not None:
            at = _BLANKS.match(text, start + 1).end()
            if text[at] not in "}]":
                self.next_at = at

    def get(self, token: str) -> tuple[int, int] | None:
        members = self.members
        if type(members) is dict:
            if "~" in token:
                token = token.replace("~1", "/").replace("~0", "~")
            found = members.get(token)
            if found is not None and (self.next_at == -1 or not self.complete):
                return found
            return self._read_members(token)
        if type(members) is list:
            if not (token.isdigit() and token.isascii() and (token == "0" or token[0] != "0")):
                return None
            index = int(token)
            while len(members) <= index and self.next_at != -1:
                self._read_item()
            if index < len(members):
                return members[index], members[index]
        return None

    def _step_over(self, value_at: int) -> int:
        """Past the value at ``value_at`` and the ',' after it: the next member, or -1 at the end."""
        after = _member_patterns()[1].match(self.text, _skip_value(self.text, value_at)[1])
        return after.end() if after.group(1) == "," else -1

    def _read_members(self, token: str) -> tuple[int, int] | None:
        text, members, at = self.text, self.members, self.next_at
        member = _member_patterns()[0].match
        if at <= -2:
            at = self._step_over(-2 - at)
        while at >= 0:
            match = member(text, at)
            key, scalar, follows = match.groups()
            if "\\" in key:
                key = _scan_string(text, match.start(1))[0]
            if scalar is None:
                value_at = match.end()
                if key == token and not self.complete:
                    members[key] = (match.start(1) - 1, value_at)
                    at = -2 - value_at
                    break
                at = self._step_over(value_at)
            else:
                value_at = match.start(2)
                at = match.end() if follows == "," else -1
            members[key] = (match.start(1) - 1, value_at)
            if key == token and not self.complete:
                break
        self.next_at = at
        return members.get(token)

    def _read_item(self) -> None:
        at = self.next_at
        if at <= -2:
            at = self._step_over(-2 - at)
            if at < 0:
                self.next_at = at
                return
        self.members.append(at)
        self.next_at = -2 - at


class _JsonPositions(_Positions):
    """Positions in JSON text, found on demand.

    A pointer is followed from the root one level at a time through :class:`_Children` listings,
    remembered per pointer, so the positions of many findings in one state cost one partial listing
    of each object on the way. Only duplicate keys (rare) need the full tokenisation of
    :func:`_scan_json`.
    """

    __slots__ = ("_text", "_lines", "_found", "_children", "_complete")

    def __init__(self, text: str, lines: _Lines, *, has_duplicates: bool = True):
        self._text = text
        self._lines = lines
        self._complete = has_duplicates
        self._found: dict[str, tuple[int, int] | None] = {}        # pointer -> (key offset, value offset)
        self._children: dict[str, _Children | None] = {}

    def _offsets(self, pointer: str) -> tuple[int, int] | None:
        found = self._found
        if pointer in found:
            return found[pointer]
        if not pointer:
            start = _BLANKS.match(self._text).end()
            result: tuple[int, int] | None = (start, start) if start < len(self._text) else None
        else:
            cut = pointer.rfind("/")
            parent = pointer[:cut]
            result = None
            children = self._children.get(parent)
            if children is None and parent not in self._children:
                where = self._offsets(parent)
                try:
                    children = None if where is None else _Children(self._text, where[1], self._complete)
                except (ValueError, IndexError):
                    children = None
                self._children[parent] = children
            if children is not None:
                try:
                    result = children.get(pointer[cut + 1:])
                except (ValueError, IndexError, AttributeError, StopIteration):   # not JSON after all
                    self._children[parent] = None
        found[pointer] = result
        return result

    def duplicates(self) -> list[tuple[str, Position, Position]]:
        _keys, _values, duplicates = _scan_json(self._text)
        return [(p, self._lines.position(a), self._lines.position(b)) for p, a, b in duplicates]

    def key(self, pointer: str) -> Position | None:
        offsets = self._offsets(pointer)
        return None if offsets is None else self._lines.position(offsets[0])

    def value(self, pointer: str) -> Position | None:
        offsets = self._offsets(pointer)
        return None if offsets is None else self._lines.position(offsets[1])

    def style(self, pointer: str) -> str | None:
        return '"'


class _PrefixPositions(_Positions):
    """Positions of a value nested at ``prefix`` inside a bigger document (a template's ``Definition``)."""

    __slots__ = ("_base", "_prefix")

    def __init__(self, base: _Positions, prefix: str):
        self._base = base
        self._prefix = prefix

    def key(self, pointer: str) -> Position | None:
        return self._base.key(self._prefix + pointer)

    def value(self, pointer: str) -> Position | None:
        return self._base.value(self._prefix + pointer)

    def style(self, pointer: str) -> str | None:
        return self._base.style(self._prefix + pointer)


class _MappedPositions(_Positions):
    """Positions of a document parsed out of a string (a ``DefinitionString``), moved into the outer text."""

    __slots__ = ("_inner", "_move", "_anchor")

    def __init__(self, inner: _Positions, move, anchor: Position):
        self._inner = inner
        self._move = move
        self._anchor = anchor

    def key(self, pointer: str) -> Position | None:
        position = self._inner.key(pointer)
        if position is None:
            return None if pointer else self._anchor
        return self._move(position)

    def value(self, pointer: str) -> Position | None:
        position = self._inner.value(pointer)
        return None if position is None else self._move(position)


# --------------------------------------------------------------------------------------------- YAML

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"

# CloudFormation's short-form tags and the JSON key each stands for.
_CFN_FUNCTIONS = (
    "And", "Base64", "Cidr", "Equals", "FindInMap", "ForEach", "GetAtt", "GetAZs", "If", "ImportValue", "Join",
    "Length", "Not", "Or", "Select", "Split", "Sub", "ToJsonString", "Transform",
)
CFN_TAGS = {"!Ref": "Ref", "!Condition": "Condition", **{f"!{name}": f"Fn::{name}" for name in _CFN_FUNCTIONS}}


@functools.cache
def _yaml():
    """(yaml module, loader class, scalar constructor), imported on first use: JSON-only runs (the common
    case, and every ``asl lint`` of one JSON file) do not pay PyYAML's import time.

    The loader is PyYAML's safe loader (libyaml when present) minus the timestamp resolver: dates stay strings.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

    class AslLoader(base):  # type: ignore[misc,valid-type]
        pass

    AslLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    return yaml, AslLoader, yaml.constructor.SafeConstructor()


def _mark(node) -> Position:
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


def _key_text(node) -> str | None:
    """A mapping key as the string CloudFormation/JSON would see: the scalar's text (``200: x`` -> "200")."""
    if node.id == "scalar" and node.tag not in CFN_TAGS:
        return node.value
    return None


def _mapping_items(node, problems: list | None = None, visiting: set | None = None):
    """(key, key node, value node) of a mapping with YAML merge keys (``<<``) applied, as PyYAML does."""
    explicit: list[tuple[str, Any, Any]] = []
    merged: dict[str, tuple[Any, Any]] = {}
    seen: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:
            visiting = visiting if visiting is not None else set()
            visiting.add(id(node))
            sources = value_node.value if value_node.id == "sequence" else [value_node]
            for source in sources:
                if source.id == "mapping" and id(source) not in visiting:
                    if len(visiting) > MAX_DEPTH:
                        raise _TooDeep(source)
                    for key, k, v in _mapping_items(source, None, visiting):
                        merged.setdefault(key, (k, v))
            continue
        key = _key_text(key_node)
        if key is None:
            if problems is not None:
                problems.append(_diagnostic(
                    "ASL000", "a mapping key must be a plain string (JSON object keys are strings)", _mark(key_node)))
            continue
        if key in seen and problems is not None:
            problems.append(("dup", key, key_node, seen[key]))
        seen[key] = key_node
        explicit.append((key, key_node, value_node))
    if not merged:
        return explicit
    items = dict(merged)
    for key, k, v in explicit:
        items[key] = (k, v)
    return [(key, k, v) for key, (k, v) in items.items()]


class _TooDeep(Exception):
    def __init__(self, node):
        self.node = node


class _TooLarge(Exception):
    pass


class _YamlBuilder:
    """Builds the JSON value from composed YAML nodes, with PyYAML's safe semantics for scalars.

    Recursion is bounded by :data:`MAX_DEPTH` (checked before descending), aliases are built once and their
    expanded size counted, so recursive aliases end as ASL005 and alias bombs as ASL004.
    """

    def __init__(self):
        self.problems: list = []
        self._memo: dict[int, tuple[Any, int, int]] = {}

    def build(self, node, depth: int = 1) -> tuple[Any, int, int]:
        """-> (value, height, estimated compact-JSON size)."""
        memo = self._memo.get(id(node))
        if memo is not None:
            if depth + memo[1] - 1 > MAX_DEPTH:
                raise _TooDeep(node)
            return memo
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        tag = node.tag
        function = CFN_TAGS.get(tag)
        if node.id == "scalar":
            if function is not None:
                if function == "Fn::GetAtt":
                    value = {function: node.value.split(".", 1)}
                else:
                    value = {function: node.value}
                result = (value, 2, len(node.value) + len(function) + 6)
            else:
                result = (self._scalar(node), 1, len(node.value) + 2)
        elif node.id == "sequence":
            items = []
            height = size = 1
            for item in node.value:
                value, item_height, item_size = self.build(item, depth + 1)
                items.append(value)
                height = max(height, item_height + 1)
                size += item_size + 1
            result = (items, height, size)
        else:
            value = {}
            height = size = 1
            for key, key_node, value_node in _mapping_items(node, self.problems):
                member, member_height, member_size = self.build(value_node, depth + 1)
                value[key] = member
                height = max(height, member_height + 1)
                size += member_size + len(key) + 4
            result = (value, height, size)
        if function is not None and not node.id == "scalar":
            value, height, size = result
            result = ({function: value}, height + 1, size + len(function) + 6)
        if result[2] > _EXPANSION_LIMIT:
            raise _TooLarge()
        self._memo[id(node)] = result
        return result

    def _scalar(self, node) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        scalars = _yaml()[2]
        try:
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return scalars.construct_yaml_bool(node)
            if tag == _INT:
                return scalars.construct_yaml_int(node)
            if tag == _FLOAT:
                number = scalars.construct_yaml_float(node)
                if not math.isfinite(number):
                    self.problems.append(_diagnostic(
                        "ASL000", f"{node.value!r} is not a JSON number (JSON has no infinity or NaN)", _mark(node)))
                return number
        except (ValueError, KeyError, TypeError):      # an explicit tag on the wrong text (!!int abc)
            pass
        return node.value          # timestamps, binary, unknown tags: the text as written


class _YamlPositions(_Positions):
    """Positions in YAML text from the composed node tree, tabulated on first use."""

    __slots__ = ("_root", "_keys", "_values", "_styles")

    def __init__(self, root):
        self._root = root
        self._keys: dict[str, Position] | None = None

    def _build(self) -> None:
        self._keys, self._values, self._styles = {}, {}, {}
        root = self._root
        self._keys[""] = _mark(root)
        self._walk(root, "", set())

    def _walk(self, node, pointer: str, seen: set) -> None:
        self._values[pointer] = _mark(node)
        function = CFN_TAGS.get(node.tag)
        if function is not None:
            pointer = pointer + "/" + _escape(function)
            self._keys[pointer] = self._values[pointer] = _mark(node)
            if node.id == "scalar":
                self._styles[pointer] = node.style or ""
                for index in ("0", "1"):
                    self._keys[pointer + "/" + index] = self._values[pointer + "/" + index] = _mark(node)
                return
        if node.id == "scalar":
            self._styles[pointer] = node.style or ""
            return
        if id(node) in seen:        # an alias: its inside was tabulated where the anchor is
            return
        seen.add(id(node))
        if node.id == "sequence":
            for index, item in enumerate(node.value):
                child = f"{pointer}/{index}"
                self._keys[child] = _mark(item)
                self._walk(item, child, seen)
        else:
            for key, key_node, value_node in _mapping_items(node):
                child = pointer + "/" + _escape(key)
                self._keys[child] = _mark(key_node)
                self._walk(value_node, child, seen)

    def key(self, pointer: str) -> Position | None:
        if self._keys is None:
            self._build()
        return self._keys.get(pointer)

    def value(self, pointer: str) -> Position | None:
        if self._keys is None:
            self._build()
        return self._values.get(pointer)

    def style(self, pointer: str) -> str | None:
        if self._keys is None:
            self._build()
        return self._styles.get(pointer)


# --------------------------------------------------------------------------------------------- Document

class Document:
    """One definition as read from its source: the JSON value, its text and where every pointer is.

    ``value`` is None when the source is unreadable (then ``diagnostics`` says why). For a state machine
    taken from a CloudFormation/SAM template, ``name`` is the resource's logical id, ``resource_type`` its
    type, ``origin`` the pointer of its definition inside the template, and positions are in the template.
    """

    __slots__ = ("value", "text", "path", "format", "diagnostics", "name", "resource_type", "origin",
                 "_positions")

    def __init__(self, value: Any, *, text: str | None = None, path: str | None = None, format: str = "object",
                 diagnostics: Iterable[Diagnostic] = (), positions: _Positions = NO_POSITIONS,
                 name: str | None = None, resource_type: str | None = None, origin: str = ""):
        self.value = value
        self.text = text
        self.path = path
        self.format = format
        self.name = name
        self.resource_type = resource_type
        self.origin = origin
        self._positions = positions
        self.diagnostics = [d if d.path is not None or path is None else d.with_(path=path) for d in diagnostics]

    def locate(self, pointer: str = "") -> Position:
        """(line, column) of ``pointer``: its key for an object member, its value for an array item.

        A pointer that does not exist (a diagnostic about a missing member) falls back to its nearest
        existing ancestor; (1, 1) when nothing is known (an already-parsed dict has no text).
        """
        positions = self._positions
        while True:
            position = positions.key(pointer)
            if position is not None:
                return position
            if not pointer:
                return 1, 1
            cut = pointer.rfind("/")
            pointer = pointer[:cut] if cut > 0 else ""

    def locate_value(self, pointer: str = "") -> Position:
        """(line, column) where the *value* at ``pointer`` starts (nearest existing ancestor, else (1, 1))."""
        positions = self._positions
        while True:
            position = positions.value(pointer)
            if position is not None:
                return position
            if not pointer:
                return self.locate("")
            cut = pointer.rfind("/")
            pointer = pointer[:cut] if cut > 0 else ""

    def locate_all(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Copies of ``diagnostics`` with line, column and path filled in where they are missing."""
        located = []
        for d in diagnostics:
            if d.line is None:
                line, column = self.locate(d.pointer)
                d = Diagnostic(d.code, d.message, d.pointer, d.severity, d.name, line, column, d.path or self.path,
                               d.aws_code)
            elif d.path is None and self.path is not None:
                d = d.with_(path=self.path)
            located.append(d)
        return located

    def __repr__(self) -> str:
        where = self.path or ("<text>" if self.text is not None else "<object>")
        name = f" {self.name}" if self.name else ""
        return f"<Document{name} {where} format={self.format} diagnostics={len(self.diagnostics)}>"


# --------------------------------------------------------------------------------------------- parsing

def _json_error_message(error: json.JSONDecodeError, text: str) -> str:
    if error.msg.startswith("Expecting value"):
        token = _json_token().match(text, error.pos)
        if token and token.group()[0] not in "{}[],:\"":
            return f"invalid JSON: unrecognized token {token.group()[:40]!r}"
    return f"invalid JSON: {error.msg}"


def _deep_offset(text: str) -> int:
    """Offset of the bracket that opens level ``MAX_DEPTH + 1`` (strings skipped), or 0."""
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text, re.DOTALL):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif token in "]}":
            depth -= 1
    return 0


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = current.values() if type(current) is dict else current
        for child in children:
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return False


def _parse_json(text: str, lines: _Lines) -> tuple[Any, _Positions, list[Diagnostic]]:
    duplicated = []
    constants = []

    def pairs(members):
        obj = dict(members)
        if len(obj) != len(members):
            duplicated.append(True)
        return obj

    def constant(name):
        constants.append(name)
        return None

    try:
        value = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as error:
        return None, NO_POSITIONS, [_diagnostic(
            "ASL000", _json_error_message(error, text), lines.position(error.pos), aws_code="INVALID_JSON_DESCRIPTION")]
    except RecursionError:
        return None, NO_POSITIONS, [_diagnostic(
            "ASL005", f"nested deeper than {MAX_DEPTH} levels", lines.position(_deep_offset(text)),
            aws_code="TOO_DEEPLY_NESTED")]
    except ValueError as error:     # Python's limit on integer digits (sys.get_int_max_str_digits)
        offset = next((m.start() for m in _json_token().finditer(text)
                       if m.group()[0] in "-0123456789" and len(m.group()) > 4000), 0)
        return None, NO_POSITIONS, [_diagnostic(
            "ASL000", f"invalid JSON: {str(error).split(':')[0]}", lines.position(offset),
            aws_code="INVALID_JSON_DESCRIPTION")]
    problems: list[Diagnostic] = []
    positions = _JsonPositions(text, lines, has_duplicates=bool(duplicated))
    if (text.count("{") + text.count("[") > MAX_DEPTH) and _too_deep(value):
        return None, NO_POSITIONS, [_diagnostic(
            "ASL005", f"nested deeper than {MAX_DEPTH} levels", lines.position(_deep_offset(text)),
            aws_code="TOO_DEEPLY_NESTED")]
    if constants:
        for match in _json_token().finditer(text):
            if match.group() in ("NaN", "Infinity", "-Infinity"):
                problems.append(_diagnostic(
                    "ASL000", f"invalid JSON: {match.group()} is not a JSON value", lines.position(match.start()),
                    aws_code="INVALID_JSON_DESCRIPTION"))
    if duplicated:
        for pointer, second, first in positions.duplicates():
            problems.append(_duplicate(pointer, second, first))
    return value, positions, problems


def _duplicate(pointer: str, second: Position, first: Position) -> Diagnostic:
    cut = pointer.rfind("/")
    key = pointer[cut + 1:].replace("~1", "/").replace("~0", "~")
    parent = pointer[:cut]
    is_state = parent.endswith("/States") or parent == "/States"
    what = "state" if is_state else "key"
    return _diagnostic(
        "ASL003",
        f"duplicate {what} {key!r} in {parent or 'the document root'} (first at line {first[0]}, column {first[1]});"
        " only the last one would count",
        second, pointer=pointer, aws_code="DUPLICATE_STATE_NAME" if is_state else None)


def _parse_yaml(text: str, lines: _Lines) -> tuple[Any, _Positions, list[Diagnostic], int]:
    """-> (value, positions, diagnostics, estimated compact-JSON size)."""
    yaml, loader, _ = _yaml()
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if "maximum nesting depth" in str(error):
            return None, NO_POSITIONS, [_diagnostic("ASL005", f"nested deeper than {MAX_DEPTH} levels", position,
                                                    aws_code="TOO_DEEPLY_NESTED")], 0
        message = error.problem or "invalid YAML"
        if error.context:
            message = f"{message} ({error.context})"
        return None, NO_POSITIONS, [_diagnostic("ASL000", f"invalid YAML: {message}", position)], 0
    except yaml.YAMLError as error:       # ReaderError: a character YAML does not allow
        position = lines.position(getattr(error, "position", 0) or 0)
        reason = getattr(error, "reason", None) or str(error).splitlines()[0]
        return None, NO_POSITIONS, [_diagnostic("ASL000", f"invalid YAML: {reason}", position)], 0
    except RecursionError:                # only without libyaml: PyYAML's pure-Python composer recurses
        return None, NO_POSITIONS, [_diagnostic("ASL005", f"nested deeper than {MAX_DEPTH} levels",
                                                aws_code="TOO_DEEPLY_NESTED")], 0
    if root is None:
        return None, NO_POSITIONS, [_diagnostic("ASL000", "the document is empty", (1, 1),
                                                aws_code="SCHEMA_VALIDATION_FAILED")], 0
    builder = _YamlBuilder()
    try:
        value, _, size = builder.build(root)
    except _TooDeep as error:
        return None, NO_POSITIONS, [_diagnostic(
            "ASL005", f"nested deeper than {MAX_DEPTH} levels (or an alias that contains itself)",
            _mark(error.node), aws_code="TOO_DEEPLY_NESTED")], 0
    except _TooLarge:
        return None, NO_POSITIONS, [_diagnostic(
            "ASL004", "the YAML aliases expand to a document far larger than AWS's 1,048,576-byte limit")], 0
    positions = _YamlPositions(root)
    problems = builder.problems
    if any(isinstance(p, tuple) for p in problems):
        # pointers of duplicates need the tree walk; do it only when there is one
        where = _yaml_duplicate_pointers(root)
        problems = [
            _duplicate(where.get(id(p[2]), "/" + _escape(p[1])), _mark(p[2]), _mark(p[3]))
            if isinstance(p, tuple) else p
            for p in problems
        ]
    return value, positions, problems, size


def _yaml_duplicate_pointers(root) -> dict[int, str]:
    """id(key node) -> pointer of its member, for every mapping key (including overridden duplicates)."""
    found: dict[int, str] = {}
    seen: set[int] = set()
    stack = [(root, "")]
    while stack:
        node, pointer = stack.pop()
        function = CFN_TAGS.get(node.tag)
        if function is not None:
            pointer = pointer + "/" + _escape(function)
        if id(node) in seen or node.id == "scalar":
            continue
        seen.add(id(node))
        if node.id == "sequence":
            stack.extend((item, f"{pointer}/{i}") for i, item in enumerate(node.value))
            continue
        for key_node, value_node in node.value:
            key = _key_text(key_node)
            if key is None or key_node.tag == _MERGE:
                continue
            child = pointer + "/" + _escape(key)
            found[id(key_node)] = child
            stack.append((value_node, child))
    return found


def _utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _json_size(value: Any) -> int:
    try:
        return _utf8_size(json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=True))
    except (TypeError, ValueError, RecursionError):
        return 0


def _too_large(size: int) -> Diagnostic:
    return _diagnostic("ASL004", f"the definition is {size:,} bytes; AWS accepts at most {MAX_DEFINITION_BYTES:,}")


def _json_failed(value: Any, problems: list[Diagnostic]) -> bool:
    return value is None and bool(problems) and problems[0].code in ("ASL000", "ASL005")


def parse_text(text: str, *, path: str | None = None, format: str | None = None, check_size: bool = True) -> Document:
    """Parse JSON or YAML ``text`` into a :class:`Document`.

    ``format`` 'json' means JSON only (AWS accepts nothing else); 'yaml' reads YAML (JSON-looking text goes
    through the fast JSON parser first). Without it, text that starts like JSON (``{`` or ``[``) is JSON and
    gets the JSON parser's error when malformed; other text is a JSON scalar or else YAML, and a bare YAML
    scalar (``not a definition``) is reported with the JSON parser's error, as AWS would.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = _Lines(text)
    nul = text.find("\x00")
    if nul >= 0:
        return Document(None, text=text, path=path, format=format or "json", diagnostics=[_diagnostic(
            "ASL000", "binary content (a NUL character), not JSON or YAML text", lines.position(nul),
            aws_code="INVALID_JSON_DESCRIPTION")])
    stripped = text.lstrip()
    if not stripped:
        return Document(None, text=text, path=path, format=format or "json", diagnostics=[_diagnostic(
            "ASL000", "the document is empty; a definition is a JSON object", (1, 1),
            aws_code="SCHEMA_VALIDATION_FAILED")])
    size = _utf8_size(text)
    if size > PARSE_LIMIT_BYTES:
        return Document(None, text=text, path=path, format=format or "json", diagnostics=[_too_large(size)])
    looks_json = stripped[0] in "{["
    estimate = 0
    fmt = "json"
    if format == "json" or (looks_json and format is None):
        value, positions, problems = _parse_json(text, lines)
    elif format == "yaml" and not looks_json:
        fmt = "yaml"
        if size > YAML_PARSE_LIMIT_BYTES:
            return Document(None, text=text, path=path, format=fmt, diagnostics=[_too_large(size)])
        value, positions, problems, estimate = _parse_yaml(text, lines)
    else:
        value, positions, problems = _parse_json(text, lines)
        if _json_failed(value, problems):
            json_problems = problems
            fmt = "yaml"
            if size > YAML_PARSE_LIMIT_BYTES:
                return Document(None, text=text, path=path, format=fmt, diagnostics=[_too_large(size)])
            value, positions, problems, estimate = _parse_yaml(text, lines)
            if format is None and not problems and not isinstance(value, (dict, list)):
                # a bare YAML scalar is no document: say what the JSON parser said
                return Document(None, text=text, path=path, format="json", diagnostics=json_problems)
    if value is None and not problems:
        problems = [_diagnostic("ASL000", "the document is null; a definition is a JSON object",
                                positions.key("") or (1, 1), aws_code="SCHEMA_VALIDATION_FAILED")]
    if check_size and value is not None and not _is_template_value(value):
        if fmt == "json":
            if size > MAX_DEFINITION_BYTES:
                problems.append(_too_large(size))
        elif estimate > MAX_DEFINITION_BYTES * 3 // 4:
            exact = _json_size(value)
            if exact > MAX_DEFINITION_BYTES:
                problems.append(_too_large(exact))
    return Document(value, text=text, path=path, format=fmt, diagnostics=problems, positions=positions)


def _is_template_value(value: Any) -> bool:
    """Cheap for definitions (a dict with StartAt/States is never a template, nor is one without the keys
    every template has); imports templates on demand."""
    if type(value) is not dict or "StartAt" in value or "States" in value:
        return False
    if "Resources" not in value and "AWSTemplateFormatVersion" not in value and "Transform" not in value:
        return False
    from .templates import is_template

    return is_template(value)


_JSON_TYPES = (str, int, float, bool, type(None))


def _read_object(value: Any, path: str | None) -> Document:
    """An already-parsed value: checked iteratively for depth, cycles, JSON types and size."""
    problems: list[Diagnostic] = []
    convert = False
    estimate = 0
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack and not problems:
        current, pointer, depth = stack.pop()
        if isinstance(current, str):
            estimate += len(current) + 2
            continue
        if isinstance(current, dict):
            if depth > MAX_DEPTH:
                problems.append(_diagnostic("ASL005", f"nested deeper than {MAX_DEPTH} levels (or contains itself)",
                                            pointer=pointer, aws_code="TOO_DEEPLY_NESTED"))
                break
            for key, child in current.items():
                if not isinstance(key, str):
                    problems.append(_diagnostic("ASL000", f"object key {key!r} is not a string", pointer=pointer))
                    break
                estimate += len(key) + 4
                stack.append((child, pointer + "/" + _escape(key), depth + 1))
            continue
        if isinstance(current, (list, tuple)):
            if depth > MAX_DEPTH:
                problems.append(_diagnostic("ASL005", f"nested deeper than {MAX_DEPTH} levels (or contains itself)",
                                            pointer=pointer, aws_code="TOO_DEEPLY_NESTED"))
                break
            convert = convert or isinstance(current, tuple)
            estimate += 2 + len(current)
            stack.extend((child, f"{pointer}/{index}", depth + 1) for index, child in enumerate(current))
            continue
        if isinstance(current, float) and not math.isfinite(current):
            problems.append(_diagnostic("ASL000", f"{current!r} is not a JSON number", pointer=pointer))
        elif not isinstance(current, _JSON_TYPES):
            problems.append(_diagnostic("ASL000", f"a {type(current).__name__} is not a JSON value", pointer=pointer))
        else:
            estimate += 4
    if problems:
        return Document(None, path=path, diagnostics=problems)
    if value is None:
        return Document(None, path=path, diagnostics=[_diagnostic(
            "ASL000", "the definition is null; a definition is a JSON object", aws_code="SCHEMA_VALIDATION_FAILED")])
    if convert:
        value = json.loads(json.dumps(value))
    if estimate > MAX_DEFINITION_BYTES // 2 and not _is_template_value(value):
        size = _json_size(value)
        if size > MAX_DEFINITION_BYTES:
            problems.append(_too_large(size))
    return Document(value, path=path, format="object", diagnostics=problems)


def _format_of(path: str | None) -> str | None:
    if path is None:
        return None
    lower = path.lower()
    if lower.endswith(_JSON_EXTENSIONS):
        return "json"
    if lower.endswith(_YAML_EXTENSIONS):
        return "yaml"
    return None


def _decode(data: bytes) -> tuple[str | None, Diagnostic | None]:
    """Bytes -> text: UTF-8 (BOM allowed), or UTF-16/32 when a BOM says so; anything else is binary."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), None
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        before = data[:error.start].decode("utf-8", "replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        return None, _diagnostic(
            "ASL000", f"binary content, not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})",
            (line, column), aws_code="INVALID_JSON_DESCRIPTION")


def _read_file(path: str) -> Document:
    fmt = _format_of(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            limit = YAML_PARSE_LIMIT_BYTES if fmt == "yaml" else PARSE_LIMIT_BYTES
            if size > limit:
                return Document(None, path=path, format=fmt or "json", diagnostics=[_too_large(size)])
            data = handle.read()
    except OSError as error:
        reason = error.strerror or str(error)
        return Document(None, path=path, format=fmt or "json",
                        diagnostics=[_diagnostic("ASL000", f"cannot read {path}: {reason}")])
    return _read_bytes(data, path, fmt)


def _read_bytes(data: bytes, path: str | None, fmt: str | None) -> Document:
    text, problem = _decode(data)
    if problem is not None:
        return Document(None, path=path, format=fmt or "json", diagnostics=[problem])
    return parse_text(text, path=path, format=fmt)


def _looks_like_path(text: str) -> bool:
    """A short one-line string naming an existing file, or a missing one with a definition's extension
    (so ``read("typo.asl.json")`` says the file is missing rather than that the text is not JSON)."""
    if not 0 < len(text) < 4096 or "\n" in text or text.lstrip()[:1] in ("{", "[", '"'):
        return False
    return os.path.isfile(text) or (text.lower().endswith(_JSON_EXTENSIONS + _YAML_EXTENSIONS)
                                    and not os.path.exists(text) and ": " not in text)


def _read_source(source: Any, path: str | None) -> Document:
    if isinstance(source, os.PathLike):
        return _read_file(os.fspath(source))
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _read_bytes(bytes(source), path, _format_of(path))
    if isinstance(source, str):
        if path is None and _looks_like_path(source):
            return _read_file(source)
        return parse_text(source, path=path, format=_format_of(path))
    if hasattr(source, "read") and callable(source.read):          # an open file
        name = getattr(source, "name", None)
        path = path or (name if isinstance(name, str) else None)
        content = source.read()
        if isinstance(content, str):
            return parse_text(content, path=path, format=_format_of(path))
        return _read_bytes(content, path, _format_of(path))
    return _read_object(source, path)


# --------------------------------------------------------------------------------------------- public API

def read(source: Any, *, path: str | os.PathLike | None = None, resource: str | None = None) -> Document:
    """Read one definition from a dict/list, JSON or YAML text, bytes, an open file or a file path.

    A CloudFormation/SAM template yields its state machine; when it defines several, ``resource`` names
    the logical id to take (without it: the first, with an ASL000 error saying there is a choice to make).
    Never raises for bad input: problems are in ``Document.diagnostics``.
    """
    if isinstance(source, Document):
        return source
    document = _read_source(source, os.fspath(path) if path is not None else None)
    if not _is_template_value(document.value):
        return document
    documents = _extract(document)
    if resource is not None:
        for candidate in documents:
            if candidate.name == resource:
                return candidate
        return Document(None, text=document.text, path=document.path, format=document.format, diagnostics=[
            _diagnostic("ASL000", f"the template has no state machine resource {resource!r}"
                        f" (it has: {', '.join(d.name for d in documents) or 'none'})")])
    if len(documents) == 1:
        return documents[0]
    if not documents:
        return Document(None, text=document.text, path=document.path, format=document.format, diagnostics=[
            _diagnostic("ASL000", "the template defines no AWS::StepFunctions::StateMachine or"
                        " AWS::Serverless::StateMachine resource")])
    first = documents[0]
    first.diagnostics.insert(0, _diagnostic(
        "ASL000", f"the template defines {len(documents)} state machines "
        f"({', '.join(d.name for d in documents)}); read {first.name!r}, choose another with resource=",
        document.locate(first.origin.rsplit("/Properties", 1)[0]), severity=WARNING).with_(path=document.path))
    return first


def read_all(source: Any, *, path: str | os.PathLike | None = None) -> list[Document]:
    """Every definition in a file: ``[document]`` for a plain definition (readable or not), one document
    per state machine resource for a CloudFormation/SAM template (possibly none)."""
    if isinstance(source, Document):
        return [source]
    document = _read_source(source, os.fspath(path) if path is not None else None)
    if not _is_template_value(document.value):
        return [document]
    return _extract(document)


def _extract(document: Document) -> list[Document]:
    from .templates import extract

    return extract(document)


def _is_definition_file(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(DEFINITION_SUFFIXES) or lower.endswith(TEMPLATE_SUFFIXES) or lower in TEMPLATE_NAMES


_SKIPPED_DIRECTORIES = {"node_modules", "__pycache__", "cdk.out", ".aws-sam"}


def iter_definition_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """The files ``asl lint`` should read: explicitly named files always (even missing ones, so they get
    their ASL000), and under each directory, recursively and sorted, ``*.asl.json``/``*.asl.yaml``/
    ``*.asl.yml`` plus templates ``*.template.(json|yaml|yml)`` and ``template.(json|yaml|yml)``.
    Hidden directories and ``node_modules``/``.aws-sam``/``cdk.out`` are skipped. Each file once."""
    from pathlib import Path      # here, not at the top: pathlib costs a few ms of every run's start-up

    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, directories, files in os.walk(path):
                directories[:] = sorted(d for d in directories
                                        if not d.startswith(".") and d not in _SKIPPED_DIRECTORIES)
                for name in sorted(files):
                    if _is_definition_file(name):
                        found = Path(root) / name
                        key = os.path.normcase(os.path.abspath(found))
                        if key not in seen:
                            seen.add(key)
                            yield found
        else:
            key = os.path.normcase(os.path.abspath(path))
            if key not in seen:
                seen.add(key)
                yield path
