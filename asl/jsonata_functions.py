"""The functions AWS adds to JSONata, and the limits AWS evaluates JSONata under.

AWS Step Functions evaluates JSONata 2.0 with six extra functions (``$partition``, ``$range``, ``$hash``,
``$random``, ``$uuid``, ``$parse``) and without ``$eval``. Their behaviour here follows what AWS was
observed to answer (shared/spec/ASL_DIGEST.md §6.6 and the recorded corpus):

* non-integer numeric arguments are truncated towards zero;
* arguments that make no sense (a chunk size of 0, an empty array, a ``$range`` step of 0 or pointing away
  from ``end``, a missing step or hash algorithm) make the call *undefined*, which then fails the field
  it is written in ("returned nothing (undefined)") instead of throwing here;
* ``$range`` answers a JSONata sequence, so a one-element range is the bare number (``$range(1,9,9)`` is
  ``1``) and an empty one is undefined.

Effects (the unseeded ``$random``, ``$uuid``, ``$now``, ``$millis``) are not taken from the process: they
come from the ``effects`` object of the evaluation's :class:`~asl.jsonata_expr.JsonataEnv`, so the same
seed gives the same run. ``$random(seed)`` with a seed is deterministic on its own.

Everything here raises :class:`JsonataAbort` subclasses (which are ``JException`` subclasses, so the JSONata
evaluator passes them through unchanged instead of re-wrapping them as "Unexpected").
"""
from __future__ import annotations

import decimal
import hashlib
import json
import math
import random as _random
import re
import time
import uuid as _uuid
from typing import Any, Callable, Sequence

from . import _jsonata_lib  # noqa: F401  (first: keeps the recursion limit unchanged)
from jsonata import Jsonata
from jsonata.functions import Functions
from jsonata.jexception import JException
from jsonata.parser import Parser
from jsonata.utils import Utils

NULL = Utils.NULL_VALUE

# AWS's limits (measured against AWS and reported by other emulators' authors; ASL_DIGEST §6.5)
MAX_DEPTH = 100                   # nested evaluation depth: "Stack overflow error" past it
MAX_VALUE_BYTES = 6_990_256       # one value an expression builds (a character counts 1, a number 8)
MAX_RANGE_OPERATOR_ITEMS = MAX_VALUE_BYTES // 8      # [a..b]
MAX_RANGE_FUNCTION_ITEMS = 360_145                   # $range(a, b, step), checked before allocating

_LONG_MIN, _LONG_MAX = -(2 ** 63), 2 ** 63 - 1

HASH_ALGORITHMS = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


class JsonataAbort(JException):
    """An evaluation failure whose message is ours, not a JSONata error code's.

    Subclassing ``JException`` matters: the evaluator turns any *other* exception raised inside an
    ``and``/``or`` operand into a generic "Unexpected" error, which would lose the message.
    """

    def __init__(self, message: str):
        RuntimeError.__init__(self, message)
        self.error = None
        self.location = -1
        self.current = None
        self.expected = None
        self.extra = None
        self.type = None
        self.remaining = None
        self.message = message


class StackOverflow(JsonataAbort):
    def __init__(self, depth: int, maximum: int = MAX_DEPTH):
        super().__init__(f"Stack overflow error: Depth={depth} max={maximum}")


class EvaluationTimeout(JsonataAbort):
    def __init__(self) -> None:
        super().__init__("Expression evaluation timeout")


class MemoryLimitExceeded(JsonataAbort):
    def __init__(self) -> None:
        super().__init__("Expression evaluation memory limit exceeded")


class FunctionFailed(JsonataAbort):
    """One of AWS's functions refused its arguments (e.g. ``$parse`` of text that is not JSON)."""


# ---------------------------------------------------------------------------------------------------
# conversions between plain JSON and what the JSONata evaluator expects

def to_jsonata(value: Any) -> Any:
    """Plain JSON -> JSONata data: JSON null becomes JSONata's null marker (Python None means *undefined*
    to the evaluator). Containers are copied only where something inside changes, so data without nulls
    is handed over as is (the evaluator never mutates its input)."""
    if value is None:
        return NULL
    if isinstance(value, dict):
        changed = None
        for key, item in value.items():
            converted = to_jsonata(item)
            if converted is not item:
                if changed is None:
                    changed = dict(value)
                changed[key] = converted
        return value if changed is None else changed
    if isinstance(value, list):
        changed = None
        for index, item in enumerate(value):
            converted = to_jsonata(item)
            if converted is not item:
                if changed is None:
                    changed = list(value)
                changed[index] = converted
        return value if changed is None else changed
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, tuple):
        return to_jsonata(list(value))
    if hasattr(value, "items"):            # read-only mappings (MappingProxyType) from the model
        return to_jsonata(dict(value.items()))
    return value


def _integer(value: Any) -> int:
    """AWS truncates non-integer numeric arguments towards zero."""
    return int(value) if isinstance(value, float) else value


def _number(text: str) -> int | float:
    """JSON integer literal -> exact while it fits in a Java long, a double past it (AWS's number model)."""
    number = int(text)
    if _LONG_MIN <= number <= _LONG_MAX:
        return number
    return float(text)


def _no_constants(name: str) -> float:
    raise ValueError(f"Unrecognized token '{name}'")


# ---------------------------------------------------------------------------------------------------
# $string and '&' with JavaScript's number notation (jsonata-python prints 1e20 as "1e+20", nested
# numbers with all 17 digits, and escapes non-ASCII text; JSONata and AWS do none of that)

def number_text(number: int | float) -> str:
    """JSONata's ``$string`` of a number: 15 significant digits, then JavaScript's Number-to-String
    (plain digits from 1e-7 up to 1e21, exponent notation outside)."""
    if isinstance(number, int) and abs(number) < 10 ** 15:
        return str(number)
    value = float(f"{number:.15g}")
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    digits = decimal.Decimal(repr(value))
    exponent = digits.adjusted()
    if -7 < exponent < 21:
        return format(digits, "f")
    mantissa = format(digits.scaleb(-exponent).normalize(), "f")
    return f"{mantissa}e{'+' if exponent > 0 else '-'}{abs(exponent)}"


def _is_function(value: Any) -> bool:
    return isinstance(value, (Jsonata.JFunctionCallable, Parser.Symbol)) or Functions.is_regex(value)


def _json_text(value: Any, indent: str | None, level: int) -> str:
    if value is None or value is NULL:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return number_text(value) if math.isfinite(value) else "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if _is_function(value):
        return '""'
    if isinstance(value, dict):
        items = [(json.dumps(str(key), ensure_ascii=False), item) for key, item in value.items()]
        parts = [f"{key}:{' ' if indent else ''}{_json_text(item, indent, level + 1)}" for key, item in items]
        open_, close = "{", "}"
    elif isinstance(value, list):
        parts = [_json_text(item, indent, level + 1) for item in value]
        open_, close = "[", "]"
    else:
        return "null"
    if not parts:
        return open_ + close
    if not indent:
        return open_ + ",".join(parts) + close
    inner, outer = "\n" + indent * (level + 1), "\n" + indent * level
    return open_ + inner + ("," + inner).join(parts) + outer + close


def fn_string(value: Any = None, prettify: Any = None) -> Any:
    """JSONata's ``$string`` (also what ``&`` applies to its operands)."""
    if isinstance(value, Utils.JList) and value.outer_wrapper:
        value = value[0]
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if _is_function(value):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isfinite(value):
        raise JException("D3001", -1, value)
    return _json_text(value, "  " if prettify is True else None, 0)


# ---------------------------------------------------------------------------------------------------
# the functions

def fn_count(array: Any) -> int:
    """JSONata's ``$count``, except that JSON null is a value (AWS: ``$count(null)`` is 1, not 0)."""
    if array is None:
        return 0
    return len(array) if isinstance(array, list) else 1


_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?")
_PREFIXED = re.compile(r"0[xX][0-9A-Fa-f]+|0[oO][0-7]+|0[bB][01]+")


def fn_number(value: Any) -> Any:
    """JSONata's ``$number``: text must be a JSON-style decimal or a 0x/0o/0b literal, else D3030 (the
    library lets Python's ``float`` decide, accepting "inf" and crashing on "a")."""
    if value is None:
        return None
    if value is NULL:
        raise JException("T0410", -1)
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        if _DECIMAL.fullmatch(value):
            number = float(value)
            if math.isfinite(number):
                return number
        elif _PREFIXED.fullmatch(value):
            return int(value[2:], {"x": 16, "o": 8, "b": 2}[value[1].lower()])
    raise JException("D3030", -1, value)


def fn_partition(array: Any, size: Any) -> Any:
    if array is None or size is None or array is NULL or size is NULL:
        return None
    if not isinstance(array, list):
        array = [array]
    size = _integer(size)
    if size <= 0 or not array:
        return None
    items = list(array)
    return [items[start:start + size] for start in range(0, len(items), size)]


def fn_range(start: Any, end: Any, step: Any = None) -> Any:
    if start is None or end is None or step is None:
        return None
    start, end, step = _integer(start), _integer(end), _integer(step)
    if step == 0 or (end > start and step < 0) or (end < start and step > 0):
        return None
    count = (end - start) // step + 1
    if count > MAX_RANGE_FUNCTION_ITEMS:
        raise MemoryLimitExceeded()
    return Utils.create_sequence_from_iter(range(start, start + count * step, step))


def fn_hash(value: Any, algorithm: Any = None) -> Any:
    if value is None or algorithm is None:
        return None
    name = HASH_ALGORITHMS.get(algorithm)
    if name is None:
        raise FunctionFailed(
            f"Invalid hash algorithm '{algorithm}'. Supported algorithms: {', '.join(HASH_ALGORITHMS)}")
    return hashlib.new(name, value.encode("utf-8")).hexdigest()


def java_random_double(seed: int) -> float:
    """``new java.util.Random(seed).nextDouble()``: AWS runs on the JVM, so a seeded ``$random`` is taken to
    be Java's generator (48-bit LCG) — deterministic for a given seed, which is the documented contract."""
    mask = (1 << 48) - 1
    state = (seed ^ 0x5DEECE66D) & mask

    def next_bits(bits: int) -> int:
        nonlocal state
        state = (state * 0x5DEECE66D + 0xB) & mask
        return state >> (48 - bits)

    return ((next_bits(26) << 27) + next_bits(27)) * (1.0 / (1 << 53))


def fn_parse(text: Any) -> Any:
    if text is None:
        return None
    try:
        value = json.loads(text, parse_int=_number, parse_constant=_no_constants)
    except (ValueError, RecursionError) as error:
        raise FunctionFailed(f"Unable to parse the argument of $parse as JSON: {error}") from None
    return to_jsonata(value)


# ---------------------------------------------------------------------------------------------------
# effects: the unseeded $random, $uuid, $now and $millis ask the evaluation's effects object

class DefaultEffects:
    """Effects for evaluations that were given none: a private RNG (seedable) and the real clock.

    The runtime passes its own object (anything with ``random()`` and ``uuid()``, and optionally
    ``now_millis()`` or a ``clock`` with ``now()`` in epoch seconds) so that a seeded run repeats exactly.
    """

    def __init__(self, seed: int | None = None, now: Callable[[], float] | None = None):
        self._rng = _random.Random(seed)
        self._now = now or time.time

    def random(self) -> float:
        return self._rng.random()

    def uuid(self) -> str:
        return str(_uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def now_millis(self) -> int:
        return int(self._now() * 1000)


_default: DefaultEffects | None = None


def default_effects() -> DefaultEffects:
    """The effects of evaluations given none: one process-wide unseeded source (not reproducible)."""
    global _default
    if _default is None:
        _default = DefaultEffects()
    return _default


def effect_now_millis(effects: Any) -> int:
    now_millis = getattr(effects, "now_millis", None)
    if now_millis is not None:
        return int(now_millis())
    clock = getattr(effects, "clock", None)
    if clock is not None:
        return int(clock.now() * 1000)
    return int(time.time() * 1000)


class AwsFunction(Jsonata.JFunction):
    """A native function with a JSONata signature (so argument type errors are JSONata's own T0410...)."""

    def __init__(self, name: str, signature: str, implementation: Callable[..., Any], arity: int):
        super().__init__(self, signature)
        self.function_name = name
        self._implementation = implementation
        self._arity = arity

    def call(self, input: Any, args: Sequence[Any] | None) -> Any:  # noqa: A002 - JSONata's name
        args = list(args or ())
        if len(args) > self._arity:
            raise JException("T0410", -1, len(args), self.function_name)
        args += [None] * (self._arity - len(args))
        return self._implementation(*args)

    def get_number_of_args(self) -> int:
        return self._arity


def make_functions_frame(current_effects: Callable[[], Any]) -> Jsonata.Frame:
    """The frame every evaluation's variables sit on: JSONata's built-ins, AWS's additions, no ``$eval``.

    ``current_effects()`` answers the effects object of the evaluation running on this thread.
    """

    def fn_random(seed: Any = None) -> float:
        if seed is not None and seed is not NULL:
            return java_random_double(_integer(seed))
        return current_effects().random()

    def fn_uuid() -> str:
        return current_effects().uuid()

    def fn_now(picture: Any = None, timezone: Any = None) -> Any:
        return Functions.datetime_from_millis(effect_now_millis(current_effects()), picture, timezone)

    def fn_millis() -> int:
        return effect_now_millis(current_effects())

    frame = Jsonata.Frame(Jsonata.static_frame)
    for name, signature, implementation, arity in (
        ("count", "<x:n>", fn_count, 1),
        ("string", "<x-b?:s>", fn_string, 2),
        ("number", "<(nsb)-:n>", fn_number, 1),
        ("partition", "<an:a>", fn_partition, 2),
        ("range", "<nnn?:a<n>>", fn_range, 3),
        ("hash", "<ss?:s>", fn_hash, 2),
        ("random", "<n?:n>", fn_random, 1),
        ("uuid", "<:s>", fn_uuid, 0),
        ("parse", "<s:x>", fn_parse, 1),
        ("now", "<s?s?:s>", fn_now, 2),
        ("millis", "<:n>", fn_millis, 0),
    ):
        frame.bind(name, AwsFunction(name, signature, implementation, arity))
    # AWS removes $eval: calling it is "T1006: Attempted to invoke a non-function" (None = bound, no value)
    frame.bindings["eval"] = None
    return frame


def builtin_function_names() -> frozenset[str]:
    """Every function name an expression may call on AWS (JSONata's built-ins + AWS's, minus ``$eval``)."""
    names = {name for name in Jsonata.static_frame.bindings if not name.startswith("__")}
    names |= {"partition", "range", "hash", "random", "uuid", "parse", "now", "millis"}
    names.discard("eval")
    return frozenset(names)
