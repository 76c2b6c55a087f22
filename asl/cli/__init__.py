"""The ``asl`` command. The only package that imports click.

Each subcommand lives in its own module (``lint_cmd``, ``run_cmd``, ``test_cmd``, ...) and is attached
here; a module that is missing (an optional part) is simply not offered.

click itself is imported only when the command line needs it: ``asl lint`` with a plain command line
(the pre-commit hook's) is read and run by :mod:`asl.cli.lint_run` without it, which saves about a
fifth of that process's start-up. Everything else — other subcommands, ``--help``, anything unusual —
goes through the click group below.
"""
from __future__ import annotations

import importlib
import sys

_SUBCOMMANDS = {
    "lint": "lint_cmd", "rules": "lint_cmd", "run": "run_cmd", "test": "test_cmd", "serve": "serve_cmd",
}

_group = None


def _cli():
    """The click group, built on first use."""
    global _group
    if _group is not None:
        return _group
    import click

    from .. import __version__

    class _LazyGroup(click.Group):
        """Imports a subcommand's module only when that subcommand runs (fast start for pre-commit)."""

        def list_commands(self, ctx):
            return sorted(_SUBCOMMANDS)

        def get_command(self, ctx, name):
            module_name = _SUBCOMMANDS.get(name)
            if module_name is None:
                return None
            try:
                module = importlib.import_module(f"{__name__}.{module_name}")
            except ModuleNotFoundError as exc:
                if exc.name and exc.name.endswith(module_name):
                    return None
                raise
            return getattr(module, name.replace("-", "_") + "_command", None)

    @click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, prog_name="asl")
    def cli() -> None:
        """Lint, run and test Amazon States Language state machines locally."""

    _group = cli
    return cli


def __getattr__(name: str):
    if name == "cli":            # ``asl.cli.cli``: the click group, as before it was built lazily
        return _cli()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: returns the exit code (0 ok, 1 findings / failed execution, 2 usage or internal error)."""
    args = sys.argv[1:] if argv is None else list(argv)
    # (on Windows click expands wildcards in sys.argv and translates colours for the console: leave it to click)
    if args[:1] == ["lint"] and sys.platform != "win32":
        from .lint_run import run_plain

        code = run_plain(args[1:])
        if code is not None:
            return code
    import click

    try:
        result = _cli().main(args=argv, prog_name="asl", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        exc.show()
        return 2
    except click.Abort:
        return 2
    except click.ClickException as exc:
        exc.show()
        return 2
    except Exception as exc:  # an internal error: say so plainly, exit 2, no traceback
        click.echo(f"asl: internal error: {type(exc).__name__}: {exc}", err=True)
        return 2
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
