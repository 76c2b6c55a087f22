"""The exception hierarchy of aslkit.

Everything aslkit raises derives from :class:`AslError`. Two families:

* tool errors — :class:`DefinitionError` (a definition that cannot be loaded; carries diagnostics),
  :class:`ResolverNotFound`;
* runtime ASL errors — :class:`StatesError` carries the ASL error *name* (a string such as
  ``"States.TaskFailed"`` or a user's ``"MyError"``) and its cause. Retry and Catch match on the name,
  never on the Python class, so one class is enough for every name.

This module imports nothing from ``asl`` so every other module may import it.
"""
from __future__ import annotations

from typing import Any


class AslError(Exception):
    """Root of every exception aslkit raises on purpose."""


class DefinitionError(AslError):
    """A definition could not be loaded: it carries every problem found, not only the first."""

    def __init__(self, diagnostics: Any, message: str | None = None):
        self.diagnostics = tuple(diagnostics)
        if message is None:
            first = [d for d in self.diagnostics if getattr(d, "severity", "error") == "error"] or list(
                self.diagnostics
            )
            message = "; ".join(_describe(d) for d in first[:3]) or "invalid definition"
            if len(first) > 3:
                message += f" (and {len(first) - 3} more)"
        super().__init__(message)


def _describe(d: Any) -> str:
    where = f"{d.line}:{d.column}" if getattr(d, "line", None) else getattr(d, "pointer", "")
    return f"{where}: {d.code} {d.message}"


class ResolverNotFound(AslError):
    """No task resolver accepts a Task's resource."""


class InvalidExecutionInput(AslError, ValueError):
    """An execution's input is not a JSON value (StartExecution answers ``InvalidExecutionInput``)."""


class StatesError(AslError):
    """A runtime error in the ASL sense: ``error`` is the ASL name, ``cause`` its text (or None)."""

    def __init__(self, error: str, cause: str | None = None):
        self.error = error
        self.cause = cause
        super().__init__(f"{error}: {cause}" if cause else error)


class TaskFailed(StatesError):
    """Raised by a task resolver: the task failed with ``error`` (e.g. ``Lambda.ServiceException``)."""


# The predefined names (shared/spec/ASL_DIGEST.md §8.2), as constants so typos are caught at import.
ALL = "States.ALL"
TIMEOUT = "States.Timeout"
HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
TASK_FAILED = "States.TaskFailed"
PERMISSIONS = "States.Permissions"
RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure"
PARAMETER_PATH_FAILURE = "States.ParameterPathFailure"
QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"
BRANCH_FAILED = "States.BranchFailed"
NO_CHOICE_MATCHED = "States.NoChoiceMatched"
INTRINSIC_FAILURE = "States.IntrinsicFailure"
EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold"
ITEM_READER_FAILED = "States.ItemReaderFailed"
RESULT_WRITER_FAILED = "States.ResultWriterFailed"
RUNTIME = "States.Runtime"
DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
