"""The schema walk: one pass over the definition checks every field of every construct.

The walk visits the JSON value once — machine, states, retriers, catchers, Choice rules, branches,
item processors, reader/batcher/writer configuration — and for each field applies the check the
field table in :mod:`asl.lint.rules.schema` names: JSON type and range, enum, query language,
JSONPath / reference path, payload template, intrinsic call, JSONata expression, timestamp,
resource. Rules from several families (ASL0xx, 2xx, 3xx, 4xx, 5xx) report from here, because
finding the fields is the expensive part and doing it once is what keeps linting fast.

Why a hand-written table instead of a JSON Schema validated with jsonschema: importing jsonschema
alone costs about 65 ms, more than a whole statelint run (the pre-commit budget), the AWS rules
depend on the query language in force at each state (a JSON Schema expresses that only through
large ``oneOf`` trees whose error messages are useless: "is not valid under any of the given
schemas"), and each finding here names the rule and says what AWS says.

The walk itself (machine, workflows, states, scalar checks) is here; the checks of bigger constructs
are mixins in ``walk_paths`` (paths, templates, intrinsics), ``walk_errors`` (Retry/Catch),
``walk_choice`` (Choice rules), ``walk_nested`` (Parallel and Map) and ``walk_jsonata`` (JSONata,
Assign). Facts later families need (variables assigned and read) are left in ``ctx.facts``.
"""
from __future__ import annotations

import re
from typing import Any

from ..context import LintContext
from . import errors as E
from . import jsonata as J
from . import paths as P
from . import resources as R
from . import structure as S
from ._values import LOOKS_LIKE_PATH, StateInfo, is_int, is_jsonata, is_number, pointer_join, type_name
from .schema import (
    EXCLUSIVE, JSONATA, JSONPATH, MAX_STATE_NAME, STATE_FIELDS, STATE_TYPES, TOP_LEVEL_FIELDS, TRANSITION_TYPES,
)
from .timestamps import is_rfc3339
from .walk_choice import ChoiceChecks
from .walk_errors import RetryCatchChecks
from .walk_jsonata import JsonataChecks
from .walk_nested import NestedChecks
from .walk_paths import PathChecks

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

RULES = (
    S.DefinitionNotObject, S.StateNotObject, S.MissingRequiredField, S.UnsupportedField, S.WrongType,
    S.InvalidEnumValue, S.ValueOutOfRange, S.EmptyValue, S.MutuallyExclusiveFields, S.NextOrEnd,
    S.WrongQueryLanguageField, S.QueryLanguageDowngrade, S.InvalidTimestamp, S.HeartbeatNotBelowTimeout,
    S.InvalidStateName, S.InvalidLabel, S.InvalidChoiceRule, S.DistributedOnlyField, S.DeprecatedIterator,
    S.DeprecatedMapParameters, S.DuplicateLabel,
    P.InvalidPath, P.NotReferencePath, P.InvalidResultPathTarget, P.InvalidTemplateValue,
    P.DuplicateTemplateKey, P.NoDollar, P.NoPath, P.PassResultIsStatic, P.TemplateNotObject,
    P.InvalidIntrinsic, P.IntrinsicTooDeep, P.InvalidHashAlgorithm, P.FormatArgumentMismatch,
    P.IntrinsicTrailingWhitespace, P.IntrinsicNotString,
    E.StatesAllNotAlone, E.StatesAllNotLast, E.ShadowedMatcher, E.UncatchableError, E.UnknownStatesError,
    R.InvalidResource, R.UnknownIntegration, R.ExpressUnsupportedIntegration, R.TaskTokenNotPassed,
    J.JsonataSyntaxError, J.MalformedJsonataDelimiters, J.UnknownJsonataFunction, J.StatesFieldNotAvailable,
    J.JsonataTopLevelInput, J.InvalidVariableName, J.JsonataDelimiterSpacing,
)


class Walker(PathChecks, RetryCatchChecks, ChoiceChecks, NestedChecks, JsonataChecks):
    """The schema walk over one definition (the field checks come from the mixins)."""

    def __init__(self, ctx: LintContext):
        self.ctx = ctx
        self.report = ctx.report
        self.top_lang = JSONPATH
        self.workflow_type = ctx.workflow_type
        self.scopes = 0
        # variables: (scope chain, name, pointer, block id) — checked by the jsonata family
        self.assigned: list[tuple[tuple[int, ...], str, str, int]] = []
        self.read: list[tuple[tuple[int, ...], str, str, int | None]] = []
        self.block = 0
        self.current_block: int | None = None
        self.noqa: list[tuple[str, str, str]] = []   # (state pointer, Comment pointer, text)
        self.distributed_scopes: set[int] = set()     # item processors of Distributed Maps
        self.labels: dict[str, str] = {}               # Map Label -> where first used

    # ------------------------------------------------------------------ machine / workflows

    def machine(self, value: Any) -> None:
        report = self.report
        if not isinstance(value, dict):
            what = "null" if value is None else type_name(value)
            report(S.DefinitionNotObject, f"Definition must be a valid JSON object, not {what}", "")
            return
        for key, field_value in value.items():
            ptr = pointer_join("", key)
            if key not in TOP_LEVEL_FIELDS:
                report(S.UnsupportedField, f"Field '{key}' is not supported at the top level", ptr)
            elif key == "Comment" or key == "Version":
                if self.string(field_value, ptr, key) and key == "Comment" and "noqa" in field_value.lower():
                    self.noqa.append(("", ptr, field_value))
            elif key == "TimeoutSeconds":
                self.integer(field_value, ptr, key, 1, 99999999)
            elif key == "QueryLanguage":
                self.query_language(field_value, ptr)
        if value.get("QueryLanguage") == JSONATA:
            self.top_lang = JSONATA
        self.workflow(value, "", "machine", (0,))

    def workflow(self, value: dict, pointer: str, kind: str, scope: tuple[int, ...]) -> None:
        report = self.report
        missing = [k for k in ("StartAt", "States") if k not in value]
        if missing:
            report(S.MissingRequiredField, f"These fields are required: [{', '.join(missing)}]", pointer)
        start = value.get("StartAt")
        if "StartAt" in value:
            if not isinstance(start, str):
                report(S.WrongType, f"Field 'StartAt' must be a string, not {type_name(start)}",
                       pointer_join(pointer, "StartAt"))
            elif not start:
                report(S.EmptyValue, "Field 'StartAt' cannot be empty", pointer_join(pointer, "StartAt"))
        if kind != "machine":
            for key, field_value in value.items():
                ptr = pointer_join(pointer, key)
                if key == "Comment":
                    self.string(field_value, ptr, key)
                elif key == "ProcessorConfig" and kind == "processor":
                    pass                                    # checked by the Map
                elif key == "QueryLanguage" and kind == "processor":
                    report(S.QueryLanguageDowngrade, "Field 'QueryLanguage' is not supported in an "
                           "ItemProcessor: its states take the machine's query language", ptr)
                elif key not in ("StartAt", "States"):
                    where = "an ItemProcessor" if kind == "processor" else "a Parallel branch"
                    report(S.UnsupportedField, f"Field '{key}' is not supported in {where}", ptr)
        states = value.get("States")
        if "States" not in value:
            return
        states_ptr = pointer_join(pointer, "States")
        if not isinstance(states, dict):
            report(S.WrongType, f"Field 'States' must be an object, not {type_name(states)}", states_ptr)
            return
        if not states:
            report(S.EmptyValue, "Field 'States' cannot be empty", states_ptr)
        prefix = states_ptr + "/"
        for name, body in states.items():
            self.state(name, body, prefix + name if "~" not in name and "/" not in name
                       else pointer_join(states_ptr, name), scope)

    # ------------------------------------------------------------------ states

    def state(self, name: str, body: Any, pointer: str, scope: tuple[int, ...]) -> None:
        report = self.report
        if len(name) > MAX_STATE_NAME:
            report(S.InvalidStateName, f"State name is {len(name)} characters long; the maximum is "
                   f"{MAX_STATE_NAME}", pointer)
        elif not name.isprintable() and _CONTROL.search(name):     # (printable: no control character)
            report(S.InvalidStateName, f"State name {name!r} contains a control character", pointer)
        if not isinstance(body, dict):
            report(S.StateNotObject, f"State {name!r} must be an object, not {type_name(body)}", pointer)
            return
        type_ = body.get("Type")
        if "Type" not in body:
            report(S.MissingRequiredField, "These fields are required: [Type]", pointer)
            return
        if not isinstance(type_, str):
            report(S.WrongType, f"Field 'Type' must be a string, not {type_name(type_)}",
                   pointer_join(pointer, "Type"))
            return
        if type_ not in STATE_FIELDS:
            hint = next((t for t in STATE_TYPES if t.lower() == type_.lower()), None)
            report(S.InvalidEnumValue, f"Type {type_!r} is not a state type" + (
                f" (did you mean {hint!r}?)" if hint else f"; expected one of {', '.join(STATE_TYPES)}"),
                pointer_join(pointer, "Type"))
            return
        declared = body.get("QueryLanguage")
        lang = self.top_lang
        if "QueryLanguage" in body:
            ql_ptr = pointer_join(pointer, "QueryLanguage")
            if self.query_language(declared, ql_ptr):
                if declared == JSONPATH and self.top_lang == JSONATA:
                    report(S.QueryLanguageDowngrade, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' "
                           "for whole state machine", pointer)
                else:
                    lang = declared
            else:
                lang = JSONATA if declared != JSONPATH else JSONPATH
        st = StateInfo(name, type_, lang, pointer, scope, body)
        if type_ == "Map":
            processor = body.get("ItemProcessor", body.get("Iterator"))
            config = processor.get("ProcessorConfig") if isinstance(processor, dict) else None
            st.distributed = isinstance(config, dict) and config.get("Mode") == "DISTRIBUTED"
        fields = _HANDLERS[type_]
        prefix = pointer + "/"
        for key, value in body.items():
            if key == "Type" or key == "QueryLanguage":
                continue
            spec = fields.get(key)
            if spec is None:
                report(S.UnsupportedField, f"Field '{key}' is not supported in a {type_} state",
                       pointer_join(pointer, key))
                continue
            field_lang, handler = spec
            ptr = prefix + key                     # a field name of the table: nothing to escape
            if field_lang is not None and field_lang != lang:
                report(S.WrongQueryLanguageField, f"The QueryLanguage is set to '{lang}', but field '{key}' is "
                       f"only supported for the '{field_lang}' QueryLanguage", ptr)
                continue
            handler(self, value, ptr, key, st)
        for group in EXCLUSIVE.get(type_, ()):
            present = [k for k in group if k in body]
            if len(present) > 1:
                report(S.MutuallyExclusiveFields, "There should only be one of the following fields: "
                       f"[{', '.join(present)}]", pointer)
        if type_ in TRANSITION_TYPES:
            has_next = "Next" in body
            ends = body.get("End") is True
            if has_next and ends:
                report(S.NextOrEnd, "A state cannot have both 'Next' and 'End': true", pointer)
            elif not has_next and not ends and not ("End" in body and not isinstance(body["End"], bool)):
                report(S.NextOrEnd, "These fields are required: [Next] (or \"End\": true)", pointer)
        _AFTER[type_](self, st)

    def after_pass(self, st: StateInfo) -> None:
        pass

    def after_succeed(self, st: StateInfo) -> None:
        pass

    def after_choice(self, st: StateInfo) -> None:
        if "Choices" not in st.body:
            self.report(S.MissingRequiredField, "These fields are required: [Choices]", st.pointer)

    def after_wait(self, st: StateInfo) -> None:
        if not any(k in st.body for k in ("Seconds", "Timestamp", "SecondsPath", "TimestampPath")):
            self.report(S.MissingRequiredField, "A Wait state needs one of: [Seconds, Timestamp, SecondsPath, "
                        "TimestampPath]", st.pointer)

    def after_fail(self, st: StateInfo) -> None:
        pass

    def after_task(self, st: StateInfo) -> None:
        body = st.body
        if "Resource" not in body:
            self.report(S.MissingRequiredField, "These fields are required: [Resource]", st.pointer)
        timeout, heartbeat = body.get("TimeoutSeconds"), body.get("HeartbeatSeconds")
        if is_int(timeout) and is_int(heartbeat) and heartbeat >= timeout and timeout > 0:
            self.report(S.HeartbeatNotBelowTimeout, f"HeartbeatSeconds ({heartbeat}) must be smaller than "
                        f"TimeoutSeconds ({timeout})", pointer_join(st.pointer, "HeartbeatSeconds"))
        resource = body.get("Resource")
        if isinstance(resource, str) and resource.endswith(".waitForTaskToken") and not self._passes_token(body):
            self.report(R.TaskTokenNotPassed, "The task waits for a task token but never sends it: pass "
                        "$$.Task.Token (JSONPath) or $states.context.Task.Token (JSONata) in the payload",
                        st.pointer)

    def after_parallel(self, st: StateInfo) -> None:
        if "Branches" not in st.body:
            self.report(S.MissingRequiredField, "These fields are required: [Branches]", st.pointer)

    def after_map(self, st: StateInfo) -> None:
        body = st.body
        if "ItemProcessor" not in body and "Iterator" not in body:
            self.report(S.MissingRequiredField, "These fields are required: [ItemProcessor]", st.pointer)
        elif "Iterator" in body and "ItemProcessor" not in body:
            self.report(S.DeprecatedIterator, "'Iterator' is deprecated: use 'ItemProcessor'",
                        pointer_join(st.pointer, "Iterator"))
        if "Parameters" in body and "ItemSelector" not in body and st.lang == JSONPATH:
            self.report(S.DeprecatedMapParameters, "A Map's 'Parameters' is deprecated: use 'ItemSelector'",
                        pointer_join(st.pointer, "Parameters"))
        if not st.distributed:
            for key in ("ItemReader", "ItemBatcher", "ResultWriter", "Label", "ToleratedFailurePercentage",
                        "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath"):
                if key in body:
                    self.report(S.DistributedOnlyField, f"Field '{key}' only applies to a Map in DISTRIBUTED mode",
                                pointer_join(st.pointer, key))

    @staticmethod
    def _passes_token(body: dict) -> bool:
        for key in ("Parameters", "Arguments"):
            if key in body and "Task.Token" in repr(body[key]):
                return True
        return False

    # ------------------------------------------------------------------ scalar checks

    def query_language(self, value: Any, pointer: str) -> bool:
        if value in (JSONPATH, JSONATA):
            return True
        if isinstance(value, str):
            self.report(S.InvalidEnumValue, f"QueryLanguage {value!r} is not one of [JSONPath, JSONata]", pointer)
        else:
            self.report(S.WrongType, f"Field 'QueryLanguage' must be a string, not {type_name(value)}", pointer)
        return False

    def string(self, value: Any, pointer: str, key: str) -> bool:
        if isinstance(value, str):
            return True
        self.report(S.WrongType, f"Field '{key}' must be a string, not {type_name(value)}", pointer)
        return False

    def name_ref(self, value: Any, pointer: str, key: str) -> None:
        if self.string(value, pointer, key) and not value:
            self.report(S.EmptyValue, f"Field '{key}' cannot be empty", pointer)

    def integer(self, value: Any, pointer: str, key: str, low: int | None, high: int | None) -> bool:
        if not is_number(value):
            self.report(S.WrongType, f"Field '{key}' must be an integer, not {type_name(value)}", pointer)
            return False
        if not is_int(value):
            self.report(S.ValueOutOfRange, f"Field '{key}' must be an integer, not {value}", pointer)
            return False
        return self._range(value, pointer, key, low, high)

    def number(self, value: Any, pointer: str, key: str, low: float | None, high: float | None) -> bool:
        if not is_number(value):
            self.report(S.WrongType, f"Field '{key}' must be a number, not {type_name(value)}", pointer)
            return False
        return self._range(value, pointer, key, low, high)

    def _range(self, value, pointer, key, low, high) -> bool:
        if low is not None and value < low:
            self.report(S.ValueOutOfRange, f"Field '{key}' is {value}; minimum value is {low}", pointer)
            return False
        if high is not None and value > high:
            self.report(S.ValueOutOfRange, f"Field '{key}' is {value}; maximum value is {high}", pointer)
            return False
        return True

    def boolean(self, value: Any, pointer: str, key: str) -> bool:
        if isinstance(value, bool):
            return True
        self.report(S.WrongType, f"Field '{key}' must be a boolean, not {type_name(value)}", pointer)
        return False

    def enum(self, value: Any, pointer: str, key: str, allowed: tuple[str, ...]) -> None:
        if value in allowed and isinstance(value, str):
            return
        if not isinstance(value, str):
            self.report(S.WrongType, f"Field '{key}' must be a string, not {type_name(value)}", pointer)
        else:
            self.report(S.InvalidEnumValue, f"Field '{key}' is {value!r}, not one of [{', '.join(allowed)}]", pointer)

    def jsonata_or(self, value: Any, pointer: str, key: str, st: StateInfo, expected: str) -> bool:
        """In a JSONata state a ``{% %}`` string may stand for the value: check it and return True."""
        if st.lang == JSONATA and isinstance(value, str):
            if is_jsonata(value):
                self.expression(value, pointer, key, st)
            elif not self.malformed_jsonata(value, pointer):
                self.report(S.WrongType, f"Field '{key}' must be {expected} or a JSONata expression "
                            "(\"{% ... %}\")", pointer)
            return True
        return False

    # ------------------------------------------------------------------ field handlers (schema.py names them)

    def h_comment(self, value, pointer, key, st):
        if self.string(value, pointer, key) and "noqa" in value.lower():
            self.noqa.append((st.pointer, pointer, value))     # an `asl: noqa` marker, maybe (suppress.py)

    def h_next(self, value, pointer, key, st):
        self.name_ref(value, pointer, key)

    def h_end(self, value, pointer, key, st):
        self.boolean(value, pointer, key)

    def h_resource(self, value, pointer, key, st):
        if isinstance(value, dict) and len(value) == 1 and ("Ref" in value or next(iter(value)).startswith("Fn::")):
            return                      # a CloudFormation intrinsic ({"Fn::GetAtt": ...}): resolved at deploy time
        if self.string(value, pointer, key):
            R.check_resource(self.ctx, value, pointer, self.workflow_type)

    def h_positive_seconds(self, value, pointer, key, st):
        """Task ``TimeoutSeconds`` / ``HeartbeatSeconds``: 1..99999999, or JSONata."""
        if not self.jsonata_or(value, pointer, key, st, "a positive integer"):
            self.integer(value, pointer, key, 1, 99999999)

    def h_credentials(self, value, pointer, key, st):
        """JSONata: ``{"RoleArn": ...}`` exactly (AWS: "The field 'RoleArn' is required but was missing").
        JSONPath: a payload template (the States Language's definition; AWS's behaviour unrecorded)."""
        if st.lang == JSONATA and is_jsonata(value):
            self.expression(value, pointer, key, st)
            return
        if not isinstance(value, dict):
            self.report(S.WrongType, f"Field 'Credentials' must be an object, not {type_name(value)}", pointer)
            return
        if st.lang == JSONPATH:
            self.template(value, pointer, st, 0)
            return
        if "RoleArn" not in value:
            self.report(S.MissingRequiredField, "The field 'RoleArn' is required but was missing", pointer)
        for k, v in value.items():
            ptr = pointer_join(pointer, k)
            if k == "RoleArn":
                if not self.jsonata_or(v, ptr, k, st, "a string"):
                    self.string(v, ptr, k)
            else:
                self.report(S.UnsupportedField, f"Field '{k}' is not supported in Credentials", ptr)

    def _wrong_lang(self, key: str, st: StateInfo, pointer: str) -> None:
        other = JSONATA if st.lang == JSONPATH else JSONPATH
        self.report(S.WrongQueryLanguageField, f"The QueryLanguage is set to '{st.lang}', but field '{key}' is only "
                    f"supported for the '{other}' QueryLanguage", pointer)

    def h_wait_seconds(self, value, pointer, key, st):
        if not self.jsonata_or(value, pointer, key, st, "a non-negative integer"):
            self.integer(value, pointer, key, 0, 99999999)

    def h_timestamp(self, value, pointer, key, st):
        if self.jsonata_or(value, pointer, key, st, "an RFC3339 timestamp string"):
            return
        if not self.string(value, pointer, key):
            return
        if not is_rfc3339(value):
            self.report(S.InvalidTimestamp, f"{value!r} does not match RFC3339 timestamp", pointer)
            if LOOKS_LIKE_PATH.match(value):
                self.report(P.NoPath, f"Timestamp {value!r} looks like a path: did you mean TimestampPath?", pointer)

#: STATE_FIELDS with the handler methods themselves (no getattr by name per field), and each state
#: type's final check
_HANDLERS = {type_: {key: (lang, getattr(Walker, handler)) for key, (lang, handler) in fields.items()}
             for type_, fields in STATE_FIELDS.items()}
_AFTER = {type_: getattr(Walker, "after_" + type_.lower()) for type_ in STATE_FIELDS}


def check(ctx: LintContext) -> None:
    walker = Walker(ctx)
    walker.machine(ctx.value)
    ctx.facts["variables"] = (walker.assigned, walker.read, walker.distributed_scopes)
    ctx.facts["noqa"] = walker.noqa


check.rules = RULES  # type: ignore[attr-defined]
