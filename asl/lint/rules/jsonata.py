"""ASL5xx — JSONata expressions and workflow variables.

JSONata strings (``"{% … %}"``) are checked with the JSONATA engineer's analysis helper
(:func:`asl.jsonata_expr.analyze`, built on jsonata-python's parser) through :mod:`asl.lint._expr`.
Variables are collected during the schema walk (``Assign`` keys, ``$x`` read in JSONata and in
JSONPath paths) and checked once at the end, scope by scope.
"""
from __future__ import annotations

from ..registry import ERROR, WARNING, Rule, register

SCHEMA = "SCHEMA_VALIDATION_FAILED"


@register
class JsonataSyntaxError(Rule):
    """## What it does
    Reports a `{% … %}` expression that JSONata cannot parse.

    ## Why is this bad?
    AWS rejects the definition (`INVALID_JSONATA_EXPRESSION`).

    ## Example
    ```json
    {"Output": "{% $states.input. %}"}
    ```

    ## Use instead
    ```json
    {"Output": "{% $states.input %}"}
    ```
    """

    code, name, severity, aws_code = "ASL501", "jsonata-syntax-error", ERROR, "INVALID_JSONATA_EXPRESSION"


@register
class MalformedJsonataDelimiters(Rule):
    """## What it does
    Reports, in a JSONata state, a string that opens a `{%` expression without closing it with `%}`
    (or closes one it never opened).

    ## Why is this bad?
    The string is not an expression at all: it would be used as literal text. It is almost certainly
    a typo; peers and AWS's tooling reject it.

    ## Example
    ```json
    {"Output": "{% $states.input.total"}
    ```

    ## Use instead
    ```json
    {"Output": "{% $states.input.total %}"}
    ```
    """

    code, name, severity, aws_code = "ASL502", "malformed-jsonata", ERROR, SCHEMA


@register
class UnknownJsonataFunction(Rule):
    """## What it does
    Reports a call of a `$function` that is neither a JSONata built-in, one of the functions AWS adds
    (`$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse`), nor defined in the expression.

    ## Why is this bad?
    The expression fails at run time (`States.QueryEvaluationError`, "T1006: Attempted to invoke a
    non-function"); `$eval` in particular is not available on AWS.

    ## Example
    ```json
    {"Output": "{% $eval('1+1') %}"}
    ```

    ## Use instead
    ```json
    {"Output": "{% $parse('2') %}"}
    ```

    ## Policy
    A warning, not an error: AWS creates such machines (the recorded corpus has one calling
    `$randomSeeded`) and only the execution fails, so `asl.load` must accept them too.
    """

    code, name, severity, aws_code = "ASL503", "unknown-jsonata-function", WARNING, None


@register
class UndefinedVariable(Rule):
    """## What it does
    Warns about a workflow variable (`$name` in JSONata, `$name…` in a JSONPath path) that no `Assign`
    in the machine (or an enclosing scope) ever sets — including an outer variable read inside a
    Distributed Map, whose iterations cannot see outer scopes.

    ## Why is this bad?
    Reading an unassigned variable fails the execution (`States.QueryEvaluationError` /
    `States.Runtime`); it is usually a typo.

    ## Example
    ```json
    {"Output": "{% $totl %}"}
    ```

    ## Use instead
    ```json
    {"Output": "{% $total %}"}
    ```
    """

    code, name, severity, aws_code = "ASL504", "undefined-variable", WARNING, None


@register
class StatesFieldNotAvailable(Rule):
    """## What it does
    Reports `$states.result` outside a Task/Parallel/Map state's `Output`/`Assign`, and
    `$states.errorOutput` outside a Catcher's `Output`/`Assign`.

    ## Why is this bad?
    Those values do not exist there; AWS rejects the definition.

    ## Example
    ```json
    {"Type": "Task", "Arguments": {"x": "{% $states.result %}"}}
    ```

    ## Use instead
    ```json
    {"Type": "Task", "Arguments": {"x": "{% $states.input %}"}, "Output": "{% $states.result %}"}
    ```
    """

    code, name, severity, aws_code = "ASL505", "states-field-not-available", ERROR, SCHEMA


@register
class JsonataTopLevelInput(Rule):
    """## What it does
    Reports a JSONata expression that refers to its input document at the top level (`$`, `$$`, or a
    bare field name like `order.total`).

    ## Why is this bad?
    Step Functions gives expressions no implicit input; AWS rejects the definition
    (`UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'order' at the top level is not supported`).

    ## Example
    ```json
    {"Output": "{% order.total %}"}
    ```

    ## Use instead
    ```json
    {"Output": "{% $states.input.order.total %}"}
    ```
    """

    code, name, severity, aws_code = "ASL506", "jsonata-top-level-input", ERROR, "UNSUPPORTED_JSONATA_EXPRESSION"


@register
class InvalidVariableName(Rule):
    """## What it does
    Reports an `Assign` key that is not a valid variable name: a Unicode identifier (letter or `_`
    first), at most 80 characters, not the reserved `states`.

    ## Why is this bad?
    AWS rejects the definition; names like `my-var` or `x.y` cannot be referenced as `$name`.

    ## Example
    ```json
    {"Assign": {"order-total": "{% $states.input.total %}"}}
    ```

    ## Use instead
    ```json
    {"Assign": {"orderTotal": "{% $states.input.total %}"}}
    ```
    """

    code, name, severity, aws_code = "ASL507", "invalid-variable-name", ERROR, SCHEMA


@register
class AssignReadsOwnBlock(Rule):
    """## What it does
    Reports an `Assign` block reading a variable that is assigned only in that same block.

    ## Why is this bad?
    All expressions of an `Assign` see the variables as they were when the state was entered; a
    value set in the same block is not visible yet, and since nothing assigns it earlier the read
    can only fail.

    ## Example
    ```json
    {"Assign": {"total": 10, "withTax": "{% $total * 1.2 %}"}}
    ```

    ## Use instead
    ```json
    {"Assign": {"total": 10, "withTax": "{% 10 * 1.2 %}"}}
    ```

    ## Policy
    Reading a variable that *is* also assigned elsewhere is fine (`{"x": "{% $y %}", "y": "{% $x %}"}`
    swaps two variables, as AWS documents), so only variables with no other assignment are reported.
    """

    code, name, severity, aws_code = "ASL508", "assign-reads-own-block", ERROR, SCHEMA


@register
class OuterVariableReassigned(Rule):
    """## What it does
    Warns when a state inside a Parallel branch or a Map assigns a variable that an enclosing scope
    also assigns.

    ## Why is this bad?
    Inner scopes can read outer variables but not change them: the inner assignment creates a separate
    value that vanishes when the branch or iteration ends, so the outer variable keeps its old value.

    ## Example
    A top-level `Assign: {"count": 0}` and, inside a Map's item processor, `Assign: {"count": 1}`.

    ## Use instead
    Return the value through the branch output and assign it after the Parallel/Map (or in its
    `Assign`, which writes the outer scope).
    """

    code, name, severity, aws_code = "ASL509", "outer-variable-reassigned", WARNING, None


@register
class JsonataDelimiterSpacing(Rule):
    """## What it does
    Warns about a JSONata expression without a space after `{%` or before `%}` (`"{%1%}"`).

    ## Why is this bad?
    asl-validator and statelint reject it, and every AWS example spaces its delimiters.

    ## Example
    ```json
    {"Output": "{%$states.input%}"}
    ```

    ## Use instead
    ```json
    {"Output": "{% $states.input %}"}
    ```

    ## Policy
    Contested: the States Language only requires the string to start with `{%` and end with `%}`, so
    this is a warning, not an error.
    """

    code, name, severity, aws_code = "ASL510", "jsonata-delimiter-spacing", WARNING, None
