"""``asl lint`` and ``asl rules``.

``asl lint [PATH ...]`` lints files, directories (recursively: ``*.asl.json``, ``*.asl.yaml``,
``*.asl.yml`` and CloudFormation/SAM templates) and ``-`` (standard input), all in one process.
Exit codes: 0 no findings, 1 findings, 2 usage or internal error; ``--exit-zero`` turns 1 into 0.

This module is imported on every ``asl lint`` run (pre-commit starts one per commit), so its own
imports are only click and the small ``asl.lint`` package; the rule families, the reader and the
reporters are imported when the command runs.
"""
from __future__ import annotations

import os
import sys

import click

_FORMATS = ("text", "json", "sarif", "github")


def _split(entries: tuple[str, ...]) -> list[str]:
    return [part.strip() for entry in entries for part in entry.split(",") if part.strip()]


@click.command("lint")
@click.argument("paths", nargs=-1)
@click.option("--format", "output_format", type=click.Choice(_FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rules: codes, names or code prefixes, comma separated (replaces [tool.asl] select).")
@click.option("--ignore", multiple=True, metavar="RULES",
              help="Skip these rules (added to [tool.asl] ignore).")
@click.option("--workflow-type", type=click.Choice(["STANDARD", "EXPRESS"], case_sensitive=False),
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
    from ..lint import lint_document
    from ..lint.config import ConfigError, LintConfig, find_config, load_config
    from ..lint.registry import Selector
    from ..lint.report import render

    try:
        if isolated:
            config = LintConfig()
        elif config_path:
            config = load_config(config_path)
        else:
            config = find_config()
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None

    selected = _split(select) or config.select
    extra_ignores = _split(ignore)
    named = [*(selected or ()), *extra_ignores, *config.ignore, *(c for v in config.per_file_ignores.values() for c in v)]
    if named:
        import asl.lint.rules  # noqa: F401  (registers the rules, so unknown codes can be told apart)

        unknown = Selector.unknown(named)
        if unknown:
            raise click.UsageError(f"unknown rule(s): {', '.join(unknown)} (see `asl rules`)")
    workflow = (workflow_type or config.workflow_type or "").upper() or None

    cache = None
    if not no_cache:
        from ..lint.cache import LintCache

        cache = LintCache.open()
    results = []
    option_keys: dict[tuple, bytes] = {}
    for path, source in _sources(paths or (".",), cached=cache is not None):
        ignores = config.ignores_for(path) + extra_ignores
        key = None
        if cache is not None and isinstance(source, bytes) and path != "<stdin>":
            options = option_keys.get(tuple(ignores))
            if options is None:
                options = option_keys[tuple(ignores)] = cache.options_key([selected, ignores, workflow])
            key = cache.key(source, options)
            hit = cache.get(key, path)
            if hit is not None:
                results.append((path, source.decode("utf-8", "replace") if hit else None, hit))
                continue
        documents = _read_all(source, path)
        for document in documents:
            diagnostics = lint_document(document, select=selected, ignore=ignores, workflow_type=workflow)
            results.append((document.path or path, document.text, diagnostics))
        if key is not None and len(documents) == 1 and documents[0].name is None:
            cache.put(key, diagnostics, path)  # a plain definition (a template may read other files)
    if cache is not None:
        cache.save()
    color = output_format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    output = render(output_format, results, show_source=not no_source, color=color)
    if output:
        click.echo(output, nl=False)
    found = any(diagnostics for _path, _text, diagnostics in results)
    return 1 if found and not exit_zero else 0


#: files up to this size are read once here (hashed for the cache, then parsed from the same bytes);
#: bigger ones go to the reader, which refuses definitions over AWS's 1,048,576-character limit itself
_CACHEABLE_BYTES = 1_048_576


def _sources(paths: tuple[str, ...], *, cached: bool):
    """(path, source) for every file to lint, in order, each once: ``source`` is the file's bytes when
    the cache may use them, else the path (or, for ``-``, the bytes of standard input, never cached).

    A named file is opened directly (pre-commit passes hundreds of names: no ``stat`` per name);
    directories, and names that cannot be opened, go through :func:`asl.source.iter_definition_files`."""
    from ..source import iter_definition_files

    cwd = os.getcwd()
    seen: set[str] = set()

    def first_time(name: str) -> bool:
        absolute = os.path.normcase(os.path.normpath(os.path.join(cwd, name)))
        if absolute in seen:
            return False
        seen.add(absolute)
        return True

    for given in paths:
        if given == "-":
            yield "<stdin>", sys.stdin.buffer.read()
            continue
        if cached:
            data = _small_file(given)
            if data is not None:
                if first_time(given):
                    yield given, (given if data is False else data)
                continue
        for file in iter_definition_files([given]):
            name = str(file)
            if not first_time(name):
                continue
            data = _small_file(name) if cached else None
            yield name, (data if isinstance(data, bytes) else file)


def _small_file(name: str) -> "bytes | bool | None":
    """The bytes of a readable file of at most ``_CACHEABLE_BYTES``; False for a bigger file; None when
    it cannot be opened as a file (a directory, a missing name)."""
    try:
        with open(name, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > _CACHEABLE_BYTES:
                return False
            return handle.read()
    except OSError:
        return None


def _read_all(source, path: str):
    from ..source import read, read_all

    if path == "<stdin>":
        return [read(source, path=path)]
    return read_all(source, path=path) if isinstance(source, bytes) else read_all(source)


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
