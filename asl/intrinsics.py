"""The 18 intrinsic functions of JSONPath mode, parsed once and compiled to closures.

``grammar/intrinsics.lark`` is loaded once into an LALR parser (about 15 ms, paid on first use). Each
expression is parsed once by :func:`compile_intrinsic` into an :class:`Intrinsic` whose ``evaluate``
only calls precompiled closures: paths are :class:`asl.paths.Path` objects, literals are constants,
``States.Format`` templates are split into pieces ahead of time.

Failures at run time raise ``States.Runtime`` (AWS documents ``States.IntrinsicFailure`` but reports
``States.Runtime``; both are uncatchable in practice). The AWS quirks reproduced here come from the
executions recorded against AWS (shared/conformance, area ``intrinsic_functions``):

* ``MathAdd`` rounds each operand half-up first (Java ``Math.round``: 1.5 -> 2, -1.5 -> -1, -0.5 -> 0);
* ``StringSplit`` splits on *any* character of the delimiter string and drops empty pieces;
* ``StringToJson`` of an empty or blank string is ``null``;
* ``Format`` prints strings raw, objects Java-Map style ``{a=1, b=[]}``, arrays ``[1, 2]``, and numbers
  the way Java does (``1.0E20``).

Randomness (``MathRandom`` without a seed, ``UUID``) comes from an injected *effects* object with
``.rng`` (a ``random.Random``) and ``.uuid()``; never from the global ``random`` module.

The standard modules only some functions need (``hashlib``, ``base64``, ``random``, ``uuid``,
``decimal``: ~4 ms together) are imported inside them: the linter imports this module to check
calls and never evaluates one.
"""
from __future__ import annotations

import functools
import json
import math
from typing import Any, Callable, Mapping

from ._intrinsics_plain import Incomplete as _Incomplete
from ._intrinsics_plain import parse as _plain_parse
from .errors import RUNTIME, AslError, StatesError
from .json_types import json_type
from .paths import INPUT, PathNotFound, PathSyntaxError, compact_json, compile_path, java_double

MAX_NESTING = 10
MAX_STRING_LENGTH = 10_000
MAX_RANGE_ITEMS = 1000
HASH_ALGORITHMS = {
    "MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512",
}
STRING_RESULT_FUNCTIONS = frozenset({
    "States.Format", "States.JsonToString", "States.ArrayGetItem", "States.Base64Encode",
    "States.Base64Decode", "States.Hash", "States.UUID",
})
_ESCAPABLE = "'{}\\"

Evaluator = Callable[[Any, Any, Any, Any], Any]   # (data, context, variables, effects) -> value


class IntrinsicSyntaxError(AslError, ValueError):
    """An intrinsic expression that cannot be compiled; ``column`` is 1-based within the text."""

    def __init__(self, message: str, column: int = 1):
        self.message = message
        self.column = column
        super().__init__(f"{message} (at column {column})")


class Effects:
    """The default effects object: a seeded ``random.Random`` and UUIDs drawn from it.

    The runtime passes its own (same interface) so a run is reproducible from its seed.
    """

    __slots__ = ("rng",)

    def __init__(self, seed: Any = None):
        import random

        self.rng = random.Random(seed)

    def uuid(self) -> str:
        import uuid

        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


# ----------------------------------------------------------------------------------- value rendering

json_text = compact_json   # States.JsonToString writes exactly what AWS puts in causes


def format_text(value: Any) -> str:
    """How ``States.Format`` prints one argument (Java ``toString`` of the parsed JSON)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(format_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={format_text(v)}" for k, v in value.items()) + "}"
    return json_text(value)


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality: booleans are not numbers, numbers compare by value, containers deeply."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(json_equal, a, b))
    if isinstance(a, dict):
        return (isinstance(b, dict) and a.keys() == b.keys()
                and all(json_equal(v, b[k]) for k, v in a.items()))
    return type(a) is type(b) and a == b


# ----------------------------------------------------------------------------------- string literals

def decode_string(raw: str) -> str:
    """The value of a quoted literal's content (``\\'`` ``\\{`` ``\\}`` ``\\\\`` unescaped)."""
    if "\\" not in raw:
        return raw
    out, i = [], 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            out.append(raw[i + 1])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _bad_escape(raw: str) -> int | None:
    """Offset of the first escape other than ``\\'`` ``\\{`` ``\\}`` ``\\\\`` in a literal's content."""
    i = 0
    while i < len(raw):
        if raw[i] == "\\":
            if i + 1 >= len(raw) or raw[i + 1] not in _ESCAPABLE:
                return i
            i += 2
        else:
            i += 1
    return None


@functools.lru_cache(maxsize=1024)
def split_format(template: str, escaped: bool) -> tuple[tuple[str, ...], int]:
    """Split a Format template into the literal pieces around its ``{}`` placeholders.

    ``escaped`` says whether ``template`` still holds the literal's backslash escapes (a template
    written in the expression) or is a runtime string (from a path), where ``\\{`` is also honoured.
    Returns (pieces, number of placeholders); ``len(pieces) == placeholders + 1``.
    """
    pieces, current, i = [], [], 0
    while i < len(template):
        ch = template[i]
        if ch == "\\" and i + 1 < len(template) and (escaped or template[i + 1] in _ESCAPABLE):
            current.append(template[i + 1])
            i += 2
        elif ch == "{" and i + 1 < len(template) and template[i + 1] == "}":
            pieces.append("".join(current))
            current = []
            i += 2
        else:
            current.append(ch)
            i += 1
    pieces.append("".join(current))
    return tuple(pieces), len(pieces) - 1


# ----------------------------------------------------------------------------------- functions

def _fail(name: str, detail: str) -> StatesError:
    return StatesError(RUNTIME, f"The intrinsic function {name} failed: {detail}")




def _expect(name: str, position: int, value: Any, kind: str) -> Any:
    ok = {
        "string": isinstance(value, str),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
    }[kind]
    if not ok:
        article = "an" if kind[0] in "aeiou" else "a"
        raise _fail(name, f"argument {position} must be {article} {kind}, but was {json_type(value)}: "
                          f"{json_text(value)}")
    return value


def _integer(name: str, position: int, value: Any) -> int:
    _expect(name, position, value, "number")
    if isinstance(value, float):
        if not value.is_integer():
            raise _fail(name, f"argument {position} must be an integer, but was {json_text(value)}")
        return int(value)
    return value


def _round_half_up(value: int | float) -> int:
    """Java ``Math.round``: the nearest integer, ties towards positive infinity (exact, no float error)."""
    if isinstance(value, int):
        return value
    if not math.isfinite(value):
        raise ValueError(value)
    from decimal import ROUND_FLOOR, Decimal

    return int((Decimal(value) + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR))


def _bounded_string(name: str, position: int, value: Any) -> str:
    _expect(name, position, value, "string")
    if len(value) > MAX_STRING_LENGTH:
        raise _fail(name, f"argument {position} is longer than {MAX_STRING_LENGTH} characters")
    return value


def f_string_to_json(name, args, effects):
    text = _expect(name, 1, args[0], "string")
    if not text.strip():
        return None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise _fail(name, f"the string is not valid JSON: {exc}") from None


def _reject_constant(token: str):
    raise ValueError(f"unexpected token {token}")


def f_json_to_string(name, args, effects):
    return json_text(args[0])


def f_array(name, args, effects):
    return list(args)


def f_array_partition(name, args, effects):
    array = _expect(name, 1, args[0], "array")
    size = _integer(name, 2, args[1])
    if size <= 0:
        raise _fail(name, f"the chunk size must be a positive integer, but was {size}")
    return [array[i:i + size] for i in range(0, len(array), size)]


def f_array_contains(name, args, effects):
    array = _expect(name, 1, args[0], "array")
    return any(json_equal(item, args[1]) for item in array)


def f_array_range(name, args, effects):
    start, end, step = (_integer(name, i + 1, v) for i, v in enumerate(args))
    if step == 0:
        raise _fail(name, "the step must not be 0")
    numbers = range(start, end + (1 if step > 0 else -1), step)
    if len(numbers) > MAX_RANGE_ITEMS:
        raise _fail(name, f"the range has {len(numbers)} items; at most {MAX_RANGE_ITEMS} are allowed")
    return list(numbers)


def f_array_get_item(name, args, effects):
    array = _expect(name, 1, args[0], "array")
    index = _integer(name, 2, args[1])
    if not 0 <= index < len(array):
        raise _fail(name, f"the index {index} is out of bounds for an array of length {len(array)}")
    return array[index]


def f_array_length(name, args, effects):
    return len(_expect(name, 1, args[0], "array"))


def f_array_unique(name, args, effects):
    unique: list[Any] = []
    for item in _expect(name, 1, args[0], "array"):
        if not any(json_equal(item, kept) for kept in unique):
            unique.append(item)
    return unique


def f_base64_encode(name, args, effects):
    import base64

    text = _bounded_string(name, 1, args[0])
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def f_base64_decode(name, args, effects):
    import base64
    import binascii

    text = _bounded_string(name, 1, args[0])
    try:
        return base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise _fail(name, "the string is not valid base64-encoded UTF-8 text") from None


def f_hash(name, args, effects):
    data = _bounded_string(name, 1, args[0])
    algorithm = _expect(name, 2, args[1], "string")
    if algorithm not in HASH_ALGORITHMS:
        raise _fail(name, f"the algorithm {algorithm!r} is not supported; use one of "
                          + ", ".join(HASH_ALGORITHMS))
    import hashlib

    return hashlib.new(HASH_ALGORITHMS[algorithm], data.encode("utf-8")).hexdigest()


def f_json_merge(name, args, effects):
    left = _expect(name, 1, args[0], "object")
    right = _expect(name, 2, args[1], "object")
    deep = _expect(name, 3, args[2], "boolean")
    if deep:
        raise _fail(name, "only a shallow merge is supported; the third argument must be false")
    merged = dict(left)
    merged.update(right)
    return merged


def f_math_random(name, args, effects):
    try:
        start = _round_half_up(_expect(name, 1, args[0], "number"))
        end = _round_half_up(_expect(name, 2, args[1], "number"))
    except ValueError:
        raise _fail(name, "the start and end must be finite numbers") from None
    if start > end:
        raise _fail(name, f"the start ({start}) must not be greater than the end ({end})")
    import random

    if len(args) == 3:
        seed = _integer(name, 3, args[2])
        return random.Random(seed).randint(start, end)
    rng = effects.rng if effects is not None else random.Random()
    return rng.randint(start, end)


def f_math_add(name, args, effects):
    try:
        return _round_half_up(_expect(name, 1, args[0], "number")) + _round_half_up(
            _expect(name, 2, args[1], "number"))
    except ValueError:
        raise _fail(name, "the arguments must be finite numbers") from None


def f_string_split(name, args, effects):
    text = _expect(name, 1, args[0], "string")
    delimiters = _expect(name, 2, args[1], "string")
    if not delimiters:
        return [text] if text else []
    pieces, current = [], []
    for ch in text:
        if ch in delimiters:
            if current:
                pieces.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        pieces.append("".join(current))
    return pieces


def f_uuid(name, args, effects):
    if effects is not None:
        return effects.uuid()
    import uuid

    return str(uuid.uuid4())


# name -> (implementation, minimum arguments, maximum arguments or None for any number)
FUNCTIONS: Mapping[str, tuple[Callable, int, int | None]] = {
    "States.Format": (None, 1, None),  # compiled specially (template pieces)
    "States.StringToJson": (f_string_to_json, 1, 1),
    "States.JsonToString": (f_json_to_string, 1, 1),
    "States.Array": (f_array, 0, None),
    "States.ArrayPartition": (f_array_partition, 2, 2),
    "States.ArrayContains": (f_array_contains, 2, 2),
    "States.ArrayRange": (f_array_range, 3, 3),
    "States.ArrayGetItem": (f_array_get_item, 2, 2),
    "States.ArrayLength": (f_array_length, 1, 1),
    "States.ArrayUnique": (f_array_unique, 1, 1),
    "States.Base64Encode": (f_base64_encode, 1, 1),
    "States.Base64Decode": (f_base64_decode, 1, 1),
    "States.Hash": (f_hash, 2, 2),
    "States.JsonMerge": (f_json_merge, 3, 3),
    "States.MathRandom": (f_math_random, 2, 3),
    "States.MathAdd": (f_math_add, 2, 2),
    "States.StringSplit": (f_string_split, 2, 2),
    "States.UUID": (f_uuid, 0, 0),
}


# The JSON type each argument must have ("any" when unchecked); the last entry repeats for variadics.
PARAMETER_TYPES: Mapping[str, tuple[str, ...]] = {
    "States.Format": ("string", "any"),
    "States.StringToJson": ("string",),
    "States.JsonToString": ("any",),
    "States.Array": ("any",),
    "States.ArrayPartition": ("array", "number"),
    "States.ArrayContains": ("array", "any"),
    "States.ArrayRange": ("number", "number", "number"),
    "States.ArrayGetItem": ("array", "number"),
    "States.ArrayLength": ("array",),
    "States.ArrayUnique": ("array",),
    "States.Base64Encode": ("string",),
    "States.Base64Decode": ("string",),
    "States.Hash": ("string", "string"),
    "States.JsonMerge": ("object", "object", "boolean"),
    "States.MathRandom": ("number", "number", "number"),
    "States.MathAdd": ("number", "number"),
    "States.StringSplit": ("string", "string"),
    "States.UUID": (),
}
_LITERAL_TYPES = {"string": "string", "number": "number", "null": "null", "true": "boolean", "false": "boolean"}


# ----------------------------------------------------------------------------------- parsing

@functools.cache
def _parser():
    """The LALR parser (``lark`` imported only when an intrinsic is first seen).

    Its tables are built once per installation, not per process: lark keeps them in
    :func:`asl._resources.parser_cache_file` (checked against a digest of the grammar, options and
    versions; rebuilt when stale; an unwritable cache only means building in each process)."""
    from lark import Lark

    from ._resources import grammar_text, parser_cache_file

    return Lark(grammar_text("intrinsics.lark"), parser="lalr", lexer="contextual",
                maybe_placeholders=False, propagate_positions=False,
                cache=parser_cache_file("intrinsics.lark") or False)


_END_OF_INPUT = "Unexpected end of the expression (missing ')'?)"


def _syntax_error(text: str, exc: Exception) -> IntrinsicSyntaxError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return IntrinsicSyntaxError(_END_OF_INPUT, len(text) + 1)
    if isinstance(exc, UnexpectedCharacters):
        ch = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else ""
        hint = " (string literals use single quotes)" if ch == '"' else ""
        return IntrinsicSyntaxError(f"Unexpected character {ch!r}{hint}", exc.column)
    if isinstance(exc, UnexpectedToken):
        return IntrinsicSyntaxError(f"Unexpected {exc.token!s}", exc.column)
    return IntrinsicSyntaxError(str(exc).split("\n")[0], 1)  # pragma: no cover - lark's other errors


def _parse(text: str):
    """The ``call`` node of ``text``: read by :mod:`asl._intrinsics_plain` when it is certain of lark's
    answer (the common case: no lark import at all), else by lark."""
    if not isinstance(text, str):
        raise IntrinsicSyntaxError("An intrinsic function call must be a string", 1)
    if "(" not in text:
        raise IntrinsicSyntaxError(
            "Expected a path (starting with '$') or an intrinsic function call such as States.Format(...)", 1)
    try:
        call = _plain_parse(text)
    except _Incomplete:
        raise IntrinsicSyntaxError(_END_OF_INPUT, len(text) + 1) from None
    if call is not None:
        return call
    from lark.exceptions import LarkError

    try:
        tree = _parser().parse(text)
    except LarkError as exc:
        raise _syntax_error(text, exc) from None
    except RecursionError:
        raise IntrinsicSyntaxError("The expression is nested too deeply", 1) from None
    return tree.children[0]


# ----------------------------------------------------------------------------------- compiling


def _fill_format(pieces: list[str], values: list[Callable], data: Any, context: Any, variables: Any,
                 effects: Any) -> str:
    """States.Format's result: the template's literal pieces with each argument's text between them
    (shared by literal templates, split at compile time, and templates read from a path at run time)."""
    parts = [pieces[0]]
    for value, piece in zip(values, pieces[1:]):
        parts.append(format_text(value(data, context, variables, effects)))
        parts.append(piece)
    return "".join(parts)

class Intrinsic:
    """A compiled intrinsic call: ``evaluate(data, context, variables, effects) -> JSON value``."""

    __slots__ = ("text", "name", "_evaluate")

    def __init__(self, text: str, name: str, evaluate: Evaluator):
        self.text = text
        self.name = name
        self._evaluate = evaluate

    def __repr__(self) -> str:
        return f"Intrinsic({self.text!r})"

    @property
    def returns_string(self) -> bool:
        """True for the functions AWS accepts in Fail ``ErrorPath``/``CausePath``."""
        return self.name in STRING_RESULT_FUNCTIONS

    def evaluate(self, data: Any, context: Any = None, variables: Mapping[str, Any] | None = None,
                 effects: Any = None) -> Any:
        return self._evaluate(data, context, variables, effects)


class _Compiler:
    """Turns the parse tree into closures, checking names, arity, nesting, escapes and path syntax."""

    def __init__(self, text: str, field: str):
        self.text = text
        self.field = field

    def call(self, node, depth: int) -> Evaluator:
        name_token = node.children[0]
        name = str(name_token)
        column = name_token.column
        if depth > MAX_NESTING:
            raise IntrinsicSyntaxError(f"Intrinsic functions can be nested at most {MAX_NESTING} deep", column)
        if name not in FUNCTIONS:
            raise IntrinsicSyntaxError(f"Unknown intrinsic function {name}", column)
        implementation, minimum, maximum = FUNCTIONS[name]
        arguments = node.children[1:]
        count = len(arguments)
        if count < minimum or (maximum is not None and count > maximum):
            raise IntrinsicSyntaxError(f"{name} takes {_arity_text(minimum, maximum)}, but {count} "
                                       f"{'was' if count == 1 else 'were'} given", column)
        self.check_literal_types(name, arguments, column)
        if name == "States.Format":
            return self.format_call(name, arguments, depth, column)
        evaluators = tuple(self.argument(argument, depth) for argument in arguments)
        if name == "States.Hash":
            self.check_literal_algorithm(arguments[1])

        def evaluate_call(data: Any, context: Any, variables: Any, effects: Any) -> Any:
            return implementation(name, [e(data, context, variables, effects) for e in evaluators], effects)
        return evaluate_call

    def check_literal_types(self, name: str, arguments, column: int) -> None:
        expected = PARAMETER_TYPES[name]
        for position, node in enumerate(arguments):
            wanted = expected[min(position, len(expected) - 1)]
            found = _LITERAL_TYPES.get(getattr(node, "data", ""))
            if wanted != "any" and found is not None and found != wanted:
                article = "an" if wanted[0] in "aeiou" else "a"
                raise IntrinsicSyntaxError(
                    f"Argument {position + 1} of {name} must be {article} {wanted}, not a {found} literal",
                    _node_column(node, column))

    def check_literal_algorithm(self, node) -> None:
        if getattr(node, "data", None) == "string":
            algorithm = decode_string(str(node.children[0])[1:-1])
            if algorithm not in HASH_ALGORITHMS:
                raise IntrinsicSyntaxError(
                    f"Unsupported hash algorithm {algorithm!r}; use one of " + ", ".join(HASH_ALGORITHMS),
                    node.children[0].column)

    def format_call(self, name: str, arguments, depth: int, column: int) -> Evaluator:
        template_node, value_nodes = arguments[0], arguments[1:]
        values = tuple(self.argument(argument, depth) for argument in value_nodes)
        if getattr(template_node, "data", None) == "string":
            token = template_node.children[0]
            self.check_escapes(token)
            pieces, placeholders = split_format(str(token)[1:-1], True)
            if placeholders != len(values):
                raise IntrinsicSyntaxError(
                    f"States.Format has {placeholders} placeholder{'s' if placeholders != 1 else ''} "
                    f"but {len(values)} value{'s' if len(values) != 1 else ''}", token.column)

            def evaluate_format(data: Any, context: Any, variables: Any, effects: Any) -> str:
                return _fill_format(pieces, values, data, context, variables, effects)
            return evaluate_format
        template = self.argument(template_node, depth)

        def evaluate_dynamic_format(data: Any, context: Any, variables: Any, effects: Any) -> str:
            text = template(data, context, variables, effects)
            if not isinstance(text, str):
                raise _fail(name, f"the template must be a string, but was {json_type(text)}")
            pieces, placeholders = split_format(text, False)
            if placeholders != len(values):
                raise _fail(name, f"the template has {placeholders} placeholders but {len(values)} "
                                  "values were given")
            return _fill_format(pieces, values, data, context, variables, effects)
        return evaluate_dynamic_format

    def check_escapes(self, token) -> None:
        content = str(token)[1:-1]
        offset = _bad_escape(content)
        if offset is not None:
            shown = content[offset:offset + 2]
            raise IntrinsicSyntaxError(
                f"Invalid escape sequence {shown!r} in a string literal (only \\' \\{{ \\}} \\\\ are allowed)",
                token.column + 1 + offset)

    def argument(self, node, depth: int) -> Evaluator:
        kind = node.data
        if kind == "call":
            return self.call(node, depth + 1)
        if kind == "string":
            token = node.children[0]
            self.check_escapes(token)
            return _constant(decode_string(str(token)[1:-1]))
        if kind == "number":
            text = str(node.children[0])
            number = float(text) if any(c in text for c in ".eE") else int(text)
            return _constant(number)
        if kind == "null":
            return _constant(None)
        if kind == "true":
            return _constant(True)
        if kind == "false":
            return _constant(False)
        token = node.children[0]  # path
        return self.path(str(token), token.column)

    def path(self, text: str, column: int) -> Evaluator:
        try:
            path = compile_path(text)
        except PathSyntaxError as exc:
            raise IntrinsicSyntaxError(f"Invalid path argument {text!r}: {exc.message}",
                                       column + exc.column - 1) from None
        get, needs_input, field = path.get, path.kind == INPUT, self.field

        def evaluate_path(data: Any, context: Any, variables: Any, effects: Any) -> Any:
            try:
                return get(data, context, variables)
            except PathNotFound as exc:
                if field:
                    from .payload import not_found_cause

                    raise StatesError(RUNTIME, not_found_cause(text, field, data)) from None
                raise exc from None
        return evaluate_path


def _node_column(node, default: int) -> int:
    for child in getattr(node, "children", ()):
        column = getattr(child, "column", None)
        if column:
            return column
    return default


def _constant(value: Any) -> Evaluator:
    def evaluate_constant(data: Any, context: Any, variables: Any, effects: Any) -> Any:
        return value
    return evaluate_constant


def _arity_text(minimum: int, maximum: int | None) -> str:
    if maximum is None:
        return f"at least {minimum} argument{'s' if minimum != 1 else ''}"
    if minimum == maximum:
        return f"{minimum} argument{'s' if minimum != 1 else ''}" if minimum else "no arguments"
    return f"{minimum} to {maximum} arguments"


def compile_intrinsic(text: str, *, field: str = "") -> Intrinsic:
    """Compile an intrinsic call once; raises :class:`IntrinsicSyntaxError` (with a 1-based column).

    ``field`` (e.g. ``"value.$"``) is used in the cause when a path argument matches nothing.
    Surrounding blanks are tolerated here; :func:`check_intrinsic` reports them for the linter.
    """
    if not isinstance(text, str):
        raise IntrinsicSyntaxError("An intrinsic function call must be a string", 1)
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    try:
        tree = _parse(stripped)
        evaluate = _Compiler(stripped, field).call(tree, 1)
    except IntrinsicSyntaxError as exc:
        raise IntrinsicSyntaxError(exc.message, exc.column + lead) from None
    return Intrinsic(text, str(tree.children[0]), evaluate)


def check_intrinsic(text: Any) -> tuple[str, int] | None:
    """For the linter: None if ``text`` is a valid intrinsic call, else ``(message, column)``.

    Checks syntax, string escapes, function names, fixed arities, nesting depth, path arguments, the
    types of literal arguments, a literal ``States.Hash`` algorithm and the placeholder count of a
    literal ``States.Format`` template. Leading blanks are refused (AWS's validators disagree on them);
    trailing blanks are accepted, as AWS's own language server does.
    """
    if not isinstance(text, str):
        return "An intrinsic function call must be a string", 1
    if text != text.lstrip():
        return "An intrinsic function call must not start with blanks", 1
    try:
        compile_intrinsic(text)
    except IntrinsicSyntaxError as exc:
        return exc.message, exc.column
    return None


def intrinsic_name(text: str) -> str | None:
    """The outermost function name of a call (``States.Format``), or None if ``text`` does not parse."""
    try:
        return str(_parse(text.strip()).children[0])
    except IntrinsicSyntaxError:
        return None


__all__ = [
    "Intrinsic", "IntrinsicSyntaxError", "Effects", "FUNCTIONS", "STRING_RESULT_FUNCTIONS",
    "HASH_ALGORITHMS", "MAX_NESTING", "compile_intrinsic", "check_intrinsic", "intrinsic_name",
    "PARAMETER_TYPES", "format_text", "json_text", "java_double", "json_equal", "split_format", "decode_string",
]
