"""``asl lint`` and ``asl rules``.

``asl lint [PATH ...]`` lints files, directories (recursively: ``*.asl.json``, ``*.asl.yaml``,
``*.asl.yml`` and CloudFormation/SAM templates) and ``-`` (standard input), all in one process.
Exit codes: 0 no findings, 1 findings, 2 usage or internal error; ``--exit-zero`` turns 1 into 0.

The work is done by :mod:`asl.cli.lint_run`, which ``asl lint`` with a plain command line runs
without importing click at all (pre-commit starts one process per commit); this module declares the
options (the documentation of record) and handles the command lines ``lint_run`` leaves to click.
The rule families, the reader and the reporters are imported when the command runs.
"""
from __future__ import annotations

import click

from .lint_run import FORMATS as _FORMATS
from .lint_run import WORKFLOW_TYPES as _WORKFLOW_TYPES


@click.command("lint")
@click.argument("paths", nargs=-1)
@click.option("--format", "output_format", type=click.Choice(_FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rules: codes, names or code prefixes, comma separated (replaces [tool.asl] select).")
@click.option("--ignore", multiple=True, metavar="RULES",
              help="Skip these rules (added to [tool.asl] ignore).")
@click.option("--workflow-type", type=click.Choice(_WORKFLOW_TYPES, case_sensitive=False),
              help="Check the restrictions of this workflow type (EXPRESS: no .sync, callbacks, activities).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--no-source", is_flag=True, help="Text format: do not show the source line under each finding.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="PYPROJECT",
              help="Read [tool.asl] from this file instead of searching upwards from the current directory.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--no-cache", is_flag=True,
              help="Do not use or update the result cache (kept by file content in ~/.cache/aslkit; ASL_NO_CACHE=1).")
def lint_command(paths: tuple[str, ...], output_format: str, select: tuple[str, ...], ignore: tuple[str, ...],
                 workflow_type: str | None, exit_zero: bool, no_source: bool, config_path: str | None,
                 isolated: bool, no_cache: bool) -> int:
    """Lint state machine definitions (files, directories, CloudFormation/SAM templates, - for stdin)."""
    from .lint_run import UsageProblem, run

    try:
        code, output = run(paths, output_format, select, ignore, workflow_type, exit_zero, no_source,
                           config_path, isolated, no_cache)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    if output:
        click.echo(output, nl=False)
    return code


@click.command("rules")
@click.argument("rule", required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "md", "json"]), default="text",
              show_default=True, help="text: a table (or one rule's documentation); md: docs/rules.md; json.")
def rules_command(rule: str | None, output_format: str) -> int:
    """List the lint rules, or explain one (by code or name)."""
    import json

    import asl.lint.rules  # noqa: F401  (registration)
    from ..lint import docs
    from ..lint.registry import RULES, rule_for

    if rule is not None:
        found = rule_for(rule)
        if found is None:
            raise click.UsageError(f"no rule {rule!r} (see `asl rules`)")
        chosen = [found]
    else:
        chosen = [RULES[code] for code in sorted(RULES)]
    if output_format == "json":
        click.echo(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity, "aws_code": r.aws_code,
                                "summary": r.summary(), "documentation": docs.doc_of(r)} for r in chosen], indent=2))
    elif output_format == "md":
        click.echo(docs.render_markdown() if rule is None else docs.render_explain(chosen[0]), nl=False)
    elif rule is not None:
        click.echo(docs.render_explain(chosen[0]), nl=False)
    else:
        click.echo(docs.render_list(), nl=False)
    return 0
