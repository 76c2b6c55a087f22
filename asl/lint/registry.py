"""The rule table: every lint rule's code, name, severity, AWS code and documentation.

A rule is declared as a small class whose docstring *is* its documentation (ruff's sections: What it
does / Why is this bad? / Example / Use instead); ``asl rules`` and ``docs/rules.md`` are generated from
it. The checking code lives apart, in the rule families (``asl.lint.rules.*``): one walk over the
definition reports for several rules, which is what keeps linting fast. A checker reports a finding
with ``ctx.report(SomeRule, message, pointer)``; the driver fills in severity, name and position.

Codes are stable: ASL0xx structure/schema, ASL1xx graph, ASL2xx paths/intrinsics, ASL3xx error
handling, ASL4xx resources, ASL5xx JSONata/variables, ASL9xx meta.
"""
from __future__ import annotations

from typing import Iterable

from ..diagnostics import ERROR, INFO, WARNING

__all__ = ["Rule", "register", "RULES", "rule_for", "Selector", "ERROR", "WARNING", "INFO"]


class Rule:
    """Base class of every rule declaration; subclasses only set class attributes and a docstring."""

    code: str = ""
    name: str = ""
    severity: str = ERROR
    aws_code: str | None = None     # ValidateStateMachineDefinition's code, when AWS has one
    family: str = ""                # "structure", "graph", ...: the module that checks it

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__module__ and not cls.family:
            cls.family = cls.__module__.rsplit(".", 1)[-1]

    @classmethod
    def summary(cls) -> str:
        """The first sentence of the "What it does" section."""
        doc = cls.__doc__ or ""
        lines = [ln.strip() for ln in doc.strip().splitlines()]
        text = ""
        for ln in lines:
            if ln.startswith("##") or not ln and not text:
                continue
            if not ln:
                break
            text += (" " if text else "") + ln
        return _first_sentence(text)


def _first_sentence(text: str) -> str:
    """Up to the first ". " (or a ": " introducing a long list) outside backquoted code."""
    quoted = False
    colon = None
    for i, ch in enumerate(text):
        if ch == "`":
            quoted = not quoted
        elif not quoted and text.startswith(". ", i):
            text = text[:i]
            break
        elif not quoted and colon is None and text.startswith(": ", i):
            colon = i
    if colon is not None and colon < len(text) and len(text) > 90:
        text = text[:colon]
    return text.rstrip(".") + "."


RULES: dict[str, type[Rule]] = {}
_BY_NAME: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the table (codes and names must be unique)."""
    if cls.code in RULES or cls.name in _BY_NAME:
        raise ValueError(f"duplicate rule {cls.code} {cls.name}")
    RULES[cls.code] = cls
    _BY_NAME[cls.name] = cls
    return cls


def rule_for(code_or_name: str) -> type[Rule] | None:
    """Look a rule up by its code (``ASL101``, any case) or its name (``unreachable-state``)."""
    return RULES.get(code_or_name.upper()) or _BY_NAME.get(code_or_name.lower())


class Selector:
    """Which rules are on, from ``select`` / ``ignore`` lists of codes, names or code prefixes.

    A code prefix (``ASL2``) selects every rule whose code starts with it, as in flake8; ``ALL``
    selects everything. ``ignore`` wins over ``select`` when both match the same rule, except that
    a more specific ``select`` entry (a longer prefix, or an exact code / name) beats a shorter ``ignore``.
    """

    __slots__ = ("_select", "_ignore", "_cache", "_any")

    def __init__(self, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None):
        self._select = _normalise(select)
        self._ignore = _normalise(ignore)
        self._cache: dict[str, bool] = {}
        self._any: dict[int, bool] = {}

    @classmethod
    def shared(cls, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> "Selector":
        """The same selector for the same lists: its per-code decisions are cached across the files of a
        run (every file of ``asl lint`` with one configuration shares one selector)."""
        key = (_normalise(select), _normalise(ignore))
        found = _SHARED.get(key)
        if found is None:
            if len(_SHARED) > 64:
                _SHARED.clear()
            found = _SHARED[key] = cls(select, ignore)
        return found

    @staticmethod
    def unknown(entries: Iterable[str] | None) -> list[str]:
        """Entries that match no rule at all (a typo in --select / --ignore / config)."""
        out = []
        for entry in entries or ():
            e = entry.strip()
            if not e or e.upper() == "ALL":
                continue
            if rule_for(e) is None and not any(code.startswith(e.upper()) for code in RULES):
                out.append(entry)
        return out

    def enabled(self, code: str) -> bool:
        cached = self._cache.get(code)
        if cached is None:
            cached = self._cache[code] = self._decide(code)
        return cached

    def any_enabled(self, rules: tuple) -> bool:
        """Is at least one of ``rules`` (a family's tuple, so cached by identity) enabled?"""
        key = id(rules)
        found = self._any.get(key)
        if found is None:
            found = self._any[key] = any(self.enabled(r.code) for r in rules)
        return found

    def _decide(self, code: str) -> bool:
        rule = RULES.get(code)
        name = rule.name if rule else ""
        chosen = _specificity(self._select, code, name) if self._select is not None else 0
        if chosen < 0:
            return False
        dropped = _specificity(self._ignore, code, name) if self._ignore is not None else -1
        return dropped < chosen or dropped < 0


_SHARED: dict[tuple, Selector] = {}


def _normalise(entries: Iterable[str] | None) -> tuple[str, ...] | None:
    if entries is None:
        return None
    if isinstance(entries, str):
        entries = entries.split(",")
    return tuple(e.strip() for e in entries if e and e.strip())


def _specificity(entries: tuple[str, ...], code: str, name: str) -> int:
    """How specifically ``entries`` name this rule: -1 not at all, else the matching prefix length
    (an exact code or name counts as the most specific)."""
    best = -1
    for entry in entries:
        upper = entry.upper()
        if upper == code or entry.lower() == name:
            return 1000
        if upper == "ALL":
            best = max(best, 0)
        elif code.startswith(upper):
            best = max(best, len(upper))
    return best
