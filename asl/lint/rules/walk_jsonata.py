"""JSONata fields, expressions and Assign blocks (ASL5xx) for the schema walk.

A mixin of :class:`asl.lint.rules.walk.Walker`: methods ``h_<field>`` are named by the field tables in
:mod:`asl.lint.rules.schema`; the others are helpers of those.
"""
from __future__ import annotations

import re
from typing import Any

from .. import _expr
from . import jsonata as J
from . import structure as S
from ._values import StateInfo, is_jsonata, pointer_join, type_name
from .schema import JSONATA, JSONPATH

_IDENTIFIER = re.compile(r"[^\W\d]\w*\Z")


class JsonataChecks:
    def h_output(self, value, pointer, key, st):
        states_fields = ("result",) if st.type in ("Task", "Parallel", "Map") else ()
        self.jsonata_json(value, pointer, key, st, states_fields=states_fields)

    def h_arguments(self, value, pointer, key, st):
        if isinstance(value, dict) or is_jsonata(value):
            self.jsonata_json(value, pointer, key, st)
        elif not (isinstance(value, str) and self.malformed_jsonata(value, pointer)):
            self.report(S.WrongType, f"Field 'Arguments' must be an object or a JSONata expression, not "
                        f"{type_name(value)}", pointer)

    def h_assign(self, value, pointer, key, st):
        states_fields = ("result",) if st.type in ("Task", "Parallel", "Map") else ()
        self.assign(value, pointer, st, states_fields=states_fields)

    def assign(self, value: Any, pointer: str, st: StateInfo, states_fields: tuple[str, ...] = ()) -> None:
        if not isinstance(value, dict):
            self.report(S.WrongType, f"Field 'Assign' must be an object, not {type_name(value)}", pointer)
            return
        self.block += 1
        outer_block, self.current_block = self.current_block, self.block
        try:
            for k, v in value.items():
                ptr = pointer_join(pointer, k)
                name = k[:-2] if (st.lang == JSONPATH and k.endswith(".$")) else k
                if not _IDENTIFIER.match(name) or len(name) > 80 or name == "states":
                    why = "is reserved" if name == "states" else (
                        "is longer than 80 characters" if len(name) > 80 else "is not a valid identifier")
                    self.report(J.InvalidVariableName, f"Variable name {name!r} {why}", ptr)
                else:
                    self.assigned.append((st.scope, name, ptr, self.block))
                if st.lang == JSONATA:
                    self.jsonata_json(v, ptr, k, st, states_fields=states_fields)
                elif k.endswith(".$"):
                    self.template_value(v, ptr, k, st)
                elif isinstance(v, (dict, list)):
                    self.template(v, ptr, st, 1)
        finally:
            self.current_block = outer_block

    def jsonata_json(self, value: Any, pointer: str, key: str, st: StateInfo, states_fields: tuple[str, ...] = ()) -> None:
        """A JSON value whose strings may be JSONata expressions (Arguments, Output, Assign, ...)."""
        if isinstance(value, str):
            if is_jsonata(value):
                self.expression(value, pointer, key, st, states_fields)
            else:
                self.malformed_jsonata(value, pointer)
        elif isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, (str, dict, list)):
                    self.jsonata_json(v, pointer_join(pointer, k), key, st, states_fields)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, (str, dict, list)):
                    self.jsonata_json(v, pointer_join(pointer, i), key, st, states_fields)

    def malformed_jsonata(self, value: str, pointer: str) -> bool:
        """Report a string that opens ``{%`` without closing ``%}`` (or the reverse); True if reported."""
        opens, closes = value.startswith("{%"), value.endswith("%}")
        if opens != closes:
            self.report(J.MalformedJsonataDelimiters, "A JSONata expression must start with '{%' and end with "
                        f"'%}}': {value[:60]!r}", pointer)
            return True
        return False

    def expression(self, value: str, pointer: str, key: str, st: StateInfo, states_fields: tuple[str, ...] = ()) -> None:
        body = value[2:-2]
        if body[:1] not in (" ", "\t", "\n", "\r") or body[-1:] not in (" ", "\t", "\n", "\r"):
            self.report(J.JsonataDelimiterSpacing, "Put a space after '{%' and before '%}'", pointer)
        if not body.strip():
            self.report(J.JsonataSyntaxError, "Empty JSONata expression", pointer)
            return
        analysis = _expr.jsonata(body)
        if analysis is None:
            return
        error = getattr(analysis, "syntax_error", None)
        if error:
            message, position = error if isinstance(error, tuple) else (str(error), None)
            self.report(J.JsonataSyntaxError, f"Invalid JSONata expression in '{key}': {message}"
                        + (f" (at character {position})" if position else ""), pointer)
            return
        top = getattr(analysis, "top_level_input_reference", None)
        if top:
            what = top if isinstance(top, str) else "$"
            self.report(J.JsonataTopLevelInput, f"Reference to '{what}' at the top level is not supported "
                        "(use $states.input)", pointer)
        for field in sorted(getattr(analysis, "uses_states_fields", ()) or ()):
            if field in ("result", "errorOutput") and field not in states_fields:
                where = ("a Task, Parallel or Map state's Output and Assign" if field == "result"
                         else "a Catcher's Output and Assign")
                self.report(J.StatesFieldNotAvailable, f"$states.{field} is only available in {where}", pointer)
        for function in sorted(getattr(analysis, "unknown_functions", ()) or ()):
            self.report(J.UnknownJsonataFunction, f"Unknown JSONata function ${function}", pointer)
        for variable in getattr(analysis, "variables_read", ()) or ():
            if variable != "states":
                self.read.append((st.scope, variable, pointer, self.current_block))
