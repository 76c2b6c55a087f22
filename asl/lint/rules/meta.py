"""ASL9xx — about the lint run itself."""
from __future__ import annotations

from ..registry import WARNING, Rule, register


@register
class UnusedNoqa(Rule):
    """## What it does
    Warns about an `asl: noqa` marker (in a state's or the machine's `Comment`) that silences nothing,
    or lists a code that does not fire there, or names no rule at all.

    ## Why is this bad?
    Stale suppressions hide the next real problem of that kind and mislead readers about what the
    state does.

    ## Example
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Comment": "asl: noqa ASL101", "End": true}}}
    ```

    ## Use instead
    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
    ```
    """

    code, name, severity, aws_code = "ASL900", "unused-noqa", WARNING, None
