"""ASL4xx — Task resources: the URI forms AWS accepts and what each integration needs."""
from __future__ import annotations

import re
from typing import Any

from ..registry import ERROR, WARNING, Rule, register

SCHEMA = "SCHEMA_VALIDATION_FAILED"


@register
class InvalidResource(Rule):
    """## What it does
    Reports a Task `Resource` that is not a URI (`"lambda-fn"`, `""`), and a Lambda function ARN whose
    name or qualifier is malformed (`function:NAME:` with an empty alias, characters Lambda forbids).

    ## Why is this bad?
    AWS rejects the definition (`INVALID_RESOURCE`).

    ## Example
    ```json
    {"Type": "Task", "Resource": "my-function", "End": true}
    ```

    ## Use instead
    ```json
    {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:my-function", "End": true}
    ```

    ## Policy
    Any URI is accepted (`foo:bar`, as the States Language allows), every partition (`aws-cn`,
    `aws-us-gov`), and resources holding placeholders — CloudFormation's `${LambdaArn}` (valid after
    `DefinitionSubstitutions`) or `<function-name>` — are not checked further. ARN-strict linters
    reject these.
    """

    code, name, severity, aws_code = "ASL401", "invalid-resource", ERROR, "INVALID_RESOURCE"


@register
class UnknownIntegration(Rule):
    """## What it does
    Reports an optimized integration (`arn:aws:states:::<service>:<api>`) whose API AWS does not offer
    for that service (`dynamodb:query`, `lambda:invoke.sync`), or an integration pattern the service
    does not support.

    ## Why is this bad?
    AWS rejects it: `The resource provided ... is not recognized`. Use the AWS SDK integration
    (`arn:aws:states:::aws-sdk:dynamodb:query`) for APIs without an optimized integration.

    ## Example
    ```json
    {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:query", "End": true}
    ```

    ## Use instead
    ```json
    {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:query", "End": true}
    ```

    ## Policy
    Only services whose optimized APIs are listed in the AWS documentation are checked; unknown
    services are accepted.
    """

    code, name, severity, aws_code = "ASL402", "unknown-integration", ERROR, SCHEMA


@register
class ExpressUnsupportedIntegration(Rule):
    """## What it does
    Reports `.sync`, `.sync:2` and `.waitForTaskToken` integrations and Activities in a machine linted
    as an EXPRESS workflow (`asl lint --workflow-type EXPRESS`, or `asl.load(..., workflow_type="EXPRESS")`).

    ## Why is this bad?
    Express workflows cannot wait for jobs or callbacks; AWS rejects the definition: `Express state
    machine does not support '.sync' service integration`.

    ## Example
    ```json
    {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync", "End": true}
    ```

    ## Use instead
    Use a STANDARD workflow, or the request-response form `arn:aws:states:::states:startExecution`.
    """

    code, name, severity, aws_code = "ASL403", "express-unsupported-integration", ERROR, SCHEMA


@register
class TaskTokenNotPassed(Rule):
    """## What it does
    Warns about a `.waitForTaskToken` Task whose `Parameters`/`Arguments` never pass the task token
    (`$$.Task.Token` / `$states.context.Task.Token`).

    ## Why is this bad?
    Nobody can call SendTaskSuccess without the token: the execution waits until the task times out
    (a year, by default).

    ## Example
    ```json
    {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
     "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q", "MessageBody": {"x": 1}},
     "End": true}
    ```

    ## Use instead
    ```json
    {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
     "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                    "MessageBody": {"x": 1, "TaskToken.$": "$$.Task.Token"}}, "End": true}
    ```
    """

    code, name, severity, aws_code = "ASL404", "task-token-not-passed", WARNING, None


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S")
#: ``${Name}`` (CloudFormation DefinitionSubstitutions) and ``<name>`` (documentation / snapshot placeholders)
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|<[^<>\s]+>")
_ARN = re.compile(r"^arn:(?P<partition>[^:]*):(?P<service>[^:]*):(?P<region>[^:]*):(?P<account>[^:]*):(?P<rest>.*)$", re.S)
_LAMBDA_FUNCTION = re.compile(r"function:[A-Za-z0-9_-]{1,140}(?::(?:\$LATEST|[A-Za-z0-9_-]{1,128}))?\Z")
_STATES_INTEGRATION = re.compile(
    r"^arn:[^:]*:states:::(?P<service>[A-Za-z0-9-]+):(?P<api>[A-Za-z0-9:-]+?)(?P<pattern>\.sync(?::2)?|\.waitForTaskToken)?$")

#: optimized integrations whose API list is closed and documented (AWS developer guide,
#: "Integrating services"); other services are not checked (no false errors).
KNOWN_APIS: dict[str, frozenset[str]] = {
    "lambda": frozenset({"invoke"}),
    "dynamodb": frozenset({"getItem", "putItem", "updateItem", "deleteItem"}),
    "sqs": frozenset({"sendMessage"}),
    "sns": frozenset({"publish"}),
    "events": frozenset({"putEvents"}),
    "states": frozenset({"startExecution"}),
    "http": frozenset({"invoke"}),
}
#: patterns each of those services supports ("" = request-response)
KNOWN_PATTERNS: dict[str, frozenset[str]] = {
    "lambda": frozenset({"", ".waitForTaskToken"}),
    "dynamodb": frozenset({""}),
    "sqs": frozenset({"", ".waitForTaskToken"}),
    "sns": frozenset({"", ".waitForTaskToken"}),
    "events": frozenset({"", ".waitForTaskToken"}),
    "states": frozenset({"", ".sync", ".sync:2", ".waitForTaskToken"}),
    "http": frozenset({""}),
}


def check_resource(ctx: Any, value: str, pointer: str, workflow_type: str | None) -> str | None:
    """Check a Task ``Resource`` string; returns the integration pattern (``.sync`` ...) or None."""
    if not value.strip():
        ctx.report(InvalidResource, "Resource must not be empty", pointer)
        return None
    if _PLACEHOLDER.search(value):
        return None                      # a placeholder, filled in before deployment
    if not _URI.match(value):
        ctx.report(InvalidResource, f"Resource {value!r} is not a valid URI", pointer)
        return None
    if not value.startswith("arn:"):
        return None
    arn = _ARN.match(value)
    if arn is None:
        return None                      # "arn:x": a URI; only the ARN forms below are checked further
    pattern = None
    if arn["service"] == "lambda" and arn["rest"].startswith("function:") and not _LAMBDA_FUNCTION.match(arn["rest"]):
        ctx.report(InvalidResource, f"Resource {value!r} is not a valid Lambda function ARN "
                   "(function:NAME or function:NAME:VERSION-OR-ALIAS)", pointer)
        return None
    if arn["service"] == "states" and not arn["region"] and not arn["account"]:
        m = _STATES_INTEGRATION.match(value)
        if m is None:
            ctx.report(UnknownIntegration, f"The resource provided {value} is not recognized", pointer)
            return None
        service, api, pattern = m["service"], m["api"], m["pattern"] or ""
        if service == "aws-sdk":
            if pattern.startswith(".sync"):
                ctx.report(UnknownIntegration, f"The resource provided {value} is not recognized: "
                           "AWS SDK integrations do not support '.sync'", pointer)
        elif service in KNOWN_APIS:
            if api not in KNOWN_APIS[service]:
                ctx.report(UnknownIntegration, f"The resource provided {value} is not recognized "
                           f"({service} has no optimized '{api}' API; try aws-sdk:{service}:{api})", pointer)
            elif pattern not in KNOWN_PATTERNS[service]:
                ctx.report(UnknownIntegration, f"The resource provided {value} is not recognized "
                           f"({service}:{api} does not support '{pattern}')", pointer)
    elif arn["service"] == "states" and arn["rest"].startswith("activity:"):
        pattern = "activity"
    if workflow_type == "EXPRESS" and pattern and pattern != "":
        what = "Activities" if pattern == "activity" else f"'{pattern.split(':')[0]}' service integration"
        ctx.report(ExpressUnsupportedIntegration, f"Express state machine does not support {what}", pointer)
    return pattern
