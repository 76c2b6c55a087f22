"""The ``asl`` command. The only package that imports click.

Each subcommand lives in its own module (``lint_cmd``, ``run_cmd``, ``test_cmd``, ...) and is attached
here; a module that is missing (an optional part) is simply not offered.
"""
from __future__ import annotations

import importlib
import sys

import click

from .. import __version__

_SUBCOMMANDS = {
    "lint": "lint_cmd", "rules": "lint_cmd", "run": "run_cmd", "test": "test_cmd", "serve": "serve_cmd",
}


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


def main(argv: list[str] | None = None) -> int:
    """Entry point: returns the exit code (0 ok, 1 findings / failed execution, 2 usage or internal error)."""
    try:
        result = cli.main(args=argv, prog_name="asl", standalone_mode=False)
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
