"""aslkit: lint, run and test Amazon States Language state machines locally.

The public API (shared/DESIGN.md, "Conformance contract")::

    sm = asl.load(definition, workflow_type="STANDARD")
    ex = sm.execute(input, lambdas=None, clock="virtual")
    diags = asl.lint(source)
"""
from __future__ import annotations

from .diagnostics import Diagnostic
from .errors import AslError, DefinitionError, ResolverNotFound, StatesError, TaskFailed

__version__ = "0.1.0"


def load(definition, *, workflow_type: str = "STANDARD", **options):
    """Load a definition (dict, JSON/YAML text or path) and compile it; raises DefinitionError."""
    from .api import load as _load

    return _load(definition, workflow_type=workflow_type, **options)


def lint(source, **options):
    """Lint a definition (dict, JSON/YAML text or path): a list of Diagnostics, never raises on bad input."""
    from .lint import lint as _lint

    return _lint(source, **options)


__all__ = ["load", "lint", "Diagnostic", "AslError", "DefinitionError", "ResolverNotFound",
           "StatesError", "TaskFailed", "__version__"]
