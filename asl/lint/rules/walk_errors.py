"""Retry and Catch lists (their fields, then the ASL3xx meaning of the list) for the schema walk.

A mixin of :class:`asl.lint.rules.walk.Walker`: methods ``h_<field>`` are named by the field tables in
:mod:`asl.lint.rules.schema`; the others are helpers of those.
"""
from __future__ import annotations

from . import errors as E
from . import structure as S
from ._values import pointer_join, type_name
from .schema import JSONATA, JSONPATH


class RetryCatchChecks:
    def h_retry(self, value, pointer, key, st):
        if not isinstance(value, list):
            self.report(S.WrongType, f"Field 'Retry' must be an array, not {type_name(value)}", pointer)
            return
        items = []
        for i, item in enumerate(value):
            ptr = pointer_join(pointer, i)
            if not isinstance(item, dict):
                self.report(S.WrongType, f"A retrier must be an object, not {type_name(item)}", ptr)
                continue
            names = self.error_equals(item, ptr)
            for k, v in item.items():
                p = pointer_join(ptr, k)
                if k == "ErrorEquals":
                    continue
                if k == "IntervalSeconds":
                    self.integer(v, p, k, 1, 99999999)
                elif k == "MaxAttempts":
                    self.integer(v, p, k, 0, 99999999)
                elif k == "BackoffRate":
                    self.number(v, p, k, 1.0, None)
                elif k == "MaxDelaySeconds":
                    self.integer(v, p, k, 1, 31622400)
                elif k == "JitterStrategy":
                    self.enum(v, p, k, ("FULL", "NONE"))
                elif k == "Comment":
                    self.string(v, p, k)
                else:
                    self.report(S.UnsupportedField, f"Field '{k}' is not supported in a retrier", p)
            items.append((ptr, names))
        E.check_matchers(self.ctx, items, "Retry")

    def h_catch(self, value, pointer, key, st):
        if not isinstance(value, list):
            self.report(S.WrongType, f"Field 'Catch' must be an array, not {type_name(value)}", pointer)
            return
        items = []
        for i, item in enumerate(value):
            ptr = pointer_join(pointer, i)
            if not isinstance(item, dict):
                self.report(S.WrongType, f"A catcher must be an object, not {type_name(item)}", ptr)
                continue
            names = self.error_equals(item, ptr)
            if "Next" not in item:
                self.report(S.MissingRequiredField, "These fields are required: [Next]", ptr)
            for k, v in item.items():
                p = pointer_join(ptr, k)
                if k == "ErrorEquals":
                    continue
                if k == "Next":
                    self.name_ref(v, p, k)
                elif k == "Comment":
                    self.string(v, p, k)
                elif k == "ResultPath":
                    if st.lang == JSONATA:
                        self._wrong_lang(k, st, p)
                    else:
                        self.h_result_path(v, p, k, st)
                elif k == "Output":
                    if st.lang == JSONPATH:
                        self._wrong_lang(k, st, p)
                    else:
                        self.jsonata_json(v, p, k, st, states_fields=("errorOutput",))
                elif k == "Assign":
                    self.assign(v, p, st, states_fields=("errorOutput",))
                else:
                    self.report(S.UnsupportedField, f"Field '{k}' is not supported in a catcher", p)
            items.append((ptr, names))
        E.check_matchers(self.ctx, items, "Catch")

    def error_equals(self, item: dict, pointer: str) -> list[str]:
        if "ErrorEquals" not in item:
            self.report(S.MissingRequiredField, "These fields are required: [ErrorEquals]", pointer)
            return []
        value = item["ErrorEquals"]
        ptr = pointer_join(pointer, "ErrorEquals")
        if not isinstance(value, list):
            self.report(S.WrongType, f"Field 'ErrorEquals' must be an array, not {type_name(value)}", ptr)
            return []
        if not value:
            self.report(S.EmptyValue, "Field 'ErrorEquals' cannot be empty", ptr)
        names = []
        for i, name in enumerate(value):
            if isinstance(name, str):
                names.append(name)
            else:
                self.report(S.WrongType, f"Error names must be strings, not {type_name(name)}", pointer_join(ptr, i))
        return names
