"""Paths, payload templates and intrinsic calls (ASL2xx) for the schema walk.

A mixin of :class:`asl.lint.rules.walk.Walker`: methods ``h_<field>`` are named by the field tables in
:mod:`asl.lint.rules.schema`; the others are helpers of those.
"""
from __future__ import annotations

from typing import Any

from .. import _expr
from .._intrinsic_shape import count_placeholders, shape
from . import paths as P
from . import structure as S
from ._values import (
    INTRINSIC_START, LOOKS_LIKE_PATH, StateInfo, has_dynamic_look, is_jsonata, pointer_join, type_name,
)
from .schema import HASH_ALGORITHMS, JSONATA, STRING_INTRINSICS

MAX_INTRINSIC_NESTING = 10


class PathChecks:
    def h_path(self, value, pointer, key, st):
        if value is None:
            return
        if not isinstance(value, str):
            self.report(S.WrongType, f"Field '{key}' must be a JSONPath string or null, not {type_name(value)}",
                        pointer)
            return
        if INTRINSIC_START.match(value):
            self.report(P.InvalidPath, f"Field '{key}' must be a JSONPath; intrinsic functions are only allowed "
                        "in payload templates (a key ending in '.$')", pointer)
            return
        self.path(value, pointer, key, st, reference=False)

    def h_result_path(self, value, pointer, key, st):
        if value is None:
            return
        if not isinstance(value, str):
            self.report(S.WrongType, f"Field '{key}' must be a reference path or null, not {type_name(value)}",
                        pointer)
            return
        kind = _expr.path_kind(value) if value.startswith("$") else "input"
        if kind == "context":
            self.report(P.InvalidResultPathTarget, f"{key} cannot write to the context object ($$)", pointer)
        elif kind == "variable":
            self.report(P.InvalidResultPathTarget, f"{key} cannot write to a variable; use Assign", pointer)
        else:
            self.path(value, pointer, key, st, reference=True)

    def h_ref_path(self, value, pointer, key, st):
        """A reference path (may read ``$$`` and variables): ``...SecondsPath``, ``ItemsPath``, ``Variable``."""
        if not isinstance(value, str):
            self.report(S.WrongType if value is not None else P.InvalidPath,
                        f"Field '{key}' must be a reference path string, not {type_name(value)}", pointer)
            return
        self.path(value, pointer, key, st, reference=True)

    def h_map_ref_path(self, value, pointer, key, st):
        """A Map's numeric ``...Path`` field: a reference path into the input, never ``$$``."""
        if isinstance(value, str) and value.startswith("$$"):
            self.report(P.InvalidResultPathTarget, f"Field '{key}' cannot read the context object: "
                        "Value is not a Reference Path", pointer)
            return
        self.h_ref_path(value, pointer, key, st)

    def path(self, value: str, pointer: str, key: str, st: StateInfo, *, reference: bool) -> None:
        problem = _expr.path_problem(value, reference=reference)
        if problem is not None:
            only_reference, message = problem
            if only_reference:
                self.report(P.NotReferencePath, f"Field '{key}' must be a reference path (one node: no '*', '..', "
                            f"slices, unions or filters), not {value!r}", pointer)
            else:
                self.report(P.InvalidPath, f"Field '{key}': {value!r} is not a valid JSONPath: {message}", pointer)
            return
        variable = _expr.variable_of(value)
        if variable is not None:
            self.read.append((st.scope, variable, pointer, self.current_block))

    def h_template(self, value, pointer, key, st):
        if not isinstance(value, dict) and pointer != st.pointer + "/Parameters":
            self.report(P.TemplateNotObject, f"Payload template '{key}' must be an object, not "
                        f"{type_name(value)}", pointer)
        self.template(value, pointer, st, 0)

    def template(self, value: Any, pointer: str, st: StateInfo, depth: int) -> None:
        if isinstance(value, dict):
            seen: dict[str, str] = {}
            for k, v in value.items():
                ptr = pointer_join(pointer, k)
                dynamic = k.endswith(".$")
                base = k[:-2] if dynamic else k
                if base in seen:
                    self.report(P.DuplicateTemplateKey, f"A duplicate field will exist after stripping '.$': "
                                f"{seen[base]!r} and {k!r}", ptr)
                else:
                    seen[base] = k
                if dynamic:
                    self.template_value(v, ptr, k, st)
                elif isinstance(v, str):
                    if LOOKS_LIKE_PATH.match(v):
                        self.report(P.NoDollar, f"The value of '{k}' looks like a path or intrinsic function but "
                                    f"the key does not end in '.$': it is used as the literal text {v!r}", ptr)
                elif isinstance(v, (dict, list)):
                    self.template(v, ptr, st, depth + 1)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, (dict, list)):
                    self.template(v, pointer_join(pointer, i), st, depth + 1)

    def template_value(self, value: Any, pointer: str, key: str, st: StateInfo, *, string_only: bool = False) -> None:
        """The value of a ``.$`` key: a path, a ``$$`` context path, a ``$variable`` or an intrinsic call."""
        if not isinstance(value, str):
            self.report(P.InvalidTemplateValue, f"The value for the field '{key}' must be a string holding a "
                        f"JSONPath or an intrinsic function call, not {type_name(value)}", pointer)
            return
        if value.startswith("$"):
            problem = _expr.path_problem(value, reference=False)
            if problem is not None:
                self.report(P.InvalidTemplateValue, f"The value for the field '{key}' must be a valid JSONPath or "
                            f"a valid intrinsic function call ({problem[1]})", pointer)
                return
            variable = _expr.variable_of(value)
            if variable is not None:
                self.read.append((st.scope, variable, pointer, self.current_block))
            return
        if not INTRINSIC_START.match(value):
            self.report(P.InvalidTemplateValue, f"The value for the field '{key}' must be a valid JSONPath or a "
                        f"valid intrinsic function call, not {value!r}", pointer)
            return
        self.intrinsic(value, pointer, key, st, string_only=string_only)

    def intrinsic(self, value: str, pointer: str, key: str, st: StateInfo, *, string_only: bool = False) -> None:
        text = value.rstrip()
        if text != value:
            self.report(P.IntrinsicTrailingWhitespace, f"Whitespace after the intrinsic function call in '{key}'",
                        pointer)
        call = shape(text)
        if call is not None and self._intrinsic_semantics(call, pointer, key, string_only):
            return                      # the specific rule said it; the grammar would repeat it as ASL210
        problem = _expr.intrinsic_problem(text)
        if problem is not None:
            message, column = problem
            self.report(P.InvalidIntrinsic, f"Invalid intrinsic function call in '{key}': {message}"
                        + (f" (at character {column})" if column and column > 1 else ""), pointer)
            return
        if call is None:
            return
        for node in call.walk():
            for arg in node.args:
                if isinstance(arg, tuple) and arg[0] == "path":
                    variable = _expr.variable_of(arg[1])
                    if variable is not None:
                        self.read.append((st.scope, variable, pointer, self.current_block))

    def _intrinsic_semantics(self, call, pointer: str, key: str, string_only: bool) -> bool:
        """The checks with rules of their own (nesting, Hash algorithm, Format arity, string result);
        True when one of them reported."""
        reported = False
        if string_only and call.name not in STRING_INTRINSICS:
            self.report(P.IntrinsicNotString, f"'{key}' needs a string: {call.name} does not return one (use one of "
                        f"{', '.join(sorted(STRING_INTRINSICS))})", pointer)
            reported = True
        depth = call.depth()
        if depth > MAX_INTRINSIC_NESTING:
            self.report(P.IntrinsicTooDeep, f"Intrinsic functions nested {depth} deep in '{key}'; AWS allows "
                        f"{MAX_INTRINSIC_NESTING}", pointer)
            reported = True
        for node in call.walk():
            args = node.args
            if node.name == "States.Hash" and len(args) == 2 and isinstance(args[1], tuple) \
                    and args[1][0] == "string" and args[1][1] not in HASH_ALGORITHMS:
                self.report(P.InvalidHashAlgorithm, f"States.Hash algorithm {args[1][1]!r} is not one of "
                            f"{', '.join(HASH_ALGORITHMS)}", pointer)
                reported = True
            elif node.name == "States.Format" and args and isinstance(args[0], tuple) and args[0][0] == "string":
                wanted = count_placeholders(args[0][1])
                if wanted != len(args) - 1:
                    self.report(P.FormatArgumentMismatch, f"States.Format template has {wanted} placeholder(s) but "
                                f"{len(args) - 1} argument(s) follow it", pointer)
                    reported = True
        return reported

    def h_result(self, value, pointer, key, st):
        if self.ctx.selector.enabled(P.PassResultIsStatic.code) and has_dynamic_look(value, 0):
            self.report(P.PassResultIsStatic, "Result is never evaluated: '.$' keys and paths in it are output "
                        "literally (use Parameters to build output from the input)", pointer)

    def h_fail_text(self, value, pointer, key, st):
        if st.lang == JSONATA and is_jsonata(value):
            self.expression(value, pointer, key, st)
            return
        if not self.string(value, pointer, key):
            return
        if st.lang == JSONATA:
            self.malformed_jsonata(value, pointer)
        elif LOOKS_LIKE_PATH.match(value):
            self.report(P.NoPath, f"{key} {value!r} looks like a path but is used literally: did you mean "
                        f"{key}Path?", pointer)

    def h_fail_path(self, value, pointer, key, st):
        if not isinstance(value, str):
            self.report(S.WrongType, f"Field '{key}' must be a reference path or an intrinsic function, not "
                        f"{type_name(value)}", pointer)
        elif value.startswith("$"):
            self.path(value, pointer, key, st, reference=True)
        elif INTRINSIC_START.match(value):
            self.intrinsic(value, pointer, key, st, string_only=True)
        else:
            self.report(P.InvalidPath, f"Field '{key}': {value!r} is not a reference path or an intrinsic "
                        "function call", pointer)
