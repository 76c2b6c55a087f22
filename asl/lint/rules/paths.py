"""ASL2xx — paths, payload templates and intrinsic functions (JSONPath query language).

Checked during the schema walk (:mod:`asl.lint.rules.walk`) through :mod:`asl.lint._expr`, which
asks EXPRESSIONS' real parsers (:func:`asl.paths.check_path`, :func:`asl.intrinsics.check_intrinsic`)
about anything beyond the plainest paths.
"""
from __future__ import annotations

from ..registry import ERROR, WARNING, Rule, register

SCHEMA = "SCHEMA_VALIDATION_FAILED"


@register
class InvalidPath(Rule):
    """## What it does
    Reports a value that must be a JSONPath but is not one: `InputPath: "foo"`, `OutputPath: "$.a["`,
    a Choice `Variable` without `$`, `SecondsPath: "s"`, `ItemsPath: null`, an intrinsic function in
    `InputPath`.

    ## Why is this bad?
    AWS rejects the definition (`Value is not a valid JSONPath`).

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "payload", "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.payload", "End": true}}}
    ```

    ## Policy
    Paths follow Jayway JSONPath as AWS does: `$.input-foo`, `$['a-b']`, `$.books[-2]` and filters in
    `InputPath` are valid (statelint rejects them). An intrinsic function in `InputPath` is an error
    (awslabs statelint agrees; its Python port accepts it): AWS documents intrinsics only in payload
    templates, behind a `.$` key.
    """

    code, name, severity, aws_code = "ASL201", "invalid-path", ERROR, SCHEMA


@register
class NotReferencePath(Rule):
    """## What it does
    Reports a path that must be a *reference path* (one node; only `.name`, `['name']` and `[n]` steps) but
    uses `*`, `..`, slices, unions or filters: `ResultPath`, `ItemsPath`, every `...Path` field
    (`TimeoutSecondsPath`, `SecondsPath`, `MaxItemsPath`, ...), Choice `Variable`, `ErrorPath`.

    ## Why is this bad?
    A reference path names the single place a value is read from or written to; AWS rejects others
    (`Value is not a Reference Path`).

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$.items[*]", "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$.items", "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL202", "not-reference-path", ERROR, SCHEMA


@register
class InvalidResultPathTarget(Rule):
    """## What it does
    Reports a `ResultPath` that writes into the context object (`$$.…`) or into a variable (`$var`),
    and `$$.` context paths in a Map's numeric `...Path` fields.

    ## Why is this bad?
    The context object is read-only and variables are set with `Assign`; AWS rejects both.

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$$.Execution.Input", "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$.result", "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL203", "invalid-result-path-target", ERROR, SCHEMA


@register
class InvalidTemplateValue(Rule):
    """## What it does
    Reports a payload-template key ending in `.$` (in `Parameters`, `ResultSelector`, `ItemSelector`,
    `Credentials`, JSONPath `Assign`, `ItemReader`/`ResultWriter` `Parameters`, `BatchInput`) whose
    value is not a string holding a JSONPath, a `$$` context path, a `$variable` or an intrinsic call.

    ## Why is this bad?
    AWS rejects the definition: `The value for the field 'x.$' must be a valid JSONPath or a valid
    intrinsic function call`.

    ## Example
    ```json
    {"Parameters": {"id.$": "id"}}
    ```

    ## Use instead
    ```json
    {"Parameters": {"id.$": "$.id"}}
    ```
    """

    code, name, severity, aws_code = "ASL204", "invalid-template-value", ERROR, SCHEMA


@register
class DuplicateTemplateKey(Rule):
    """## What it does
    Reports two keys of one template object that become the same once `.$` is stripped
    (`"a"` and `"a.$"`).

    ## Why is this bad?
    The output could hold only one of them; AWS rejects the definition.

    ## Example
    ```json
    {"Parameters": {"id": "fixed", "id.$": "$.id"}}
    ```

    ## Use instead
    ```json
    {"Parameters": {"id.$": "$.id"}}
    ```
    """

    code, name, severity, aws_code = "ASL205", "duplicate-template-key", ERROR, SCHEMA


@register
class NoDollar(Rule):
    """## What it does
    Warns about a payload-template value that looks like a path or an intrinsic call (`"$.id"`,
    `"States.Format(...)"`) under a key that does not end in `.$`.

    ## Why is this bad?
    Without `.$` the value is a literal string: the state sends the text `"$.id"`, not the id. AWS
    warns too (`NO_DOLLAR`).

    ## Example
    ```json
    {"Parameters": {"id": "$.id"}}
    ```

    ## Use instead
    ```json
    {"Parameters": {"id.$": "$.id"}}
    ```
    """

    code, name, severity, aws_code = "ASL206", "no-dollar", WARNING, "NO_DOLLAR"


@register
class NoPath(Rule):
    """## What it does
    Warns about a plain field whose string value looks like a path, where a `...Path` twin exists:
    `Cause: "$.error"` (meant `CausePath`), `Error: "$.code"`, `Timestamp: "$.when"`.

    ## Why is this bad?
    The value is used literally: the execution fails with the cause text `$.error`. AWS warns too
    (`NO_PATH`).

    ## Example
    ```json
    {"Type": "Fail", "Cause": "$.errorInfo"}
    ```

    ## Use instead
    ```json
    {"Type": "Fail", "CausePath": "$.errorInfo"}
    ```
    """

    code, name, severity, aws_code = "ASL207", "no-path", WARNING, "NO_PATH"


@register
class PassResultIsStatic(Rule):
    """## What it does
    Warns about a Pass state's `Result` that contains `.$` keys or path-looking values.

    ## Why is this bad?
    `Result` is never evaluated: `{"x.$": "$.a"}` is output as written. Use `Parameters` to build
    output from the input. AWS warns too (`PASS_RESULT_IS_STATIC`).

    ## Example
    ```json
    {"Type": "Pass", "Result": {"x.$": "$.a"}, "End": true}
    ```

    ## Use instead
    ```json
    {"Type": "Pass", "Parameters": {"x.$": "$.a"}, "End": true}
    ```
    """

    code, name, severity, aws_code = "ASL208", "pass-result-is-static", WARNING, "PASS_RESULT_IS_STATIC"


@register
class TemplateNotObject(Rule):
    """## What it does
    Reports a payload template (`ResultSelector`, `ItemSelector`, `BatchInput`, an `ItemReader`'s or
    `ResultWriter`'s `Parameters`) that is not a JSON object.

    ## Why is this bad?
    The States Language defines payload templates as objects: only an object can hold `.$` keys.

    ## Example
    ```json
    {"Type": "Map", "ItemSelector": "$.item", "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}
    ```

    ## Use instead
    ```json
    {"Type": "Map", "ItemSelector": {"item.$": "$$.Map.Item.Value"}, "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}
    ```

    ## Policy
    A state's own `Parameters` (Pass, Task, Parallel, Map) may be any JSON value: contested (only
    cfn-lint rejects an array or a string there), AWS's behaviour is not recorded, and AWS's own
    statelint accepts it — so it is not reported. `ItemSelector`, `ResultSelector` and the other
    templates must be objects.
    """

    code, name, severity, aws_code = "ASL209", "template-not-object", ERROR, SCHEMA


@register
class InvalidIntrinsic(Rule):
    """## What it does
    Reports an intrinsic function call that does not parse or names no intrinsic: unknown function
    (`States.Foo`), wrong number of arguments (`States.UUID(1)`, `States.MathAdd($.a)`), unbalanced
    parentheses, double-quoted string literals, an argument that is not a valid path, literal or call.

    ## Why is this bad?
    AWS rejects the definition (`must be a valid JSONPath or a valid intrinsic function call`).

    ## Example
    ```json
    {"Parameters": {"msg.$": "States.Format(\\"Hello {}\\", $.name)"}}
    ```

    ## Use instead
    ```json
    {"Parameters": {"msg.$": "States.Format('Hello {}', $.name)"}}
    ```
    """

    code, name, severity, aws_code = "ASL210", "invalid-intrinsic", ERROR, SCHEMA


@register
class IntrinsicTooDeep(Rule):
    """## What it does
    Reports intrinsic function calls nested more than 10 deep.

    ## Why is this bad?
    AWS allows at most 10 nested intrinsic functions in one field.

    ## Example
    `States.ArrayLength(States.Array(States.Array(... eleven levels ...)))`

    ## Use instead
    Split the computation over two states (or use JSONata).
    """

    code, name, severity, aws_code = "ASL211", "intrinsic-too-deep", ERROR, SCHEMA


@register
class InvalidHashAlgorithm(Rule):
    """## What it does
    Reports `States.Hash` called with a literal algorithm other than `MD5`, `SHA-1`, `SHA-256`,
    `SHA-384` or `SHA-512`.

    ## Why is this bad?
    The call can only fail at run time (`States.Runtime`, which nothing can catch).

    ## Example
    ```json
    {"Parameters": {"h.$": "States.Hash($.data, 'SHA256')"}}
    ```

    ## Use instead
    ```json
    {"Parameters": {"h.$": "States.Hash($.data, 'SHA-256')"}}
    ```
    """

    code, name, severity, aws_code = "ASL212", "invalid-hash-algorithm", ERROR, SCHEMA


@register
class FormatArgumentMismatch(Rule):
    """## What it does
    Reports `States.Format` whose literal template has a different number of `{}` placeholders than
    the arguments that follow it.

    ## Why is this bad?
    The call fails at run time with `States.Runtime`, which no Catch can handle.

    ## Example
    ```json
    {"Parameters": {"msg.$": "States.Format('{} of {}', $.n)"}}
    ```

    ## Use instead
    ```json
    {"Parameters": {"msg.$": "States.Format('{} of {}', $.n, $.total)"}}
    ```
    """

    code, name, severity, aws_code = "ASL213", "format-argument-mismatch", ERROR, SCHEMA


@register
class IntrinsicTrailingWhitespace(Rule):
    """## What it does
    Warns about whitespace before or after an intrinsic function call in a `.$` value.

    ## Why is this bad?
    Most linters (statelint, asl-validator) reject it and it is easy to avoid; whether AWS accepts
    it is not recorded.

    ## Example
    ```json
    {"Parameters": {"s.$": "States.JsonToString($)   "}}
    ```

    ## Use instead
    ```json
    {"Parameters": {"s.$": "States.JsonToString($)"}}
    ```

    ## Policy
    Contested (AWS's language service accepts it, every other peer rejects it): a warning.
    """

    code, name, severity, aws_code = "ASL214", "intrinsic-whitespace", WARNING, None


@register
class IntrinsicNotString(Rule):
    """## What it does
    Reports a Fail state's `ErrorPath`/`CausePath` holding an intrinsic function that does not return
    a string (only `States.Format`, `States.JsonToString`, `States.ArrayGetItem`,
    `States.Base64Encode`, `States.Base64Decode`, `States.Hash` and `States.UUID` are allowed).

    ## Why is this bad?
    The error name and cause must be strings; AWS rejects the definition.

    ## Example
    ```json
    {"Type": "Fail", "CausePath": "States.Array($.a)"}
    ```

    ## Use instead
    ```json
    {"Type": "Fail", "CausePath": "States.JsonToString($.a)"}
    ```
    """

    code, name, severity, aws_code = "ASL215", "intrinsic-not-string", ERROR, SCHEMA
