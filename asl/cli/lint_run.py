"""``asl lint``'s work, without click: the run itself, and a reader for plain command lines.

pre-commit starts one ``asl lint`` process per commit, so start-up is most of what users wait for, and
importing click costs about 8 ms of a ~40 ms run. The options are declared once, with click, in
:mod:`asl.cli.lint_cmd`, which calls :func:`run` below. :func:`parse_plain` reads only command lines
whose meaning is certain — known options with valid values, paths — and returns None for anything else
(``--help``, a typo, a bad choice, ``--config``, a value starting with ``-``), so click parses those
and gives its usual messages. A test checks that whenever :func:`parse_plain` answers, click would
have read the very same values.
"""
from __future__ import annotations

import os
import sys
from typing import Any

FORMATS = ("text", "json", "sarif", "github")
WORKFLOW_TYPES = ("STANDARD", "EXPRESS")
_FLAGS = {"--exit-zero": "exit_zero", "--no-source": "no_source", "--isolated": "isolated", "--no-cache": "no_cache"}
_VALUES = {"--format": "output_format", "--select": "select", "--ignore": "ignore", "--workflow-type": "workflow_type"}


class UsageProblem(ValueError):
    """A command line that cannot run (unknown rule, broken configuration): click reports it."""


def defaults() -> dict[str, Any]:
    return {"paths": (), "output_format": "text", "select": (), "ignore": (), "workflow_type": None,
            "exit_zero": False, "no_source": False, "config_path": None, "isolated": False, "no_cache": False}


def parse_plain(args: list[str]) -> dict[str, Any] | None:
    """The parameters of ``asl lint ARGS`` as click would pass them, or None when click should read them."""
    params = defaults()
    paths: list[str] = []
    select: list[str] = []
    ignore: list[str] = []
    position, only_paths = 0, False
    while position < len(args):
        arg = args[position]
        position += 1
        if only_paths or arg == "-" or not arg.startswith("-"):
            paths.append(arg)
            continue
        if arg == "--":
            only_paths = True
            continue
        name, equals, value = arg.partition("=")
        if name in _FLAGS and not equals:
            params[_FLAGS[name]] = True
            continue
        if name not in _VALUES:
            return None
        if not equals:
            if position >= len(args):
                return None
            value = args[position]
            position += 1
            if value.startswith("-"):
                return None
        if name == "--format":
            if value not in FORMATS:
                return None
            params["output_format"] = value
        elif name == "--workflow-type":
            chosen = value.upper()
            if chosen not in WORKFLOW_TYPES or value.casefold() != chosen.casefold():
                return None
            params["workflow_type"] = chosen
        else:
            (select if name == "--select" else ignore).append(value)
    params["paths"], params["select"], params["ignore"] = tuple(paths), tuple(select), tuple(ignore)
    return params


def run_plain(args: list[str]) -> int | None:
    """Run ``asl lint ARGS`` without click when the command line is plain; None to let click run it.

    Exit codes and the handling of internal errors are those of :func:`asl.cli.main`."""
    params = parse_plain(args)
    if params is None:
        return None
    try:
        code, output = run(**params)
        if output:
            sys.stdout.write(output)
            sys.stdout.flush()
    except UsageProblem:
        return None                  # nothing was linted or printed yet: click reports it, in its words
    except (KeyboardInterrupt, EOFError):
        return 2
    except Exception as exc:  # noqa: BLE001 - an internal error: say so plainly, exit 2, no traceback
        sys.stderr.write(f"asl: internal error: {type(exc).__name__}: {exc}\n")
        sys.stderr.flush()
        return 2
    return code


def _split(entries: tuple[str, ...]) -> list[str]:
    return [part.strip() for entry in entries for part in entry.split(",") if part.strip()]


def run(paths: tuple[str, ...], output_format: str, select: tuple[str, ...], ignore: tuple[str, ...],
        workflow_type: str | None, exit_zero: bool, no_source: bool, config_path: str | None,
        isolated: bool, no_cache: bool) -> tuple[int, str]:
    """Lint ``paths``: (exit code, text to print). Raises :class:`UsageProblem` before linting anything
    when the configuration or a rule name is wrong."""
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
        raise UsageProblem(str(exc)) from None

    selected = _split(select) or config.select
    extra_ignores = _split(ignore)
    named = [*(selected or ()), *extra_ignores, *config.ignore, *(c for v in config.per_file_ignores.values() for c in v)]
    if named:
        import asl.lint.rules  # noqa: F401  (registers the rules, so unknown codes can be told apart)

        unknown = Selector.unknown(named)
        if unknown:
            raise UsageProblem(f"unknown rule(s): {', '.join(unknown)} (see `asl rules`)")
    workflow = (workflow_type or config.workflow_type or "").upper() or None

    cache = None
    if not no_cache:
        from ..lint.cache import LintCache

        cache = LintCache.open()
    results = []
    option_keys: dict[tuple, bytes] = {}
    for path, source in _sources(paths or (".",)):
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
    found = any(diagnostics for _path, _text, diagnostics in results)
    return (1 if found and not exit_zero else 0), output


#: files up to this size are read once here (hashed for the cache, then parsed from the same bytes);
#: bigger ones go to the reader, which refuses definitions over AWS's 1,048,576-character limit itself
_CACHEABLE_BYTES = 1_048_576


def _sources(paths: tuple[str, ...]):
    """(path, source) for every file to lint, in order, each once: ``source`` is the file's bytes (read
    once: hashed for the cache, then parsed), else the path of a file too big to cache (or, for ``-``,
    the bytes of standard input, never cached).

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
        data = _small_file(given)
        if data is not None:
            if first_time(given):
                yield given, (given if data is False else data)
            continue
        for file in iter_definition_files([given]):
            name = str(file)
            if not first_time(name):
                continue
            data = _small_file(name)
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
