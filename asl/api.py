"""The top of the pipeline: source -> parse -> lint (errors) -> compile -> runnable machine.

This is the one module that uses both the linter and the runtime (they never import each other): a
definition the linter finds an *error* in is one AWS would reject at create time, so ``load`` refuses it
with the same diagnostics ``asl lint`` prints.
"""
from __future__ import annotations

from typing import Any

from .diagnostics import ERROR
from .errors import DefinitionError
from .parse import parse
from .source import read


def load(definition: Any, *, workflow_type: str = "STANDARD", path: str | None = None, **options: Any):
    """Load ``definition`` (a dict, JSON/YAML text, or a path) into a runnable machine.

    Raises :class:`DefinitionError` carrying every error diagnostic when the definition is invalid.
    ``options`` are the runtime machine's (:class:`asl.runtime.Machine`: ``name``, ``region``,
    ``account``, ``role_arn``, and ``resolvers`` / ``lambdas`` that serve every run); a run's own
    settings (input, clock, seed, handlers) go to ``execute``.
    """
    from .lint import lint_document
    from .runtime import Machine

    document = read(definition, path=path)
    # the workflow type matters to the linter: Express machines cannot use .sync / callbacks / activities
    diagnostics = [d for d in lint_document(document, workflow_type=workflow_type) if d.severity == ERROR]
    if diagnostics:
        raise DefinitionError(diagnostics)
    model, problems = parse(document.value)
    if model is None or problems:
        raise DefinitionError(document.locate_all(problems))
    return Machine(model, workflow_type=workflow_type, **options)
