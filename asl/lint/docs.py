"""Documentation generated from the rule docstrings: ``asl rules``, ``asl rules CODE``, docs/rules.md.

The docstring of each rule class is the single source; ``docs/rules.md`` is ``asl rules --format md``
and a test fails when the committed file differs from what this module renders.
"""
from __future__ import annotations

import inspect
import re

from .registry import RULES, Rule

FAMILIES = (
    ("ASL0", "Structure and schema"),
    ("ASL1", "State graph"),
    ("ASL2", "Paths, payload templates and intrinsic functions"),
    ("ASL3", "Error handling"),
    ("ASL4", "Resources"),
    ("ASL5", "JSONata and variables"),
    ("ASL9", "Meta"),
)
SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")

USAGE = """\
## Using the linter

```
asl lint [PATH ...]            files, directories (recursive: *.asl.json/.yaml/.yml and CloudFormation/SAM
                               templates), - for standard input; several in one process
  --format text|json|sarif|github
  --select RULES / --ignore RULES   codes, names or code prefixes, comma separated (ASL1, no-dollar, ASL101)
  --workflow-type EXPRESS      also check what Express workflows may not use (.sync, callbacks, activities)
  --exit-zero  --no-source  --config PYPROJECT  --isolated  --no-cache
asl rules [CODE|NAME] [--format text|md|json]
```

Exit codes: 0 no findings, 1 findings, 2 usage or internal error. Text output is
`path:line:col: CODE [name] message`, then the source line and a caret.

Settings come from the nearest `pyproject.toml` with a `[tool.asl]` table (searched from the current
directory upwards); `--select` replaces `select`, `--ignore` adds to `ignore`:

```toml
[tool.asl]
ignore = ["choice-without-default"]
workflow-type = "STANDARD"
[tool.asl.per-file-ignores]
"legacy/*.asl.json" = ["ASL2"]
```

Silence findings in one state with `asl: noqa CODE` (codes, names or prefixes; none = all) in the state's
`Comment`; the machine's top-level `Comment` covers the whole file. A marker that silences nothing is
reported as ASL900.

pre-commit (`.pre-commit-config.yaml`):

```yaml
- repo: <this repository>
  rev: <tag>
  hooks:
    - id: asl-lint
```

Results are cached by file content in `~/.cache/aslkit` (`$ASL_CACHE_DIR`, `$XDG_CACHE_HOME`); the cache
is keyed by aslkit's own files too, so it never outlives a change of aslkit. `--no-cache` or
`ASL_NO_CACHE=1` turns it off. (The same directory's `parsers/` keeps the built tables of the intrinsic
function grammar, used with or without the result cache; delete it at will.) From Python: `asl.lint(source, select=None, ignore=None, path=None)`
returns the diagnostics (never raises on bad input); `asl.load` refuses a definition with any error.
"""

POLICY_INTRO = """\
## Policies

aslkit's verdicts follow AWS's recorded behaviour first (shared/conformance/aws-recorded: 1,024
definitions AWS accepted, every one of which must lint without an error, and the definitions it
rejected), then the States Language specification, then other linters. Where they disagree the
decision is deliberate and written down in the rule's **Policy** section; the table lists them all.
Items the survey of linters marked *contested* are marked so.
"""

#: decisions that do not belong to one rule's docstring (a check aslkit deliberately does NOT make)
GENERAL_POLICIES = (
    ("Resource `foo:bar`, `aws-cn`/`aws-us-gov` ARNs, `${Placeholder}` resources", "valid",
     "Any URI is a valid resource (ASL spec); CloudFormation placeholders are valid before substitution. "
     "See ASL401."),
    ("Wait `Seconds: 0`", "valid", "AWS accepts 0..99999999 (statelint rejects 0)."),
    ("`BackoffRate: 2` (an integer)", "valid", "A number ≥ 1.0; statelint-py's Python port wants a float."),
    ("`MaxAttempts` / `TimeoutSeconds` of exactly 99999999", "valid",
     "AWS's maximum is inclusive (`Maximum value is ...`); statelint-py treats it as exclusive."),
    ("Paths `$.input-foo`, `$['a-b']`, `$.a[?(@.b > 1)]` in InputPath, `$.books[-2]`", "valid",
     "AWS reads paths with Jayway JSONPath (contested for negative indexes; accepted, as Jayway does)."),
    ("`Assign` in a JSONPath state, `$var` references in paths", "valid", "Variables exist in both languages."),
    ("Succeed with `InputPath`/`OutputPath`, Parallel with `Parameters`", "valid", "Allowed by the spec."),
    ("Several of `And`/`Or`/`Not` in one Choice rule", "error (ASL024)",
     "The spec requires exactly one; statelint-py accepts it."),
    ("`Parallel` with `Branches: []`", "error (ASL015)", "AWS: `Value cannot be empty`."),
    ("JSONPath `Credentials` without `RoleArn`", "valid",
     "A JSONPath `Credentials` is a payload template (spec); AWS's recorded rejections of a missing `RoleArn` "
     "are JSONata states, where `RoleArn` is required."),
    ("A JSONata state inside a JSONata machine declaring `QueryLanguage: JSONPath`", "error (ASL019)",
     "AWS rejects it (recorded); asl-validator accepts it."),
    ("`{% %}` with newlines or extra blanks inside the delimiters", "valid",
     "Only the first two and last two characters are delimiters; asl-validator rejects newlines."),
    ("Top-level `$` / field names in JSONata (`{% $ %}`, `{% states.input %}`)", "error (ASL506)",
     "AWS: `UNSUPPORTED_JSONATA_EXPRESSION`; linters without a JSONata parser accept them."),
    ("Express-only restrictions (`.sync`, `.waitForTaskToken`, activities)", "error (ASL403) with "
     "`--workflow-type EXPRESS`", "A definition alone does not say its workflow type."),
)


def doc_of(rule: type[Rule]) -> str:
    return inspect.cleandoc(rule.__doc__ or "")


def sections(rule: type[Rule]) -> dict[str, str]:
    """The docstring's ``## Section`` blocks, by title."""
    out: dict[str, str] = {}
    title = None
    for line in doc_of(rule).splitlines():
        m = re.match(r"##\s+(.*)", line)
        if m:
            title = m.group(1).strip()
            out[title] = ""
        elif title is not None:
            out[title] += line + "\n"
    return {k: v.strip() for k, v in out.items()}


def _cell(text: str) -> str:
    """One line of a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _ordered() -> list[type[Rule]]:
    return [RULES[code] for code in sorted(RULES)]


def render_list() -> str:
    width = max(len(r.name) for r in RULES.values())
    lines = [f"{r.code}  {r.name:<{width}}  {r.severity:<7}  {r.summary()}" for r in _ordered()]
    return "\n".join(lines) + "\n"


def render_explain(rule: type[Rule]) -> str:
    head = f"{rule.code} {rule.name} ({rule.severity}" + (f"; AWS {rule.aws_code}" if rule.aws_code else "") + ")"
    return head + "\n\n" + doc_of(rule) + "\n"


def render_markdown() -> str:
    out = ["# aslkit lint rules", "",
           "Generated by `asl rules --format md` from the rule docstrings; do not edit by hand.", "",
           USAGE, "## Rules", "",
           "| Code | Name | Severity | AWS code | What it does |", "|---|---|---|---|---|"]
    for rule in _ordered():
        summary = _cell(rule.summary())
        out.append(f"| [{rule.code}](#{rule.code.lower()}) | `{rule.name}` | {rule.severity} | "
                   f"{rule.aws_code or ''} | {summary} |")
    out += ["", POLICY_INTRO, "| Case | aslkit | Why |", "|---|---|---|"]
    for case, verdict, why in GENERAL_POLICIES:
        out.append(f"| {case} | {verdict} | {why} |")
    for rule in _ordered():
        policy = sections(rule).get("Policy")
        if policy:
            out.append(f"| [{rule.code}](#{rule.code.lower()}) `{rule.name}` | {rule.severity} | "
                       f"{_cell(policy)} |")
    for prefix, title in FAMILIES:
        rules = [r for r in _ordered() if r.code.startswith(prefix)]
        if not rules:
            continue
        out += ["", f"## {title} ({prefix}xx)"]
        for rule in rules:
            meta = f"Severity: **{rule.severity}**" + (f" · AWS code: `{rule.aws_code}`" if rule.aws_code else "")
            out += ["", f"### {rule.code}", "", f"`{rule.name}` — {meta}", ""]
            for title_, body in sections(rule).items():
                out += [f"#### {title_}", "", body, ""]
            while out and out[-1] == "":
                out.pop()
    return "\n".join(out) + "\n"
