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

Facts later families need (variables assigned and read) are left in ``ctx.facts``.
"""
from __future__ import annotations

import re
from typing import Any

from ...diagnostics import pointer_join
from .. import _expr
from .._intrinsic_shape import count_placeholders, shape
from ..context import LintContext
from . import errors as E
from . import jsonata as J
from . import paths as P
from . import resources as R
from . import structure as S
from .schema import (
    JSONATA, JSONPATH, STATE_TYPES, CHOICE_BOOLEAN_KEYS, CHOICE_OPERATOR_TYPES, EXCLUSIVE, HASH_ALGORITHMS, LABEL_FORBIDDEN, MAX_LABEL,
    MAX_STATE_NAME, STATE_FIELDS, STRING_INTRINSICS, TOP_LEVEL_FIELDS, TRANSITION_TYPES,
)
from .timestamps import is_rfc3339

_INTRINSIC_START = re.compile(r"\s*[A-Za-z_][A-Za-z0-9_.]*\s*\(")
_LOOKS_LIKE_PATH = re.compile(r"\$\$?[.\[]|States\.[A-Za-z0-9]+\(")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_IDENTIFIER = re.compile(r"[^\W\d]\w*\Z")
MAX_INTRINSIC_NESTING = 10

RULES = (
    S.DefinitionNotObject, S.StateNotObject, S.MissingRequiredField, S.UnsupportedField, S.WrongType,
    S.InvalidEnumValue, S.ValueOutOfRange, S.EmptyValue, S.MutuallyExclusiveFields, S.NextOrEnd,
    S.WrongQueryLanguageField, S.QueryLanguageDowngrade, S.InvalidTimestamp, S.HeartbeatNotBelowTimeout,
    S.InvalidStateName, S.InvalidLabel, S.InvalidChoiceRule, S.DistributedOnlyField, S.DeprecatedIterator,
    S.DeprecatedMapParameters,
    P.InvalidPath, P.NotReferencePath, P.InvalidResultPathTarget, P.InvalidTemplateValue,
    P.DuplicateTemplateKey, P.NoDollar, P.NoPath, P.PassResultIsStatic, P.TemplateNotObject,
    P.InvalidIntrinsic, P.IntrinsicTooDeep, P.InvalidHashAlgorithm, P.FormatArgumentMismatch,
    P.IntrinsicTrailingWhitespace, P.IntrinsicNotString,
    E.StatesAllNotAlone, E.StatesAllNotLast, E.ShadowedMatcher, E.UncatchableError, E.UnknownStatesError,
    R.InvalidResource, R.UnknownIntegration, R.ExpressUnsupportedIntegration, R.TaskTokenNotPassed,
    J.JsonataSyntaxError, J.MalformedJsonataDelimiters, J.UnknownJsonataFunction, J.StatesFieldNotAvailable,
    J.JsonataTopLevelInput, J.InvalidVariableName, J.JsonataDelimiterSpacing,
)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def is_int(value: Any) -> bool:
    """A JSON integer: ``3`` or ``3.0`` (as JSON Schema counts it), never a boolean."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_jsonata(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("{%") and value.endswith("%}") and len(value) >= 4


class _State:
    """What the walk knows about the state it is in."""

    __slots__ = ("name", "type", "lang", "pointer", "scope", "body", "distributed")

    def __init__(self, name, type_, lang, pointer, scope, body):
        self.name, self.type, self.lang, self.pointer, self.scope, self.body = name, type_, lang, pointer, scope, body
        self.distributed = False


class Walker:
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
        self.token_passed = False

    # ------------------------------------------------------------------ machine / workflows

    def machine(self, value: Any) -> None:
        report = self.report
        if not isinstance(value, dict):
            what = "null" if value is None else _type_name(value)
            report(S.DefinitionNotObject, f"Definition must be a valid JSON object, not {what}", "")
            return
        for key, field_value in value.items():
            ptr = pointer_join("", key)
            if key not in TOP_LEVEL_FIELDS:
                report(S.UnsupportedField, f"Field '{key}' is not supported at the top level", ptr)
            elif key == "Comment" or key == "Version":
                self.string(field_value, ptr, key)
            elif key == "TimeoutSeconds":
                self.integer(field_value, ptr, key, 1, 99999999)
            elif key == "QueryLanguage":
                self.query_language(field_value, ptr)
        if value.get("QueryLanguage") == JSONATA:
            self.top_lang = JSONATA
        self.workflow(value, "", "machine", (0,), in_distributed=False)

    def workflow(self, value: dict, pointer: str, kind: str, scope: tuple[int, ...], in_distributed: bool) -> None:
        report = self.report
        missing = [k for k in ("StartAt", "States") if k not in value]
        if missing:
            report(S.MissingRequiredField, f"These fields are required: [{', '.join(missing)}]", pointer)
        start = value.get("StartAt")
        if "StartAt" in value:
            if not isinstance(start, str):
                report(S.WrongType, f"Field 'StartAt' must be a string, not {_type_name(start)}",
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
            report(S.WrongType, f"Field 'States' must be an object, not {_type_name(states)}", states_ptr)
            return
        if not states:
            report(S.EmptyValue, "Field 'States' cannot be empty", states_ptr)
        for name, body in states.items():
            self.state(name, body, pointer_join(states_ptr, name), scope, in_distributed)

    # ------------------------------------------------------------------ states

    def state(self, name: str, body: Any, pointer: str, scope: tuple[int, ...], in_distributed: bool) -> None:
        report = self.report
        if len(name) > MAX_STATE_NAME:
            report(S.InvalidStateName, f"State name is {len(name)} characters long; the maximum is "
                   f"{MAX_STATE_NAME}", pointer)
        elif _CONTROL.search(name):
            report(S.InvalidStateName, f"State name {name!r} contains a control character", pointer)
        if not isinstance(body, dict):
            report(S.StateNotObject, f"State {name!r} must be an object, not {_type_name(body)}", pointer)
            return
        type_ = body.get("Type")
        if "Type" not in body:
            report(S.MissingRequiredField, "These fields are required: [Type]", pointer)
            return
        if not isinstance(type_, str):
            report(S.WrongType, f"Field 'Type' must be a string, not {_type_name(type_)}",
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
        st = _State(name, type_, lang, pointer, scope, body)
        if type_ == "Map":
            processor = body.get("ItemProcessor", body.get("Iterator"))
            config = processor.get("ProcessorConfig") if isinstance(processor, dict) else None
            st.distributed = isinstance(config, dict) and config.get("Mode") == "DISTRIBUTED"
        fields = STATE_FIELDS[type_]
        for key, value in body.items():
            if key == "Type" or key == "QueryLanguage":
                continue
            spec = fields.get(key)
            ptr = pointer_join(pointer, key)
            if spec is None:
                report(S.UnsupportedField, f"Field '{key}' is not supported in a {type_} state", ptr)
                continue
            field_lang, handler = spec
            if field_lang is not None and field_lang != lang:
                report(S.WrongQueryLanguageField, f"The QueryLanguage is set to '{lang}', but field '{key}' is "
                       f"only supported for the '{field_lang}' QueryLanguage", ptr)
                continue
            getattr(self, handler)(value, ptr, key, st)
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
        getattr(self, "after_" + type_.lower())(st)

    def after_pass(self, st: _State) -> None:
        pass

    def after_succeed(self, st: _State) -> None:
        pass

    def after_choice(self, st: _State) -> None:
        if "Choices" not in st.body:
            self.report(S.MissingRequiredField, "These fields are required: [Choices]", st.pointer)

    def after_wait(self, st: _State) -> None:
        if not any(k in st.body for k in ("Seconds", "Timestamp", "SecondsPath", "TimestampPath")):
            self.report(S.MissingRequiredField, "A Wait state needs one of: [Seconds, Timestamp, SecondsPath, "
                        "TimestampPath]", st.pointer)

    def after_fail(self, st: _State) -> None:
        pass

    def after_task(self, st: _State) -> None:
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

    def after_parallel(self, st: _State) -> None:
        if "Branches" not in st.body:
            self.report(S.MissingRequiredField, "These fields are required: [Branches]", st.pointer)

    def after_map(self, st: _State) -> None:
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
            self.report(S.WrongType, f"Field 'QueryLanguage' must be a string, not {_type_name(value)}", pointer)
        return False

    def string(self, value: Any, pointer: str, key: str) -> bool:
        if isinstance(value, str):
            return True
        self.report(S.WrongType, f"Field '{key}' must be a string, not {_type_name(value)}", pointer)
        return False

    def name_ref(self, value: Any, pointer: str, key: str) -> None:
        if self.string(value, pointer, key) and not value:
            self.report(S.EmptyValue, f"Field '{key}' cannot be empty", pointer)

    def integer(self, value: Any, pointer: str, key: str, low: int | None, high: int | None) -> bool:
        if not is_number(value):
            self.report(S.WrongType, f"Field '{key}' must be an integer, not {_type_name(value)}", pointer)
            return False
        if not is_int(value):
            self.report(S.ValueOutOfRange, f"Field '{key}' must be an integer, not {value}", pointer)
            return False
        return self._range(value, pointer, key, low, high)

    def number(self, value: Any, pointer: str, key: str, low: float | None, high: float | None) -> bool:
        if not is_number(value):
            self.report(S.WrongType, f"Field '{key}' must be a number, not {_type_name(value)}", pointer)
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
        self.report(S.WrongType, f"Field '{key}' must be a boolean, not {_type_name(value)}", pointer)
        return False

    def enum(self, value: Any, pointer: str, key: str, allowed: tuple[str, ...]) -> None:
        if value in allowed and isinstance(value, str):
            return
        if not isinstance(value, str):
            self.report(S.WrongType, f"Field '{key}' must be a string, not {_type_name(value)}", pointer)
        else:
            self.report(S.InvalidEnumValue, f"Field '{key}' is {value!r}, not one of [{', '.join(allowed)}]", pointer)

    def jsonata_or(self, value: Any, pointer: str, key: str, st: _State, expected: str) -> bool:
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
        self.string(value, pointer, key)

    def h_next(self, value, pointer, key, st):
        self.name_ref(value, pointer, key)

    def h_end(self, value, pointer, key, st):
        self.boolean(value, pointer, key)

    def h_path(self, value, pointer, key, st):
        if value is None:
            return
        if not isinstance(value, str):
            self.report(S.WrongType, f"Field '{key}' must be a JSONPath string or null, not {_type_name(value)}",
                        pointer)
            return
        if _INTRINSIC_START.match(value):
            self.report(P.InvalidPath, f"Field '{key}' must be a JSONPath; intrinsic functions are only allowed "
                        "in payload templates (a key ending in '.$')", pointer)
            return
        self.path(value, pointer, key, st, reference=False)

    def h_result_path(self, value, pointer, key, st):
        if value is None:
            return
        if not isinstance(value, str):
            self.report(S.WrongType, f"Field '{key}' must be a reference path or null, not {_type_name(value)}",
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
                        f"Field '{key}' must be a reference path string, not {_type_name(value)}", pointer)
            return
        self.path(value, pointer, key, st, reference=True)

    def h_map_ref_path(self, value, pointer, key, st):
        """A Map's numeric ``...Path`` field: a reference path into the input, never ``$$``."""
        if isinstance(value, str) and value.startswith("$$"):
            self.report(P.InvalidResultPathTarget, f"Field '{key}' cannot read the context object: "
                        "Value is not a Reference Path", pointer)
            return
        self.h_ref_path(value, pointer, key, st)

    def path(self, value: str, pointer: str, key: str, st: _State, *, reference: bool) -> None:
        problem = _expr.path_problem(value, reference=reference)
        if problem is not None:
            only_reference, message = problem
            if only_reference:
                self.report(P.NotReferencePath, f"Field '{key}': {value!r} is not a Reference Path ({message})",
                            pointer)
            else:
                self.report(P.InvalidPath, f"Field '{key}': {value!r} is not a valid JSONPath ({message})", pointer)
            return
        variable = _expr.variable_of(value)
        if variable is not None:
            self.read.append((st.scope, variable, pointer, self.current_block))

    def h_template(self, value, pointer, key, st):
        if not isinstance(value, dict) and pointer != st.pointer + "/Parameters":
            self.report(P.TemplateNotObject, f"Payload template '{key}' must be an object, not "
                        f"{_type_name(value)}", pointer)
        self.template(value, pointer, st, 0)

    def template(self, value: Any, pointer: str, st: _State, depth: int) -> None:
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
                    if _LOOKS_LIKE_PATH.match(v):
                        self.report(P.NoDollar, f"The value of '{k}' looks like a path or intrinsic function but "
                                    f"the key does not end in '.$': it is used as the literal text {v!r}", ptr)
                elif isinstance(v, (dict, list)):
                    self.template(v, ptr, st, depth + 1)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, (dict, list)):
                    self.template(v, pointer_join(pointer, i), st, depth + 1)

    def template_value(self, value: Any, pointer: str, key: str, st: _State, *, string_only: bool = False) -> None:
        """The value of a ``.$`` key: a path, a ``$$`` context path, a ``$variable`` or an intrinsic call."""
        if not isinstance(value, str):
            self.report(P.InvalidTemplateValue, f"The value for the field '{key}' must be a string holding a "
                        f"JSONPath or an intrinsic function call, not {_type_name(value)}", pointer)
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
        if not _INTRINSIC_START.match(value):
            self.report(P.InvalidTemplateValue, f"The value for the field '{key}' must be a valid JSONPath or a "
                        f"valid intrinsic function call, not {value!r}", pointer)
            return
        self.intrinsic(value, pointer, key, st, string_only=string_only)

    def intrinsic(self, value: str, pointer: str, key: str, st: _State, *, string_only: bool = False) -> None:
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
        if self.ctx.selector.enabled(P.PassResultIsStatic.code) and _has_dynamic_look(value, 0):
            self.report(P.PassResultIsStatic, "Result is never evaluated: '.$' keys and paths in it are output "
                        "literally (use Parameters to build output from the input)", pointer)

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
            self.report(S.WrongType, f"Field 'Credentials' must be an object, not {_type_name(value)}", pointer)
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

    def h_retry(self, value, pointer, key, st):
        if not isinstance(value, list):
            self.report(S.WrongType, f"Field 'Retry' must be an array, not {_type_name(value)}", pointer)
            return
        items = []
        for i, item in enumerate(value):
            ptr = pointer_join(pointer, i)
            if not isinstance(item, dict):
                self.report(S.WrongType, f"A retrier must be an object, not {_type_name(item)}", ptr)
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
            self.report(S.WrongType, f"Field 'Catch' must be an array, not {_type_name(value)}", pointer)
            return
        items = []
        for i, item in enumerate(value):
            ptr = pointer_join(pointer, i)
            if not isinstance(item, dict):
                self.report(S.WrongType, f"A catcher must be an object, not {_type_name(item)}", ptr)
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

    def _wrong_lang(self, key: str, st: _State, pointer: str) -> None:
        other = JSONATA if st.lang == JSONPATH else JSONPATH
        self.report(S.WrongQueryLanguageField, f"The QueryLanguage is set to '{st.lang}', but field '{key}' is only "
                    f"supported for the '{other}' QueryLanguage", pointer)

    def error_equals(self, item: dict, pointer: str) -> list[str]:
        if "ErrorEquals" not in item:
            self.report(S.MissingRequiredField, "These fields are required: [ErrorEquals]", pointer)
            return []
        value = item["ErrorEquals"]
        ptr = pointer_join(pointer, "ErrorEquals")
        if not isinstance(value, list):
            self.report(S.WrongType, f"Field 'ErrorEquals' must be an array, not {_type_name(value)}", ptr)
            return []
        if not value:
            self.report(S.EmptyValue, "Field 'ErrorEquals' cannot be empty", ptr)
        names = []
        for i, name in enumerate(value):
            if isinstance(name, str):
                names.append(name)
            else:
                self.report(S.WrongType, f"Error names must be strings, not {_type_name(name)}", pointer_join(ptr, i))
        return names

    # --- Choice

    def h_choices(self, value, pointer, key, st):
        if not isinstance(value, list):
            self.report(S.WrongType, f"Field 'Choices' must be an array, not {_type_name(value)}", pointer)
            return
        if not value:
            self.report(S.EmptyValue, "Field 'Choices' cannot be empty", pointer)
        for i, rule in enumerate(value):
            self.choice_rule(rule, pointer_join(pointer, i), st, top=True)

    def choice_rule(self, rule: Any, pointer: str, st: _State, *, top: bool) -> None:
        report = self.report
        if not isinstance(rule, dict):
            report(S.WrongType, f"A Choice rule must be an object, not {_type_name(rule)}", pointer)
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
                        report(S.WrongType, f"Field 'Not' must be an object (one rule), not {_type_name(v)}", ptr)
                elif not isinstance(v, list):
                    report(S.WrongType, f"Field '{k}' must be an array of rules, not {_type_name(v)}", ptr)
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

    def operand(self, operator: str, value: Any, pointer: str, st: _State) -> None:
        expected = CHOICE_OPERATOR_TYPES[operator]
        if expected == "path":
            if not isinstance(value, str):
                self.report(S.WrongType, f"{operator} must be a reference path string, not {_type_name(value)}",
                            pointer)
            elif not value.startswith("$"):
                self.report(P.InvalidPath, f"{operator}: {value!r} is not a valid JSONPath (must start with '$')",
                            pointer)
            else:
                self.path(value, pointer, operator, st, reference=True)
        elif expected == "string":
            if not isinstance(value, str):
                self.report(S.WrongType, f"{operator} must be a string, not {_type_name(value)}", pointer)
        elif expected == "number":
            if not is_number(value):
                self.report(S.WrongType, f"{operator} must be a number, not {_type_name(value)}", pointer)
        elif expected == "boolean":
            if not isinstance(value, bool):
                self.report(S.WrongType, f"{operator} must be a boolean, not {_type_name(value)}", pointer)
        elif expected == "timestamp":
            if not isinstance(value, str):
                self.report(S.WrongType, f"{operator} must be a timestamp string, not {_type_name(value)}", pointer)
            elif not is_rfc3339(value):
                self.report(S.InvalidTimestamp, f"{operator}: {value!r} does not match RFC3339 timestamp", pointer)

    def _jsonata_rule(self, rule: dict, pointer: str, st: _State, top: bool) -> None:
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

    # --- Wait

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
            if _LOOKS_LIKE_PATH.match(value):
                self.report(P.NoPath, f"Timestamp {value!r} looks like a path: did you mean TimestampPath?", pointer)

    # --- Fail

    def h_fail_text(self, value, pointer, key, st):
        if st.lang == JSONATA and is_jsonata(value):
            self.expression(value, pointer, key, st)
            return
        if not self.string(value, pointer, key):
            return
        if st.lang == JSONATA:
            self.malformed_jsonata(value, pointer)
        elif _LOOKS_LIKE_PATH.match(value):
            self.report(P.NoPath, f"{key} {value!r} looks like a path but is used literally: did you mean "
                        f"{key}Path?", pointer)

    def h_fail_path(self, value, pointer, key, st):
        if not isinstance(value, str):
            self.report(S.WrongType, f"Field '{key}' must be a reference path or an intrinsic function, not "
                        f"{_type_name(value)}", pointer)
        elif value.startswith("$"):
            self.path(value, pointer, key, st, reference=True)
        elif _INTRINSIC_START.match(value):
            self.intrinsic(value, pointer, key, st, string_only=True)
        else:
            self.report(P.InvalidPath, f"Field '{key}': {value!r} is not a reference path or an intrinsic "
                        "function call", pointer)

    # --- Parallel

    def h_branches(self, value, pointer, key, st):
        if not isinstance(value, list):
            self.report(S.WrongType, f"Field 'Branches' must be an array, not {_type_name(value)}", pointer)
            return
        if not value:
            self.report(S.EmptyValue, "Value cannot be empty: a Parallel state needs at least one branch", pointer)
        for i, branch in enumerate(value):
            ptr = pointer_join(pointer, i)
            if not isinstance(branch, dict):
                self.report(S.WrongType, f"A branch must be an object with StartAt and States, not "
                            f"{_type_name(branch)}", ptr)
                continue
            self.scopes += 1
            self.workflow(branch, ptr, "branch", st.scope + (self.scopes,), in_distributed=False)

    # --- Map

    def h_item_processor(self, value, pointer, key, st):
        if not isinstance(value, dict):
            self.report(S.WrongType, f"Field '{key}' must be an object, not {_type_name(value)}", pointer)
            return
        config = value.get("ProcessorConfig")
        if "ProcessorConfig" in value:
            cptr = pointer_join(pointer, "ProcessorConfig")
            if not isinstance(config, dict):
                self.report(S.WrongType, f"Field 'ProcessorConfig' must be an object, not {_type_name(config)}", cptr)
            else:
                for k, v in config.items():
                    p = pointer_join(cptr, k)
                    if k == "Mode":
                        self.enum(v, p, k, ("INLINE", "DISTRIBUTED"))
                    elif k == "ExecutionType":
                        self.enum(v, p, k, ("STANDARD", "EXPRESS"))
                    else:
                        self.report(S.UnsupportedField, f"Field '{k}' is not supported in ProcessorConfig", p)
                if config.get("Mode") == "DISTRIBUTED" and "ExecutionType" not in config:
                    self.report(S.MissingRequiredField, "These fields are required: [ExecutionType] (a DISTRIBUTED "
                                "Map must say how its child workflows run)", cptr)
        self.scopes += 1
        self.workflow(value, pointer, "processor", st.scope + (self.scopes,), in_distributed=st.distributed)

    def h_items(self, value, pointer, key, st):
        if is_jsonata(value):
            self.expression(value, pointer, key, st)
        elif isinstance(value, list):
            self.jsonata_json(value, pointer, key, st)
        elif not (isinstance(value, str) and self.malformed_jsonata(value, pointer)):
            self.report(S.WrongType, f"Field 'Items' must be an array or a JSONata expression, not "
                        f"{_type_name(value)}", pointer)

    def h_item_selector(self, value, pointer, key, st):
        if st.lang == JSONATA:
            self.jsonata_json(value, pointer, key, st)
        else:
            self.h_template(value, pointer, key, st)

    def h_map_parameters(self, value, pointer, key, st):
        self.h_template(value, pointer, key, st)

    def h_max_concurrency(self, value, pointer, key, st):
        if not self.jsonata_or(value, pointer, key, st, "a non-negative integer"):
            self.integer(value, pointer, key, 0, None)

    def h_tolerated_count(self, value, pointer, key, st):
        if not self.jsonata_or(value, pointer, key, st, "a non-negative integer"):
            self.integer(value, pointer, key, 0, None)

    def h_tolerated_percentage(self, value, pointer, key, st):
        if not self.jsonata_or(value, pointer, key, st, "a number from 0 to 100"):
            self.number(value, pointer, key, 0, 100)

    def h_label(self, value, pointer, key, st):
        if not self.string(value, pointer, key):
            return
        if len(value) > MAX_LABEL:
            self.report(S.InvalidLabel, f"Label is {len(value)} characters long; the maximum is {MAX_LABEL}", pointer)
        elif not value or LABEL_FORBIDDEN.search(value):
            self.report(S.InvalidLabel, f"Label {value!r} must not be empty or contain whitespace, control "
                        "characters or any of < > { } [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /", pointer)

    def h_item_reader(self, value, pointer, key, st):
        if not isinstance(value, dict):
            self.report(S.WrongType, f"Field 'ItemReader' must be an object, not {_type_name(value)}", pointer)
            return
        if "Resource" not in value:
            self.report(S.MissingRequiredField, "These fields are required: [Resource]", pointer)
        for k, v in value.items():
            p = pointer_join(pointer, k)
            if k == "Resource":
                self.name_ref(v, p, k)
            elif k == "ReaderConfig":
                self.reader_config(v, p, st)
            else:
                self._io_parameters(k, v, p, st, "an ItemReader")

    def _io_parameters(self, k, v, p, st, where):
        if k == "Parameters":
            if st.lang == JSONATA:
                self._wrong_lang(k, st, p)
            else:
                self.h_template(v, p, k, st)
        elif k == "Arguments":
            if st.lang == JSONPATH:
                self._wrong_lang(k, st, p)
            else:
                self.jsonata_json(v, p, k, st)
        else:
            self.report(S.UnsupportedField, f"Field '{k}' is not supported in {where}", p)

    def reader_config(self, value, pointer, st):
        if not isinstance(value, dict):
            self.report(S.WrongType, f"Field 'ReaderConfig' must be an object, not {_type_name(value)}", pointer)
            return
        enums = {
            "InputType": ("CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"),
            "CSVHeaderLocation": ("FIRST_ROW", "GIVEN"),
            "CSVDelimiter": ("COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"),
            "Transformation": ("NONE", "LOAD_AND_FLATTEN"),
            "ManifestType": ("ATHENA_DATA", "S3_INVENTORY"),
        }
        for k, v in value.items():
            p = pointer_join(pointer, k)
            if k in enums:
                self.enum(v, p, k, enums[k])
            elif k == "CSVHeaders":
                if not isinstance(v, list) or not all(isinstance(h, str) for h in v):
                    self.report(S.WrongType, "Field 'CSVHeaders' must be an array of strings", p)
            elif k == "MaxItems":
                if not self.jsonata_or(v, p, k, st, "a positive integer"):
                    self.integer(v, p, k, 1, 100000000)
            elif k == "MaxItemsPath":
                if st.lang == JSONATA:
                    self._wrong_lang(k, st, p)
                else:
                    self.h_map_ref_path(v, p, k, st)
            elif k == "ItemsPointer":
                self.string(v, p, k)
            else:
                self.report(S.UnsupportedField, f"Field '{k}' is not supported in ReaderConfig", p)
        if "MaxItems" in value and "MaxItemsPath" in value:
            self.report(S.MutuallyExclusiveFields, "There should only be one of the following fields: "
                        "[MaxItems, MaxItemsPath]", pointer)

    def h_item_batcher(self, value, pointer, key, st):
        if not isinstance(value, dict):
            self.report(S.WrongType, f"Field 'ItemBatcher' must be an object, not {_type_name(value)}", pointer)
            return
        for k, v in value.items():
            p = pointer_join(pointer, k)
            if k == "BatchInput":
                if st.lang == JSONATA:
                    self.jsonata_json(v, p, k, st)
                else:
                    self.h_template(v, p, k, st)
            elif k == "MaxItemsPerBatch":
                if not self.jsonata_or(v, p, k, st, "a positive integer"):
                    self.integer(v, p, k, 1, None)
            elif k == "MaxInputBytesPerBatch":
                if not self.jsonata_or(v, p, k, st, "a positive integer"):
                    self.integer(v, p, k, 1, 262144)
            elif k in ("MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"):
                if st.lang == JSONATA:
                    self._wrong_lang(k, st, p)
                else:
                    self.h_map_ref_path(v, p, k, st)
            else:
                self.report(S.UnsupportedField, f"Field '{k}' is not supported in an ItemBatcher", p)
        for a, b in (("MaxItemsPerBatch", "MaxItemsPerBatchPath"), ("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath")):
            if a in value and b in value:
                self.report(S.MutuallyExclusiveFields, f"There should only be one of the following fields: [{a}, {b}]",
                            pointer)

    def h_result_writer(self, value, pointer, key, st):
        if not isinstance(value, dict):
            self.report(S.WrongType, f"Field 'ResultWriter' must be an object, not {_type_name(value)}", pointer)
            return
        if "Resource" not in value and "WriterConfig" not in value:
            self.report(S.MissingRequiredField, "These fields are required: [Resource]", pointer)
        elif "Resource" not in value and ("Parameters" in value or "Arguments" in value):
            self.report(S.MissingRequiredField, "These fields are required: [Resource] (to export results)", pointer)
        for k, v in value.items():
            p = pointer_join(pointer, k)
            if k == "Resource":
                self.name_ref(v, p, k)
            elif k == "WriterConfig":
                if not isinstance(v, dict):
                    self.report(S.WrongType, f"Field 'WriterConfig' must be an object, not {_type_name(v)}", p)
                    continue
                if "OutputType" not in v:
                    self.report(S.MissingRequiredField, "These fields are required: [OutputType]", p)
                for wk, wv in v.items():
                    wp = pointer_join(p, wk)
                    if wk == "OutputType":
                        self.enum(wv, wp, wk, ("JSON", "JSONL"))
                    elif wk == "Transformation":
                        self.enum(wv, wp, wk, ("NONE", "COMPACT", "FLATTEN"))
                    else:
                        self.report(S.UnsupportedField, f"Field '{wk}' is not supported in WriterConfig", wp)
            else:
                self._io_parameters(k, v, p, st, "a ResultWriter")

    # ------------------------------------------------------------------ JSONata and variables

    def h_output(self, value, pointer, key, st):
        states_fields = ("result",) if st.type in ("Task", "Parallel", "Map") else ()
        self.jsonata_json(value, pointer, key, st, states_fields=states_fields)

    def h_arguments(self, value, pointer, key, st):
        if isinstance(value, dict) or is_jsonata(value):
            self.jsonata_json(value, pointer, key, st)
        elif not (isinstance(value, str) and self.malformed_jsonata(value, pointer)):
            self.report(S.WrongType, f"Field 'Arguments' must be an object or a JSONata expression, not "
                        f"{_type_name(value)}", pointer)

    def h_assign(self, value, pointer, key, st):
        states_fields = ("result",) if st.type in ("Task", "Parallel", "Map") else ()
        self.assign(value, pointer, st, states_fields=states_fields)

    def assign(self, value: Any, pointer: str, st: _State, states_fields: tuple[str, ...] = ()) -> None:
        if not isinstance(value, dict):
            self.report(S.WrongType, f"Field 'Assign' must be an object, not {_type_name(value)}", pointer)
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

    def jsonata_json(self, value: Any, pointer: str, key: str, st: _State, states_fields: tuple[str, ...] = ()) -> None:
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

    def expression(self, value: str, pointer: str, key: str, st: _State, states_fields: tuple[str, ...] = ()) -> None:
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


def _has_dynamic_look(value: Any, depth: int) -> bool:
    if depth > 50:
        return False
    if isinstance(value, dict):
        return any(k.endswith(".$") or _has_dynamic_look(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_dynamic_look(v, depth + 1) for v in value)
    return isinstance(value, str) and bool(_LOOKS_LIKE_PATH.match(value))


def check(ctx: LintContext) -> None:
    walker = Walker(ctx)
    walker.machine(ctx.value)
    ctx.facts["variables"] = (walker.assigned, walker.read)


check.rules = RULES  # type: ignore[attr-defined]
