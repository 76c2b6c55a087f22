"""What AWS's schema allows, as data: the fields of every state type and the check each gets.

``STATE_FIELDS[type][field] = (language, handler)``: ``language`` is None when the field exists in
both query languages, else the only one it exists in (a field of the other language is reported as
ASL018 wrong-query-language-field, a field in neither as ASL011 unsupported-field); ``handler`` names
the :class:`asl.lint.rules.walk.Walker` method that checks the value. Sources: ASL_DIGEST.md §1-§2
and §6.1, AWS's recorded behaviour (shared/conformance) where it differs from the spec text.
"""
from __future__ import annotations


# The same constants as asl.model's (a test keeps them equal): importing asl.model builds its ~20
# dataclasses, which costs more than linting a file, and the linter reads JSON, not the model.
JSONPATH, JSONATA = "JSONPath", "JSONata"
STATE_TYPES = ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")
COMPARISON_OPERATORS = (
    "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals",
    "StringGreaterThanEquals", "NumericEquals", "NumericLessThan", "NumericGreaterThan",
    "NumericLessThanEquals", "NumericGreaterThanEquals", "BooleanEquals", "TimestampEquals",
    "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals",
)

JP, JA, BOTH = JSONPATH, JSONATA, None

TOP_LEVEL_FIELDS = frozenset({"Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"})
TRANSITION_TYPES = frozenset({"Task", "Pass", "Wait", "Parallel", "Map"})
MAX_STATE_NAME = 80
MAX_LABEL = 40
LABEL_FORBIDDEN = r"[\s\x00-\x1f\x7f-\x9f<>{}\[\]?*\"#%\\^|~`$&,;:/]"    # a pattern: compiled on first use

_COMMON = {"Comment": (BOTH, "h_comment")}
_TRANSITION = {"Next": (BOTH, "h_next"), "End": (BOTH, "h_end")}
_IO = {"InputPath": (JP, "h_path"), "OutputPath": (JP, "h_path"), "Output": (JA, "h_output")}
_ASSIGN = {"Assign": (BOTH, "h_assign")}
_ERRORS = {"Retry": (BOTH, "h_retry"), "Catch": (BOTH, "h_catch")}
_RESULT = {"ResultSelector": (JP, "h_template"), "ResultPath": (JP, "h_result_path")}

STATE_FIELDS: dict[str, dict[str, tuple[str | None, str]]] = {
    "Pass": {**_COMMON, **_TRANSITION, **_IO, **_ASSIGN,
             "Parameters": (JP, "h_template"), "ResultPath": (JP, "h_result_path"),
             # AWS says to use Output in JSONata, but accepts Result there (as LocalStack does)
             "Result": (BOTH, "h_result")},
    "Task": {**_COMMON, **_TRANSITION, **_IO, **_ASSIGN, **_ERRORS, **_RESULT,
             "Resource": (BOTH, "h_resource"), "Parameters": (JP, "h_template"), "Arguments": (JA, "h_arguments"),
             "TimeoutSeconds": (BOTH, "h_positive_seconds"), "TimeoutSecondsPath": (JP, "h_ref_path"),
             "HeartbeatSeconds": (BOTH, "h_positive_seconds"), "HeartbeatSecondsPath": (JP, "h_ref_path"),
             "Credentials": (BOTH, "h_credentials")},
    "Choice": {**_COMMON, **_IO, **_ASSIGN, "Choices": (BOTH, "h_choices"), "Default": (BOTH, "h_default")},
    "Wait": {**_COMMON, **_TRANSITION, **_IO, **_ASSIGN,
             "Seconds": (BOTH, "h_wait_seconds"), "Timestamp": (BOTH, "h_timestamp"),
             "SecondsPath": (JP, "h_ref_path"), "TimestampPath": (JP, "h_ref_path")},
    "Succeed": {**_COMMON, **_IO},
    "Fail": {**_COMMON, "Error": (BOTH, "h_fail_text"), "Cause": (BOTH, "h_fail_text"),
             "ErrorPath": (JP, "h_fail_path"), "CausePath": (JP, "h_fail_path")},
    "Parallel": {**_COMMON, **_TRANSITION, **_IO, **_ASSIGN, **_ERRORS, **_RESULT,
                 "Branches": (BOTH, "h_branches"), "Parameters": (JP, "h_template"),
                 "Arguments": (JA, "h_arguments")},
    "Map": {**_COMMON, **_TRANSITION, **_IO, **_ASSIGN, **_ERRORS, **_RESULT,
            "ItemProcessor": (BOTH, "h_item_processor"), "Iterator": (BOTH, "h_item_processor"),
            "ItemsPath": (JP, "h_ref_path"), "Items": (JA, "h_items"),
            "ItemSelector": (BOTH, "h_item_selector"), "Parameters": (JP, "h_map_parameters"),
            "ItemReader": (BOTH, "h_item_reader"), "ItemBatcher": (BOTH, "h_item_batcher"),
            "ResultWriter": (BOTH, "h_result_writer"),
            "MaxConcurrency": (BOTH, "h_max_concurrency"), "MaxConcurrencyPath": (JP, "h_map_ref_path"),
            "ToleratedFailurePercentage": (BOTH, "h_tolerated_percentage"),
            "ToleratedFailurePercentagePath": (JP, "h_map_ref_path"),
            "ToleratedFailureCount": (BOTH, "h_tolerated_count"),
            "ToleratedFailureCountPath": (JP, "h_map_ref_path"),
            "Label": (BOTH, "h_label")},
}

#: groups of fields of which at most one may be present
EXCLUSIVE: dict[str, tuple[tuple[str, ...], ...]] = {
    "Task": (("TimeoutSeconds", "TimeoutSecondsPath"), ("HeartbeatSeconds", "HeartbeatSecondsPath")),
    "Wait": (("Seconds", "SecondsPath", "Timestamp", "TimestampPath"),),
    "Fail": (("Error", "ErrorPath"), ("Cause", "CausePath")),
    "Map": (("ItemProcessor", "Iterator"), ("ItemSelector", "Parameters"), ("Items", "ItemsPath"),
            ("MaxConcurrency", "MaxConcurrencyPath"),
            ("ToleratedFailurePercentage", "ToleratedFailurePercentagePath"),
            ("ToleratedFailureCount", "ToleratedFailureCountPath")),
}

#: the operand each JSONPath Choice operator takes
CHOICE_OPERATOR_TYPES: dict[str, str] = {}
for _op in COMPARISON_OPERATORS:
    CHOICE_OPERATOR_TYPES[_op] = ("string" if _op.startswith("String") else "number" if _op.startswith("Numeric")
                                  else "boolean" if _op.startswith("Boolean") else "timestamp")
    CHOICE_OPERATOR_TYPES[_op + "Path"] = "path"
CHOICE_OPERATOR_TYPES["StringMatches"] = "string"
for _op in ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"):
    CHOICE_OPERATOR_TYPES[_op] = "boolean"
CHOICE_BOOLEAN_KEYS = frozenset({"And", "Or", "Not"})

HASH_ALGORITHMS = ("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512")
#: intrinsics that return a string (allowed in a Fail state's ErrorPath / CausePath)
STRING_INTRINSICS = frozenset({"States.Format", "States.JsonToString", "States.ArrayGetItem", "States.Base64Encode",
                               "States.Base64Decode", "States.Hash", "States.UUID"})
