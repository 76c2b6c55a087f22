"""Generators for the small languages inside a definition: JSON constants, JSONPath sources, intrinsic
function calls and JSONata expressions.

Every generator returns an :class:`Expr` — the text, the JSON type it evaluates to and, when cheap to
know, its value — and only reads what a :class:`Scope` guarantees exists, so a drawn expression never
fails at run time. Types matter because intrinsics are typed (``States.ArrayLength`` of a string is a
``States.Runtime`` failure) and because later states build on what earlier ones produced.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from hypothesis import strategies as st

from ._facts import UNKNOWN, kind

# Strings the generator writes: printable, never starting with '$' (a string that looks like a path
# in a literal field earns an AWS NO_PATH / NO_DOLLAR warning), a little non-ASCII for the encoders.
_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:"
_EXOTIC = "éßøΩж漢字🙂"
# Characters an intrinsic string literal must escape with a backslash.
_INTRINSIC_RESERVED = "'{}\\"

HASH_ALGORITHMS = ("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512")
PAST_TIMESTAMPS = ("2016-03-14T01:59:00Z", "2020-02-29T12:00:00.5Z", "2023-06-01T08:30:00+02:00")


@dataclass(frozen=True)
class Expr:
    text: str
    type: str | None          # object, array, string, number, boolean, null; None = any
    value: Any = UNKNOWN


@dataclass(frozen=True)
class Scope:
    """What an expression may read.

    ``input`` maps the guaranteed keys of ``$`` (JSONPath) / ``$states.input`` (JSONata) to their known
    values; ``None`` means the data is there but its shape is unknown (a task result). ``null_input``:
    ``$`` is JSON null (a Pass ``Result: null`` seen by its Assign), and AWS refuses any path over a null
    input, so no expression may read it.
    """

    input: Mapping[str, Any] | None = field(default_factory=dict)
    null_input: bool = False
    vars: Mapping[str, Any] = field(default_factory=dict)
    map_item: bool = False        # inside a Map's ItemSelector: $$.Map.Item.* / $states.context.Map.Item.*
    result: bool = False          # JSONata Output/Assign of Task, Parallel, Map: $states.result
    error_output: bool = False    # JSONata Catcher Output/Assign: $states.errorOutput


def plain_strings(min_size: int = 1, max_size: int = 12, exotic: bool = True):
    alphabet = _PLAIN + (_EXOTIC if exotic else "")
    return st.text(alphabet=alphabet, min_size=min_size, max_size=max_size).filter(lambda s: s.strip() == s)


# --- JSONPath -------------------------------------------------------------------------------------

def jsonpath_key(key: str) -> str:
    """``$.key`` when the key is a plain identifier, ``$['key']`` otherwise."""
    if key.isidentifier() and key.isascii():
        return f"$.{key}"
    return "$['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']"


_CONTEXT_STRINGS = ("$$.Execution.Name", "$$.Execution.Id", "$$.StateMachine.Name", "$$.State.Name")
_CONTEXT_TIMESTAMPS = ("$$.Execution.StartTime", "$$.State.EnteredTime")


def path_sources(scope: Scope, want: str | None = None) -> list[Expr]:
    """Every path that surely resolves in ``scope``, optionally only those of type ``want``."""
    out: list[Expr] = []
    if scope.null_input:
        pass
    elif scope.input is None:
        out.append(Expr("$", None))
    else:
        out.append(Expr("$", "object", _value_of(scope.input)))
        out.extend(Expr(jsonpath_key(k), kind(v), v) for k, v in scope.input.items())
    out.extend(Expr(f"${name}", kind(v), v) for name, v in scope.vars.items())
    out.extend(Expr(p, "string") for p in _CONTEXT_STRINGS + _CONTEXT_TIMESTAMPS)
    if scope.map_item:
        out.append(Expr("$$.Map.Item.Index", "number"))
        out.append(Expr("$$.Map.Item.Value", None))
    if want is None:
        return out
    return [e for e in out if e.type == want]


def _value_of(keys: Mapping[str, Any]) -> Any:
    return dict(keys) if all(v is not UNKNOWN for v in keys.values()) else UNKNOWN


# --- intrinsic functions --------------------------------------------------------------------------

def intrinsic_literal(text: str) -> str:
    return "'" + "".join("\\" + c if c in _INTRINSIC_RESERVED else c for c in text) + "'"


def _number_literal(value: float | int) -> str:
    return json.dumps(value)


class IntrinsicGenerator:
    """Draws intrinsic calls (``States.*``) of a wanted type whose arguments surely resolve."""

    MAX_DEPTH = 3

    def __init__(self, draw: Callable, scope: Scope):
        self.draw = draw
        self.scope = scope

    # public: a call of the wanted type ------------------------------------------------------------
    def call(self, want: str | None = None, depth: int = 0) -> Expr:
        makers = self._makers(want, depth)
        maker = self.draw(st.sampled_from(makers))
        return maker(depth + 1)

    def _makers(self, want: str | None, depth: int) -> list[Callable[[int], Expr]]:
        by_type: dict[str, list[Callable[[int], Expr]]] = {
            "string": [self._format, self._json_to_string, self._base64_encode, self._base64_decode,
                       self._hash, self._uuid],
            "number": [self._array_length, self._math_add, self._math_random],
            "array": [self._array, self._array_partition, self._array_range, self._array_unique,
                      self._string_split],
            "boolean": [self._array_contains],
            "object": [self._string_to_json_object],
        }
        if self.scope.input is not None:
            by_type["object"].append(self._json_merge)
        if want is None:
            makers = [m for ms in by_type.values() for m in ms] + [self._array_get_item, self._string_to_json]
        else:
            makers = list(by_type.get(want, []))
        if depth >= self.MAX_DEPTH:
            # keep the nesting shallow: only calls whose arguments are never nested calls
            shallow = {self._uuid, self._hash, self._base64_encode, self._base64_decode, self._math_random,
                       self._array_range, self._string_split, self._string_to_json_object}
            makers = [m for m in makers if m in shallow] or [self._uuid]
        return makers

    # arguments ------------------------------------------------------------------------------------
    def arg(self, want: str | None, depth: int) -> Expr:
        options: list[Callable[[], Expr]] = []
        literal = self._literal_maker(want)
        if literal is not None:
            options.append(literal)
        sources = path_sources(self.scope, want)
        if sources:
            options.append(lambda: self.draw(st.sampled_from(sources)))
        if depth < self.MAX_DEPTH and (want is None or want in ("string", "number", "array", "boolean", "object")):
            options.append(lambda: self.call(want, depth))
        if not options:
            return self.call(want, depth)
        return self.draw(st.sampled_from(options))()

    def _literal_maker(self, want: str | None) -> Callable[[], Expr] | None:
        def string() -> Expr:
            text = self.draw(plain_strings(0, 10) | st.sampled_from(["it's", "{braces}", "back\\slash"]))
            return Expr(intrinsic_literal(text), "string", text)

        def number() -> Expr:
            value = self.draw(st.integers(-100, 100) | st.sampled_from([0.5, 1.5, -2.5, 3.25]))
            return Expr(_number_literal(value), "number", value)

        def anything() -> Expr:
            return self.draw(st.sampled_from([string, number, lambda: Expr("null", "null", None),
                                              lambda: Expr("true", "boolean", True)]))()

        return {"string": string, "number": number, None: anything}.get(want)

    def known_array(self, depth: int) -> Expr:
        """An array argument whose value is known (for an index that is surely in range)."""
        known = [e for e in path_sources(self.scope, "array") if e.value is not UNKNOWN]
        options = ["array"] + (["path"] if known else [])
        if self.draw(st.sampled_from(options)) == "path":
            return self.draw(st.sampled_from(known))
        items = self.draw(st.lists(st.integers(-5, 50) | plain_strings(0, 5, exotic=False), min_size=1, max_size=4))
        args = ", ".join(_number_literal(v) if isinstance(v, int) else intrinsic_literal(v) for v in items)
        return Expr(f"States.Array({args})", "array", items)

    # the eighteen functions -----------------------------------------------------------------------
    def _format(self, depth: int) -> Expr:
        count = self.draw(st.integers(0, 3))
        pieces = [self.draw(plain_strings(0, 6, exotic=False)) for _ in range(count + 1)]
        template = "{}".join(intrinsic_literal(p)[1:-1] for p in pieces)
        args = [self.arg(None, depth) for _ in range(count)]
        return Expr("States.Format(" + ", ".join(["'" + template + "'"] + [a.text for a in args]) + ")", "string")

    def _json_to_string(self, depth: int) -> Expr:
        source = self.draw(st.sampled_from(path_sources(self.scope)))
        return Expr(f"States.JsonToString({source.text})", "string")

    def _string_to_json(self, depth: int) -> Expr:
        if self.draw(st.booleans()):
            source = self.draw(st.sampled_from(path_sources(self.scope)))
            return Expr(f"States.StringToJson(States.JsonToString({source.text}))", source.type, source.value)
        value = self.draw(st.sampled_from([[1, 2], "text", 12, None, True, ""]))
        text = json.dumps(value) if value != "" else ""
        return Expr(f"States.StringToJson({intrinsic_literal(text)})", kind(value) if value != "" else "null")

    def _string_to_json_object(self, depth: int) -> Expr:
        value = self.draw(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(0, 9), max_size=2))
        return Expr(f"States.StringToJson({intrinsic_literal(json.dumps(value))})", "object", value)

    def _array(self, depth: int) -> Expr:
        args = [self.arg(None, depth) for _ in range(self.draw(st.integers(0, 3)))]
        value = [a.value for a in args] if all(a.value is not UNKNOWN for a in args) else UNKNOWN
        return Expr("States.Array(" + ", ".join(a.text for a in args) + ")", "array", value)

    def _array_partition(self, depth: int) -> Expr:
        array = self.arg("array", depth)
        size = self.draw(st.integers(1, 4))
        return Expr(f"States.ArrayPartition({array.text}, {size})", "array")

    def _array_contains(self, depth: int) -> Expr:
        array = self.arg("array", depth)
        needle = self.arg(None, depth)
        return Expr(f"States.ArrayContains({array.text}, {needle.text})", "boolean")

    def _array_range(self, depth: int) -> Expr:
        start = self.draw(st.integers(-20, 20))
        step = self.draw(st.integers(1, 5)) * self.draw(st.sampled_from([1, -1]))
        count = self.draw(st.integers(1, 12))
        end = start + step * (count - 1) + self.draw(st.integers(0, abs(step) - 1)) * (1 if step > 0 else -1)
        value = list(range(start, end + (1 if step > 0 else -1), step))
        return Expr(f"States.ArrayRange({start}, {end}, {step})", "array", value)

    def _array_get_item(self, depth: int) -> Expr:
        array = self.known_array(depth)
        if not array.value:
            return self._uuid(depth)
        index = self.draw(st.integers(0, len(array.value) - 1))
        item = array.value[index]
        return Expr(f"States.ArrayGetItem({array.text}, {index})", kind(item), item)

    def _array_length(self, depth: int) -> Expr:
        array = self.arg("array", depth)
        value = len(array.value) if isinstance(array.value, list) else UNKNOWN
        return Expr(f"States.ArrayLength({array.text})", "number", value)

    def _array_unique(self, depth: int) -> Expr:
        array = self.arg("array", depth)
        return Expr(f"States.ArrayUnique({array.text})", "array")

    def _base64_encode(self, depth: int) -> Expr:
        data = self.arg("string", depth)
        return Expr(f"States.Base64Encode({data.text})", "string")

    def _base64_decode(self, depth: int) -> Expr:
        text = self.draw(plain_strings(0, 10))
        encoded = base64.b64encode(text.encode()).decode()
        return Expr(f"States.Base64Decode('{encoded}')", "string", text)

    def _hash(self, depth: int) -> Expr:
        data = self.arg("string", depth) if depth < self.MAX_DEPTH else Expr(intrinsic_literal("data"), "string")
        algorithm = self.draw(st.sampled_from(HASH_ALGORITHMS))
        return Expr(f"States.Hash({data.text}, '{algorithm}')", "string")

    def _json_merge(self, depth: int) -> Expr:
        objects = path_sources(self.scope, "object")
        left = self.draw(st.sampled_from(objects))
        right = self.draw(st.sampled_from(objects))
        return Expr(f"States.JsonMerge({left.text}, {right.text}, false)", "object")

    def _math_random(self, depth: int) -> Expr:
        start = self.draw(st.integers(-100, 100))
        end = start + self.draw(st.integers(1, 1000))
        seed = self.draw(st.none() | st.integers(0, 10_000))
        args = f"{start}, {end}" + ("" if seed is None else f", {seed}")
        return Expr(f"States.MathRandom({args})", "number")

    def _math_add(self, depth: int) -> Expr:
        left = self.arg("number", depth)
        right = self.arg("number", depth)
        return Expr(f"States.MathAdd({left.text}, {right.text})", "number")

    def _string_split(self, depth: int) -> Expr:
        parts = self.draw(st.lists(plain_strings(0, 4, exotic=False).filter(lambda s: not (set(s) & set(",;"))),
                                   max_size=4))
        text = self.draw(st.sampled_from([",", ";", ",;"])).join(parts) if parts else ""
        delimiters = self.draw(st.sampled_from([",", ";", ",;", ", "]))
        return Expr(f"States.StringSplit({intrinsic_literal(text)}, {intrinsic_literal(delimiters)})", "array")

    def _uuid(self, depth: int) -> Expr:
        return Expr("States.UUID()", "string")


# --- JSONata --------------------------------------------------------------------------------------

def jsonata_key(key: str) -> str:
    return key if key.isidentifier() and key.isascii() else "`" + key + "`"


def jsonata_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


class JsonataGenerator:
    """Draws JSONata expressions (the text between ``{%`` and ``%}``) of a wanted type.

    Never reads the input document with a top-level ``$`` or a bare field name (AWS rejects both);
    data comes from ``$states.input``, ``$states.context``, variables and, where allowed,
    ``$states.result`` / ``$states.errorOutput``.
    """

    MAX_DEPTH = 3

    def __init__(self, draw: Callable, scope: Scope):
        self.draw = draw
        self.scope = scope

    def expression(self, want: str | None = None, depth: int = 0) -> Expr:
        makers = {
            "number": self._number, "string": self._string, "boolean": self._boolean,
            "array": self._array, "object": self._object,
        }
        if want is None:
            want = self.draw(st.sampled_from(sorted(makers)))
        return makers[want](depth + 1)

    def template(self, field: str, depth: int = 0) -> str:
        """A whole ``{% ... %}`` string."""
        return "{% " + self.expression(field if field != "any" else None, depth).text + " %}"

    def _sources(self, want: str) -> list[Expr]:
        out = []
        if self.scope.input is not None:
            out.extend(Expr(f"$states.input.{jsonata_key(k)}", kind(v), v) for k, v in self.scope.input.items())
        out.extend(Expr(f"${name}", kind(v), v) for name, v in self.scope.vars.items())
        if want == "string":
            out.extend(Expr(t, "string") for t in ("$states.context.State.Name", "$states.context.Execution.Name",
                                                   "$states.context.StateMachine.Name"))
        if want == "number" and self.scope.map_item:
            out.append(Expr("$states.context.Map.Item.Index", "number"))
        if want == "object":
            if self.scope.input is not None:
                out.append(Expr("$states.input", "object"))
            if self.scope.error_output:
                out.append(Expr("$states.errorOutput", "object"))
        return [e for e in out if e.type == want]

    def _pick(self, want: str, own: list[Callable[[int], Expr]], depth: int) -> Expr:
        sources = self._sources(want)
        options = list(own if depth < self.MAX_DEPTH else own[:1])
        if sources:
            options.append(lambda d: self.draw(st.sampled_from(sources)))
        return self.draw(st.sampled_from(options))(depth)

    def _number(self, depth: int) -> Expr:
        def literal(d):
            value = self.draw(st.integers(-100, 100) | st.sampled_from([0.5, 2.25]))
            return Expr(json.dumps(value), "number", value)

        return self._pick("number", [
            literal,
            lambda d: Expr(f"({self._number(d + 1).text} + {self._number(d + 1).text})", "number"),
            lambda d: Expr(f"$count({self._array(d + 1).text})", "number"),
            lambda d: Expr(f"$length({self._string(d + 1).text})", "number"),
            lambda d: Expr(f"$floor({self._number(d + 1).text})", "number"),
            lambda d: Expr("$random()", "number"),
        ], depth)

    def _string(self, depth: int) -> Expr:
        def literal(d):
            text = self.draw(plain_strings(0, 10))
            return Expr(jsonata_string(text), "string", text)

        return self._pick("string", [
            literal,
            lambda d: Expr(f"$string({self.expression(None, d).text})", "string"),
            lambda d: Expr(f"$uppercase({self._string(d + 1).text})", "string"),
            lambda d: Expr(f"({self._string(d + 1).text} & {self._string(d + 1).text})", "string"),
            lambda d: Expr(f"$hash({self._string(d + 1).text}, '{self.draw(st.sampled_from(HASH_ALGORITHMS))}')",
                           "string"),
            lambda d: Expr("$uuid()", "string"),
            lambda d: Expr(f"$substring({self._string(d + 1).text}, 0, 3)", "string"),
        ], depth)

    def _boolean(self, depth: int) -> Expr:
        def literal(d):
            value = self.draw(st.booleans())
            return Expr("true" if value else "false", "boolean", value)

        def exists(d):
            keys = list(self.scope.input or {}) + ["missing_key"]
            return Expr(f"$exists($states.input.{jsonata_key(self.draw(st.sampled_from(keys)))})", "boolean")

        return self._pick("boolean", [
            literal, exists,
            lambda d: Expr(f"({self._number(d + 1).text} > {self._number(d + 1).text})", "boolean"),
            lambda d: Expr(f"({self._string(d + 1).text} = {self._string(d + 1).text})", "boolean"),
            lambda d: Expr(f"$not({self._boolean(d + 1).text})", "boolean"),
            lambda d: Expr(f"({self._boolean(d + 1).text} and {self._boolean(d + 1).text})", "boolean"),
            lambda d: Expr(f"({self._boolean(d + 1).text} or {self._boolean(d + 1).text})", "boolean"),
            lambda d: Expr(f"$contains({self._string(d + 1).text}, 'a')", "boolean"),
        ], depth)

    def _array(self, depth: int) -> Expr:
        def literal(d):
            values = self.draw(st.lists(st.integers(0, 99), min_size=1, max_size=4))
            return Expr(json.dumps(values), "array", values)

        return self._pick("array", [
            literal,
            lambda d: Expr("[" + ", ".join(self.expression(None, d).text
                                           for _ in range(self.draw(st.integers(1, 3)))) + "]", "array"),
            lambda d: Expr(f"$append({self._array(d + 1).text}, {self._array(d + 1).text})", "array"),
            lambda d: Expr(f"$split({self._string(d + 1).text}, ',')", "array"),
        ], depth)

    def _object(self, depth: int) -> Expr:
        def literal(d):
            keys = self.draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, max_size=3))
            body = ", ".join(f"'{k}': {self.expression(None, d).text}" for k in keys)
            return Expr("{" + body + "}", "object")

        return self._pick("object", [
            literal,
            lambda d: Expr(f"$merge([{self._object(d + 1).text}, {self._object(d + 1).text}])", "object"),
        ], depth)


def as_template(expr: Expr) -> str:
    return "{% " + expr.text + " %}"
