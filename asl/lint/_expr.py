"""The linter's door to the expression parsers of other modules, imported lazily.

* JSONPath / reference paths — :func:`asl.paths.check_path` (ASL's own scanner for definite paths,
  jsonpath-ng for the others);
* intrinsic functions — :func:`asl.intrinsics.check_intrinsic` (the grammar, read without lark by
  :mod:`asl._intrinsics_plain` when its answer is certain, else by lark);
* JSONata — :func:`asl.jsonata_syntax.analyze` (jsonata-python's parser).

Why lazily: importing jsonpath-ng, lark or jsonata-python costs 8-20 ms each, as much as linting a
hundred files, and most definitions need none of them. The plainest paths (``$``, ``$.a.b``,
``$.a[0]``, ``$$.Execution.Id``, ``$var.x``) are accepted here by one precompiled regular expression,
the common intrinsic calls by :mod:`asl.lint._intrinsic_shape` and the common JSONata expressions by
:mod:`asl.lint._jsonata_shape`: each matches only a strict subset of what the real parser accepts
(property tests compare them with it), so a fast "yes" can never be a wrong one; everything else goes
to the real parser.

Each result is cached per text: definitions repeat the same paths and expressions many times.
"""
from __future__ import annotations

import re
from typing import Any

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_STEPS = rf"(?:\.{_NAME}|\[[0-9]+\])*"
SIMPLE_INPUT_PATH = re.compile(rf"\${_STEPS}\Z")
SIMPLE_CONTEXT_PATH = re.compile(rf"\$\${_STEPS}\Z")
SIMPLE_VARIABLE_PATH = re.compile(rf"\$({_NAME}){_STEPS}\Z")
VARIABLE_HEAD = re.compile(r"\$([^\W\d][\w]*)")

_UNSET: Any = object()
_check_path: Any = _UNSET
_check_intrinsic: Any = _UNSET
_analyze: Any = _UNSET
_CACHE_LIMIT = 8192          # entries per cache: a long-running process (an editor, a server) stays small
_path_cache: dict[tuple, str | None] = {}
_intrinsic_cache: dict[str, Any] = {}
_jsonata_cache: dict[str, Any] = {}


def path_kind(text: str) -> str:
    """'context' for ``$$…``, 'variable' for ``$name…``, 'input' for ``$`` / ``$.…`` / ``$[…``."""
    if text.startswith("$$"):
        return "context"
    if len(text) > 1 and text[1] not in ".[":
        return "variable"
    return "input"


def variable_of(text: str) -> str | None:
    """The workflow variable a JSONPath reads (``$order.total`` -> ``order``), else None."""
    if len(text) > 1 and text[0] == "$" and text[1] not in ".[$":
        m = VARIABLE_HEAD.match(text)
        if m:
            return m.group(1)
    return None


def path_problem(text: str, *, reference: bool = False) -> tuple[bool, str] | None:
    """None if ``text`` is a valid path (a reference path when ``reference``); else
    ``(is_reference_only_problem, message)`` — the flag is True when the text is a valid JSONPath
    that just is not a reference path."""
    if SIMPLE_INPUT_PATH.match(text) or SIMPLE_CONTEXT_PATH.match(text) or SIMPLE_VARIABLE_PATH.match(text):
        return None
    if not text.startswith("$"):
        return (False, "must start with '$'")
    key = (text, reference)
    if key in _path_cache:
        return _path_cache[key]
    if len(_path_cache) > _CACHE_LIMIT:
        _path_cache.clear()
    cached = _path_cache[key] = _classify(text, reference)
    return cached


def _classify(text: str, reference: bool):
    check = _load_check_path()
    message = _safe(check, text, reference=False)
    if message is not None:
        return (False, message)
    if reference:
        message = _safe(check, text, reference=True)
        if message is not None:
            return (True, message)
    return None


def _safe(check, text, *, reference):
    try:
        return check(text, reference=reference)
    except Exception as exc:  # noqa: BLE001 - a parser bug is reported as a problem, not a crash
        return f"cannot be parsed ({type(exc).__name__})"


def simple_path(text: str) -> bool:
    """A path the fast regular expressions accept (certainly valid, no parser needed)."""
    return bool(SIMPLE_INPUT_PATH.match(text) or SIMPLE_CONTEXT_PATH.match(text) or SIMPLE_VARIABLE_PATH.match(text))


def intrinsic_problem(text: str) -> tuple[str, int] | None:
    """None if ``text`` is a valid intrinsic call, else ``(message, column)``.

    A call that :func:`asl.lint._intrinsic_shape.surely_valid` vouches for is accepted without the
    grammar at all; anything else is checked by :func:`asl.intrinsics.check_intrinsic`."""
    if text in _intrinsic_cache:
        return _intrinsic_cache[text]
    if len(_intrinsic_cache) > _CACHE_LIMIT:
        _intrinsic_cache.clear()
    from ._intrinsic_shape import surely_valid

    if surely_valid(text, simple_path):
        _intrinsic_cache[text] = None
        return None
    try:
        result = _load_check_intrinsic()(text)
    except Exception as exc:  # noqa: BLE001 - a parser bug is reported as a problem, not a crash
        result = (f"cannot be parsed ({type(exc).__name__})", 1)
    if isinstance(result, str):
        result = (result, 1)
    _intrinsic_cache[text] = result
    return result


class SimpleAnalysis:
    """What :func:`asl.jsonata_syntax.analyze` would say about an expression the fast path recognised."""

    __slots__ = ("uses_states_fields",)
    syntax_error = None
    top_level_input_reference = None
    variables_read: frozenset[str] = frozenset()
    unknown_functions: frozenset[str] = frozenset()

    def __init__(self, states_field: str | None):
        self.uses_states_fields = frozenset((states_field,)) if states_field else frozenset()


_SIMPLE_JSONATA = re.compile(
    rf"\s*(?:\$states\.(input|context|result|errorOutput)(?:\.{_NAME})*|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
    r"|'[^'\\]*'|\"[^\"\\]*\"|true|false|null)\s*\Z")


def jsonata(text: str) -> Any:
    """The analysis of a JSONata expression (the text between ``{%`` and ``%}``).

    The plainest expressions (``$states.input.a.b``, a number or string literal) are recognised by a
    regular expression, the common small ones (variables, calls, operators, constructors) by
    :mod:`asl.lint._jsonata_shape`; only the others reach jsonata-python (whose import costs ~15 ms)."""
    if text in _jsonata_cache:
        return _jsonata_cache[text]
    if len(_jsonata_cache) > _CACHE_LIMIT:
        _jsonata_cache.clear()
    simple = _SIMPLE_JSONATA.match(text)
    if simple is not None:
        result = _jsonata_cache[text] = SimpleAnalysis(simple.group(1))
        return result
    from ._jsonata_shape import analyze as analyze_subset

    result = analyze_subset(text)
    if result is not None:
        _jsonata_cache[text] = result
        return result
    try:
        result = _load_analyze()(text)
    except Exception:  # noqa: BLE001 - the analysis never raises; if it does, the expression is skipped
        result = None
    _jsonata_cache[text] = result
    return result


def _load_check_path():
    global _check_path
    if _check_path is _UNSET:
        from ..paths import check_path as _check_path
    return _check_path


def _load_check_intrinsic():
    global _check_intrinsic
    if _check_intrinsic is _UNSET:
        from ..intrinsics import check_intrinsic as _check_intrinsic
    return _check_intrinsic


def _load_analyze():
    global _analyze
    if _analyze is _UNSET:   # the parser-only half of asl.jsonata_expr: cheaper to import
        from ..jsonata_syntax import analyze as _analyze
    return _analyze
