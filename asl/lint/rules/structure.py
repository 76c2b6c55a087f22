"""ASL0xx — structure and schema: the definition's shape, field by field.

These rules are checked by the single schema walk in :mod:`asl.lint.rules.walk`, driven by the field
tables in :mod:`asl.lint.rules.schema` (what AWS's own schema allows for every construct, per query
language). They mirror ValidateStateMachineDefinition's ``SCHEMA_VALIDATION_FAILED`` family.
"""
from __future__ import annotations

from ..registry import ERROR, WARNING, Rule, register

SCHEMA = "SCHEMA_VALIDATION_FAILED"


@register
class UnreadableSource(Rule):
    """## What it does
    Reports a file that is not a JSON or YAML document at all: a syntax error (with the parser's
    position), an empty file, or binary data.

    ## Why is this bad?
    AWS refuses it with `INVALID_JSON_DESCRIPTION`; nothing else can be checked until it parses.

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true},}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL000", "unreadable-source", ERROR, "INVALID_JSON_DESCRIPTION"


@register
class DefinitionNotObject(Rule):
    """## What it does
    Reports a definition whose top-level value is not a JSON object (an array, a string, `null`...).

    ## Why is this bad?
    A state machine is an object with `StartAt` and `States`; AWS answers
    "Definition must be a valid JSON object".

    ## Example
    ```json
    [{"StartAt": "A"}]
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL001", "definition-not-object", ERROR, SCHEMA


@register
class StateNotObject(Rule):
    """## What it does
    Reports a state (a member of a `States` object) whose value is not a JSON object.

    ## Why is this bad?
    Every state is an object with at least a `Type`; AWS rejects anything else.

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": 42}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL002", "state-not-object", ERROR, SCHEMA


@register
class DuplicateKey(Rule):
    """## What it does
    Reports a key written twice in the same JSON object (reported by the source reader, at the second
    occurrence).

    ## Why is this bad?
    JSON parsers keep only one of the two values silently, so the definition does not mean what it
    says. Two states with one name are the usual case; AWS rejects them.

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "A": {"Type": "Succeed"}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}
    ```
    """

    code, name, severity, aws_code = "ASL003", "duplicate-key", ERROR, SCHEMA


@register
class TooLarge(Rule):
    """## What it does
    Reports a definition larger than 1,048,576 characters, AWS's limit for a state machine definition.

    ## Why is this bad?
    CreateStateMachine refuses it. Large data belongs in the input or in S3, not in the definition.

    ## Example
    A definition whose `Pass` states carry megabytes of `Result` data.

    ## Use instead
    Keep the data outside (S3, a Distributed Map's `ItemReader`) and reference it.
    """

    code, name, severity, aws_code = "ASL004", "too-large", ERROR, SCHEMA


@register
class TooDeep(Rule):
    """## What it does
    Reports a document nested so deeply (objects in arrays in objects...) that it cannot be checked
    safely; AWS reports `TOO_DEEPLY_NESTED` for such definitions.

    ## Why is this bad?
    Nobody writes a definition like that on purpose; it is generated garbage or an attack on the tools
    that read it.

    ## Example
    `{"a": {"a": {"a": ... }}}` a few hundred levels deep.

    ## Use instead
    A flat definition; split deep logic into nested state machines.
    """

    code, name, severity, aws_code = "ASL005", "too-deep", ERROR, "TOO_DEEPLY_NESTED"


@register
class MissingRequiredField(Rule):
    """## What it does
    Reports a required field that is missing: `StartAt`/`States` on a machine, branch or item
    processor, `Type` on a state, `Resource` on a Task, `Choices` on a Choice, `Branches` on a
    Parallel, `ItemProcessor` on a Map, one of `Seconds`/`Timestamp`/`SecondsPath`/`TimestampPath` on
    a Wait, `ErrorEquals` on a retrier or catcher, `Next` on a catcher or a top-level Choice rule,
    `RoleArn` in `Credentials`, `Resource` in an `ItemReader`, `ExecutionType` for a Distributed Map.

    ## Why is this bad?
    AWS rejects the definition: `These fields are required: [...]`.

    ## Example
    ```json
    {"StartAt": "Call", "States": {"Call": {"Type": "Task", "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "Call", "States": {"Call": {"Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "f"},
      "QueryLanguage": "JSONata", "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL010", "missing-required-field", ERROR, SCHEMA


@register
class UnsupportedField(Rule):
    """## What it does
    Reports a field the construct does not have: a misspelt field, a field of another state type
    (`Parameters` in a Wait, `Retry` in a Pass, `Next` in a Succeed), an unknown top-level field, an
    unknown field in a retrier, catcher, Choice rule, `ItemProcessor`, `ItemReader`...

    ## Why is this bad?
    AWS rejects it (`Field 'X' is not supported`); when it would not, a misspelt field silently does
    nothing (`"Resultpath"` is not `"ResultPath"`).

    ## Example
    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "Retry": [], "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL011", "unsupported-field", ERROR, SCHEMA


@register
class WrongType(Rule):
    """## What it does
    Reports a field whose JSON type is wrong: `StartAt` a number, `Comment` not a string, `Retry` an
    object, `End` a string, `Credentials` a string, `NumericEquals` a string, a JSONata-only field that
    is neither its JSON type nor a `{% %}` expression, and so on.

    ## Why is this bad?
    AWS rejects the definition with `SCHEMA_VALIDATION_FAILED`.

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "HeartbeatSeconds": "10", "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "HeartbeatSeconds": 10, "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL012", "wrong-type", ERROR, SCHEMA


@register
class InvalidEnumValue(Rule):
    """## What it does
    Reports a value outside a closed set: a state `Type` other than the eight types (case matters),
    `QueryLanguage` other than `JSONPath`/`JSONata`, `JitterStrategy` other than `FULL`/`NONE`, a
    `ProcessorConfig.Mode`, `ExecutionType`, `ReaderConfig.InputType`... that AWS does not know.

    ## Why is this bad?
    AWS rejects it; `"Type": "pass"` is the classic.

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "pass", "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL013", "invalid-enum-value", ERROR, SCHEMA


@register
class ValueOutOfRange(Rule):
    """## What it does
    Reports a number outside the range AWS accepts: `TimeoutSeconds`/`HeartbeatSeconds` not in
    1..99999999, a Wait `Seconds` not in 0..99999999, `MaxAttempts` not in 0..99999999,
    `IntervalSeconds` below 1, `BackoffRate` below 1.0, `MaxDelaySeconds` not in 1..31622400,
    `ToleratedFailurePercentage` not in 0..100, negative `MaxConcurrency` or `ToleratedFailureCount`,
    `MaxItemsPerBatch`/`MaxItems` below 1, `MaxInputBytesPerBatch` above 262144; and integers written
    as fractions (`TimeoutSeconds: 1.5`).

    ## Why is this bad?
    AWS rejects the definition (`Minimum value is ...`, `Maximum value is ...`).

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 0.5}], "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 1.5}], "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL014", "value-out-of-range", ERROR, SCHEMA


@register
class EmptyValue(Rule):
    """## What it does
    Reports an empty `States` object, `Choices`, `Branches`, `ErrorEquals`, `And`/`Or` list, or an empty
    string where a name is required (`StartAt`, `Next`, `Resource`).

    ## Why is this bad?
    AWS rejects it: `Value cannot be empty`.

    ## Example
    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [], "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}}}
    ```
    """

    code, name, severity, aws_code = "ASL015", "empty-value", ERROR, SCHEMA


@register
class MutuallyExclusiveFields(Rule):
    """## What it does
    Reports two fields of which only one may be given: a value and its `...Path` twin (`Seconds` and
    `SecondsPath`, `TimeoutSeconds` and `TimeoutSecondsPath`, `Error` and `ErrorPath`, `MaxItems` and
    `MaxItemsPath`...), two of a Wait's four duration fields, `Iterator` and `ItemProcessor`,
    `Parameters` and `ItemSelector` on a Map, `ItemsPath` and `Items`.

    ## Why is this bad?
    AWS rejects it: `There should only be one of the following fields: [A, B]`. Which one would win is
    not defined.

    ## Example
    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "SecondsPath": "$.s", "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL016", "mutually-exclusive-fields", ERROR, SCHEMA


@register
class NextOrEnd(Rule):
    """## What it does
    Reports a Task, Pass, Wait, Parallel or Map state that does not have exactly one of `Next` and
    `"End": true`: neither (or `"End": false` alone), or both.

    ## Why is this bad?
    Such a state either has nowhere to go or two contradictory instructions; AWS rejects both.

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "End": true},
      "B": {"Type": "Succeed"}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}
    ```
    """

    code, name, severity, aws_code = "ASL017", "next-or-end", ERROR, SCHEMA


@register
class WrongQueryLanguageField(Rule):
    """## What it does
    Reports a field that exists only in the other query language: `Arguments`, `Output`, `Items` or a
    Choice rule's `Condition` in a JSONPath state; `InputPath`, `Parameters`, `ResultSelector`,
    `ResultPath`, `OutputPath`, `ItemsPath`, the `...Path` fields, or a Choice rule's `Variable` and
    comparison operators in a JSONata state.

    ## Why is this bad?
    AWS rejects it: `The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for
    the 'JSONata' QueryLanguage`. Usually the state (or the machine) forgot its `QueryLanguage`.

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": {"x": 1}, "End": true}}}
    ```

    ## Use instead
    ```json
    {"QueryLanguage": "JSONata", "StartAt": "A",
     "States": {"A": {"Type": "Pass", "Output": {"x": 1}, "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL018", "wrong-query-language-field", ERROR, SCHEMA


@register
class QueryLanguageDowngrade(Rule):
    """## What it does
    Reports a state declaring `"QueryLanguage": "JSONPath"` in a machine whose top-level
    `QueryLanguage` is `JSONata`, and a `QueryLanguage` field on an `ItemProcessor`/`Iterator`.

    ## Why is this bad?
    AWS rejects both: `'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state
    machine`; an item processor takes its language from the machine, never from a field of its own.

    ## Example
    ```json
    {"QueryLanguage": "JSONata", "StartAt": "A",
     "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}}}
    ```

    ## Use instead
    Keep the machine JSONPath and opt single states into JSONata:
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONata", "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL019", "query-language-downgrade", ERROR, SCHEMA


@register
class InvalidTimestamp(Rule):
    """## What it does
    Reports a literal timestamp (a Wait's `Timestamp`, a Choice rule's `TimestampEquals`...) that is not
    an RFC 3339 date-time: uppercase `T`, seconds, and a zone (`Z` or `+hh:mm`) are all required.

    ## Why is this bad?
    AWS rejects the definition: `String does not match RFC3339 timestamp`. `"$.when"` in `Timestamp` is
    a common slip for `TimestampPath`.

    ## Example
    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2025-01-01 10:00:00", "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2025-01-01T10:00:00Z", "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL020", "invalid-timestamp", ERROR, SCHEMA


@register
class HeartbeatNotBelowTimeout(Rule):
    """## What it does
    Reports a Task whose literal `HeartbeatSeconds` is not smaller than its literal `TimeoutSeconds`.

    ## Why is this bad?
    A heartbeat interval at least as long as the whole timeout can never fire; AWS rejects the
    definition.

    ## Example
    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:a",
      "TimeoutSeconds": 60, "HeartbeatSeconds": 60, "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:a",
      "TimeoutSeconds": 60, "HeartbeatSeconds": 20, "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL021", "heartbeat-not-below-timeout", ERROR, SCHEMA


@register
class InvalidStateName(Rule):
    """## What it does
    Reports a state name longer than 80 characters, or one containing control characters.

    ## Why is this bad?
    AWS limits state names to 80 Unicode characters and rejects control characters
    (`INVALID_STATE_NAME`).

    ## Example
    A state named `"Fetch\\u0007"` or a 100-character sentence.

    ## Use instead
    A short, printable name: `"FetchOrder"`.
    """

    code, name, severity, aws_code = "ASL022", "invalid-state-name", ERROR, "INVALID_STATE_NAME"


@register
class InvalidLabel(Rule):
    """## What it does
    Reports a Map `Label` longer than 40 characters or containing whitespace, control characters, a
    backquote or any of `< > { } [ ] ? * " # % \\ ^ | ~ $ & , ; : /`.

    ## Why is this bad?
    The label becomes part of Map Run and child-execution ARNs; AWS rejects it
    (`INVALID_LABEL_NAME`).

    ## Example
    ```json
    {"Label": "my label/with spaces"}
    ```

    ## Use instead
    ```json
    {"Label": "ProcessOrders"}
    ```
    """

    code, name, severity, aws_code = "ASL023", "invalid-label", ERROR, "INVALID_LABEL_NAME"


@register
class InvalidChoiceRule(Rule):
    """## What it does
    Reports a malformed Choice rule: a data-test rule without `Variable`, with no comparison operator
    or with more than one; a rule mixing `And`/`Or`/`Not` with a data test; a nested rule (inside
    `And`/`Or`/`Not`) carrying `Next` or `Assign`; a JSONata rule without `Condition`.

    ## Why is this bad?
    AWS rejects the definition; a rule with two operators would otherwise be ambiguous.

    ## Example
    ```json
    {"Variable": "$.n", "NumericEquals": 1, "NumericGreaterThan": 0, "Next": "Done"}
    ```

    ## Use instead
    ```json
    {"And": [{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.n", "NumericGreaterThan": 0}],
     "Next": "Done"}
    ```
    """

    code, name, severity, aws_code = "ASL024", "invalid-choice-rule", ERROR, SCHEMA


@register
class DistributedOnlyField(Rule):
    """## What it does
    Reports `ItemReader`, `ItemBatcher`, `ResultWriter`, `Label` or a `ToleratedFailure...` field on a
    Map that is not in `DISTRIBUTED` mode.

    ## Why is this bad?
    These fields only exist for Distributed Maps; on an inline Map they are ignored at best. Set
    `ItemProcessor.ProcessorConfig.Mode` to `DISTRIBUTED`.

    ## Example
    ```json
    {"Type": "Map", "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
     "ToleratedFailureCount": 1, "End": true}
    ```

    ## Use instead
    ```json
    {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
     "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "ToleratedFailureCount": 1, "End": true}
    ```

    ## Policy
    A warning, not an error: AWS runs inline Maps that carry `ToleratedFailure...` (the recorded
    corpus has such executions), so the field is not rejected, only pointless.
    """

    code, name, severity, aws_code = "ASL025", "distributed-only-field", WARNING, None


@register
class DeepStateNesting(Rule):
    """## What it does
    Reports Parallel/Map states nested more than 10 levels deep.

    ## Why is this bad?
    AWS has an undocumented nesting limit (`TOO_DEEPLY_NESTED`); such machines are also very hard to
    read and to debug.

    ## Example
    A Parallel in a Map in a Parallel ... twelve levels down.

    ## Use instead
    Move inner levels into separate state machines started with `states:startExecution`.

    ## Policy
    Contested (the limit is undocumented): reported as a warning, not an error, so valid machines are
    never refused.
    """

    code, name, severity, aws_code = "ASL026", "deep-state-nesting", WARNING, "TOO_DEEPLY_NESTED"


@register
class DeprecatedIterator(Rule):
    """## What it does
    Warns about a Map state written with the legacy `Iterator` field.

    ## Why is this bad?
    `Iterator` is deprecated in favour of `ItemProcessor`, which also carries the `ProcessorConfig`
    (Distributed mode). New features are documented for `ItemProcessor` only.

    ## Example
    ```json
    {"Type": "Map", "Iterator": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}
    ```

    ## Use instead
    ```json
    {"Type": "Map", "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}
    ```
    """

    code, name, severity, aws_code = "ASL027", "deprecated-iterator", WARNING, None


@register
class DeprecatedMapParameters(Rule):
    """## What it does
    Warns about a Map state that builds each item's input with the legacy `Parameters` field.

    ## Why is this bad?
    On a Map, `Parameters` is the deprecated name of `ItemSelector`; the new name says what it does
    (select each item's input) and is the one documented.

    ## Example
    ```json
    {"Type": "Map", "Parameters": {"item.$": "$$.Map.Item.Value"}, "ItemProcessor": {...}, "End": true}
    ```

    ## Use instead
    ```json
    {"Type": "Map", "ItemSelector": {"item.$": "$$.Map.Item.Value"}, "ItemProcessor": {...}, "End": true}
    ```
    """

    code, name, severity, aws_code = "ASL028", "deprecated-map-parameters", WARNING, None


@register
class DuplicateLabel(Rule):
    """## What it does
    Reports two Map states of one machine with the same `Label`.

    ## Why is this bad?
    The label names the Map Run and its child executions; AWS requires labels to be unique in a
    state machine (`DUPLICATE_LABEL_NAME`).

    ## Example
    Two Distributed Maps, `ByRegion` and `ByCountry`, both labelled `"Orders"`.

    ## Use instead
    `"Label": "OrdersByRegion"` and `"Label": "OrdersByCountry"`.
    """

    code, name, severity, aws_code = "ASL029", "duplicate-label", ERROR, "DUPLICATE_LABEL_NAME"
