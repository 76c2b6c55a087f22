"""Choice rules (JSONPath comparisons and boolean combinations, JSONata conditions) for the schema walk.

A mixin of :class:`asl.lint.rules.walk.Walker`: methods ``h_<field>`` are named by the field tables in
:mod:`asl.lint.rules.schema`; the others are helpers of those.
"""
from __future__ import annotations

from typing import Any

from . import paths as P
from . import structure as S
from ._values import StateInfo, is_jsonata, is_number, pointer_join, type_name
from .schema import CHOICE_BOOLEAN_KEYS, CHOICE_OPERATOR_TYPES, JSONATA
from .timestamps import is_rfc3339


class ChoiceChecks:
    def h_choices(self, value, pointer, key, st):
        if not isinstance(value, list):
            self.report(S.WrongType, f"Field 'Choices' must be an array, not {type_name(value)}", pointer)
            return
        if not value:
            self.report(S.EmptyValue, "Field 'Choices' cannot be empty", pointer)
        for i, rule in enumerate(value):
            self.choice_rule(rule, pointer_join(pointer, i), st, top=True)

    def choice_rule(self, rule: Any, pointer: str, st: StateInfo, *, top: bool) -> None:
        report = self.report
        if not isinstance(rule, dict):
            report(S.WrongType, f"A Choice rule must be an object, not {type_name(rule)}", pointer)
            return
        if top and "Next" not in rule:
            report(S.MissingRequiredField, "These fields are required: [Next]", pointer)
        if st.lang == JSONATA:
            self._jsonata_rule(rule, pointer, st, top)
            return
        operators, booleans = [], []
        for k, v in rule.items():
            ptr = pointer_join(pointer, k)
            if k in CHOICE_OPERATOR_TYPES:
                operators.append(k)
                self.operand(k, v, ptr, st)
            elif k in CHOICE_BOOLEAN_KEYS:
                booleans.append(k)
            elif k == "Variable":
                if isinstance(v, str) and not v.startswith("$") and v:
                    report(P.InvalidPath, f"Field 'Variable': {v!r} is not a valid JSONPath (must start with '$')",
                           ptr)
                else:
                    self.h_ref_path(v, ptr, k, st)
            elif k == "Next":
                if top:
                    self.name_ref(v, ptr, k)
                else:
                    report(S.InvalidChoiceRule, "A nested Choice rule (inside And/Or/Not) cannot have 'Next'", ptr)
            elif k == "Comment":
                self.string(v, ptr, k)
            elif k == "Assign":
                if top:
                    self.assign(v, ptr, st)
                else:
                    report(S.InvalidChoiceRule, "A nested Choice rule (inside And/Or/Not) cannot have 'Assign'", ptr)
            elif k in ("Condition", "Output"):
                self._wrong_lang(k, st, ptr)
            else:
                report(S.UnsupportedField, f"Field '{k}' is not supported in a Choice rule", ptr)
        if booleans:
            if operators or "Variable" in rule:
                report(S.InvalidChoiceRule, f"A Choice rule cannot combine {booleans[0]} with a comparison "
                       "(Variable/operator)", pointer)
            if len(booleans) > 1:
                report(S.InvalidChoiceRule, f"A Choice rule can have only one of [{', '.join(booleans)}]", pointer)
            for k in booleans:
                v = rule[k]
                ptr = pointer_join(pointer, k)
                if k == "Not":
                    if isinstance(v, dict):
                        self.choice_rule(v, ptr, st, top=False)
                    else:
                        report(S.WrongType, f"Field 'Not' must be an object (one rule), not {type_name(v)}", ptr)
                elif not isinstance(v, list):
                    report(S.WrongType, f"Field '{k}' must be an array of rules, not {type_name(v)}", ptr)
                else:
                    if not v:
                        report(S.EmptyValue, f"Field '{k}' cannot be empty", ptr)
                    for i, sub in enumerate(v):
                        self.choice_rule(sub, pointer_join(ptr, i), st, top=False)
            return
        if not operators:
            report(S.InvalidChoiceRule, "A Choice rule needs a comparison operator (StringEquals, NumericEquals, "
                   "IsPresent, ...) or And/Or/Not", pointer)
        elif len(operators) > 1:
            report(S.InvalidChoiceRule, f"A Choice rule can have only one comparison operator, not "
                   f"{', '.join(operators)}", pointer)
        if operators and "Variable" not in rule:
            report(S.InvalidChoiceRule, "These fields are required: [Variable]", pointer)

    def operand(self, operator: str, value: Any, pointer: str, st: StateInfo) -> None:
        expected = CHOICE_OPERATOR_TYPES[operator]
        if expected == "path":
            if not isinstance(value, str):
                self.report(S.WrongType, f"{operator} must be a reference path string, not {type_name(value)}",
                            pointer)
            elif not value.startswith("$"):
                self.report(P.InvalidPath, f"{operator}: {value!r} is not a valid JSONPath (must start with '$')",
                            pointer)
            else:
                self.path(value, pointer, operator, st, reference=True)
        elif expected == "string":
            if not isinstance(value, str):
                self.report(S.WrongType, f"{operator} must be a string, not {type_name(value)}", pointer)
        elif expected == "number":
            if not is_number(value):
                self.report(S.WrongType, f"{operator} must be a number, not {type_name(value)}", pointer)
        elif expected == "boolean":
            if not isinstance(value, bool):
                self.report(S.WrongType, f"{operator} must be a boolean, not {type_name(value)}", pointer)
        elif expected == "timestamp":
            if not isinstance(value, str):
                self.report(S.WrongType, f"{operator} must be a timestamp string, not {type_name(value)}", pointer)
            elif not is_rfc3339(value):
                self.report(S.InvalidTimestamp, f"{operator}: {value!r} does not match RFC3339 timestamp", pointer)

    def _jsonata_rule(self, rule: dict, pointer: str, st: StateInfo, top: bool) -> None:
        report = self.report
        if "Condition" not in rule:
            report(S.InvalidChoiceRule, "A JSONata Choice rule needs a 'Condition'", pointer)
        for k, v in rule.items():
            ptr = pointer_join(pointer, k)
            if k == "Condition":
                if isinstance(v, bool):
                    continue
                if is_jsonata(v):
                    self.expression(v, ptr, k, st)
                elif not (isinstance(v, str) and self.malformed_jsonata(v, ptr)):
                    report(S.WrongType, "Field 'Condition' must be a boolean or a JSONata expression "
                           "(\"{% ... %}\")", ptr)
            elif k == "Next":
                self.name_ref(v, ptr, k)
            elif k == "Comment":
                self.string(v, ptr, k)
            elif k == "Assign":
                self.assign(v, ptr, st)
            elif k == "Output":
                self.jsonata_json(v, ptr, k, st)
            elif k in CHOICE_OPERATOR_TYPES or k in CHOICE_BOOLEAN_KEYS or k == "Variable":
                self._wrong_lang(k, st, ptr)
            else:
                report(S.UnsupportedField, f"Field '{k}' is not supported in a Choice rule", ptr)

    def h_default(self, value, pointer, key, st):
        self.name_ref(value, pointer, key)
