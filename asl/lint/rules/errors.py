"""ASL3xx — error handling: Retry and Catch.

The field shapes of retriers and catchers are schema rules (ASL0xx); these rules look at what the
lists *mean*: the order of matchers, wildcards, names that never match.
"""
from __future__ import annotations

from typing import Any

from ..registry import ERROR, WARNING, Rule, register

SCHEMA = "SCHEMA_VALIDATION_FAILED"
ALL = "States.ALL"

#: every predefined error name (ASL_DIGEST.md §8.2); a ``States.`` name not listed is a typo
PREDEFINED_ERRORS = frozenset({
    "States.ALL", "States.HeartbeatTimeout", "States.Timeout", "States.TaskFailed", "States.Permissions",
    "States.ResultPathMatchFailure", "States.ParameterPathFailure", "States.BranchFailed",
    "States.NoChoiceMatched", "States.IntrinsicFailure", "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed", "States.ResultWriterFailed", "States.Runtime", "States.DataLimitExceeded",
    "States.QueryEvaluationError", "States.Http.Socket",
})


@register
class StatesAllNotAlone(Rule):
    """## What it does
    Reports `States.ALL` listed together with other error names in one `ErrorEquals`.

    ## Why is this bad?
    `States.ALL` already matches them; the States Language requires it to appear alone and AWS
    rejects the definition.

    ## Example
    ```json
    {"Retry": [{"ErrorEquals": ["States.Timeout", "States.ALL"]}]}
    ```

    ## Use instead
    ```json
    {"Retry": [{"ErrorEquals": ["States.ALL"]}]}
    ```
    """

    code, name, severity, aws_code = "ASL301", "states-all-not-alone", ERROR, SCHEMA


@register
class StatesAllNotLast(Rule):
    """## What it does
    Reports a retrier or catcher matching `States.ALL` that is followed by another one.

    ## Why is this bad?
    Matchers are tried in order and `States.ALL` matches (almost) everything, so the ones after it
    could never be used; AWS rejects the definition.

    ## Example
    ```json
    {"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Fallback"},
               {"ErrorEquals": ["States.Timeout"], "Next": "Slow"}]}
    ```

    ## Use instead
    ```json
    {"Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Slow"},
               {"ErrorEquals": ["States.ALL"], "Next": "Fallback"}]}
    ```
    """

    code, name, severity, aws_code = "ASL302", "states-all-not-last", ERROR, SCHEMA


@register
class ShadowedMatcher(Rule):
    """## What it does
    Warns about a retrier or catcher that can never be chosen because every error name it lists is
    already matched by an earlier one (`States.TaskFailed` also covers every error but
    `States.Timeout` and the terminal `States.Runtime`/`States.DataLimitExceeded`).

    ## Why is this bad?
    The first matching retrier/catcher wins; the later one is dead configuration and usually a sign
    the order is wrong.

    ## Example
    ```json
    {"Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 2},
               {"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 6}]}
    ```

    ## Use instead
    ```json
    {"Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 6}]}
    ```
    """

    code, name, severity, aws_code = "ASL303", "shadowed-matcher", WARNING, None


@register
class UncatchableError(Rule):
    """## What it does
    Warns about `States.Runtime` in a retrier's or catcher's `ErrorEquals`.

    ## Why is this bad?
    AWS never retries or catches `States.Runtime` (bad paths, failed intrinsics, no Choice match), even
    when it is named explicitly; the matcher gives a false sense of safety.

    ## Example
    ```json
    {"Catch": [{"ErrorEquals": ["States.Runtime"], "Next": "Recover"}]}
    ```

    ## Use instead
    Fix the path or guard it (a Choice with `IsPresent`) before the state that would fail.
    """

    code, name, severity, aws_code = "ASL304", "uncatchable-error", WARNING, None


@register
class UnknownStatesError(Rule):
    """## What it does
    Warns about an error name starting with `States.` that is not one of the predefined names
    (`States.Timout`, `States.Taskfailed`...).

    ## Why is this bad?
    The `States.` prefix is reserved; a misspelt predefined name matches nothing, so the retry or
    catch silently never happens.

    ## Example
    ```json
    {"Retry": [{"ErrorEquals": ["States.Timout"]}]}
    ```

    ## Use instead
    ```json
    {"Retry": [{"ErrorEquals": ["States.Timeout"]}]}
    ```
    """

    code, name, severity, aws_code = "ASL305", "unknown-states-error", WARNING, None


def matcher_covers(earlier: frozenset[str], name: str) -> bool:
    """Does a matcher listing ``earlier`` catch every error that ``name`` would?"""
    if name in earlier:
        return True
    if ALL in earlier:
        return name not in ("States.Runtime", "States.DataLimitExceeded")
    if "States.TaskFailed" in earlier:
        return not name.startswith("States.") and name != ALL
    return False


def check_matchers(ctx: Any, items: list[tuple[str, list[str]]], kind: str) -> None:
    """The ASL3xx checks for one Retry or Catch list: ``items`` is ``[(pointer, error_names)]``."""
    report = ctx.report
    seen: frozenset[str] = frozenset()
    last = len(items) - 1
    for index, (pointer, names) in enumerate(items):
        if ALL in names:
            if len(names) > 1:
                report(StatesAllNotAlone, f"{kind}: States.ALL must appear alone in ErrorEquals",
                       pointer + "/ErrorEquals")
            if index != last:
                report(StatesAllNotLast, f"{kind}: States.ALL can only appear in the last element",
                       pointer + "/ErrorEquals")
        for i, name in enumerate(names):
            if name.startswith("States.") and name not in PREDEFINED_ERRORS and not name.startswith(
                    "States.Http.StatusCode."):
                report(UnknownStatesError, f"Unknown predefined error name {name!r}",
                       f"{pointer}/ErrorEquals/{i}")
            elif name == "States.Runtime":
                report(UncatchableError, f"{kind}: States.Runtime is never retried or caught",
                       f"{pointer}/ErrorEquals/{i}")
        if names and index and all(matcher_covers(seen, n) for n in names):
            report(ShadowedMatcher, f"{kind} can never match: earlier entries already match "
                   f"{', '.join(names)}", pointer)
        seen = seen | frozenset(names)
