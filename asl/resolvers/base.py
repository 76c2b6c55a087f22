"""The task-resolver contract between the runtime and the services a Task talks to.

The runtime evaluates a Task's Parameters/Arguments, then hands a :class:`TaskRequest` to the first
registered resolver that accepts the resource ARN. The resolver returns the raw result (before
ResultSelector) or raises :class:`asl.errors.TaskFailed` with the ASL error name and cause. It never
sleeps: time passes only through the injected clock the runtime owns.

Registry order (DESIGN.md): explicit user resolvers, mock config, local services, boto3.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, runtime_checkable

from ..errors import ResolverNotFound


@dataclass(frozen=True, slots=True)
class ResourceInfo:
    """What a Task ``Resource`` ARN names.

    ``service``/``action`` for ``arn:aws:states:::sqs:sendMessage.waitForTaskToken`` are ``sqs`` and
    ``sendMessage`` with ``pattern="waitForTaskToken"``; a plain Lambda function ARN has
    ``service="lambda"``, ``action="function"`` and ``legacy_lambda=True``; an activity ``"activity"``.
    """

    arn: str
    service: str
    action: str
    pattern: str | None = None          # None (request-response) | "sync" | "sync:2" | "waitForTaskToken"
    legacy_lambda: bool = False
    function_name: str | None = None    # for Lambda ARNs


_INTEGRATION = re.compile(
    r"^arn:(?P<partition>[\w-]+):states:(?P<region>[\w-]*):(?P<account>\d*):"
    r"(?P<service>[\w-]+(?::[\w-]+)?):(?P<action>[\w-]+)(?:\.(?P<pattern>sync(?::2)?|waitForTaskToken))?$"
)
_FUNCTION = re.compile(
    r"^arn:(?P<partition>[\w-]+):lambda:(?P<region>[\w-]+):(?P<account>\d+):function:(?P<name>[^:]+)(?::[^:]+)?$"
)
_ACTIVITY = re.compile(r"^arn:(?P<partition>[\w-]+):states:[\w-]+:\d+:activity:(?P<name>.+)$")


def parse_resource(arn: str) -> ResourceInfo:
    """Classify a resource ARN; unknown shapes come back with ``service="unknown"``."""
    match = _FUNCTION.match(arn)
    if match:
        return ResourceInfo(arn, "lambda", "function", legacy_lambda=True, function_name=match["name"])
    match = _ACTIVITY.match(arn)
    if match:
        return ResourceInfo(arn, "activity", match["name"])
    match = _INTEGRATION.match(arn)
    if match:
        service = match["service"]
        return ResourceInfo(arn, service, match["action"], pattern=match["pattern"])
    return ResourceInfo(arn, "unknown", "")


@dataclass(frozen=True, slots=True)
class TaskRequest:
    """Everything a resolver may need to perform one attempt of a Task."""

    resource: ResourceInfo
    payload: Any                            # the effective Parameters / Arguments (or state input)
    state_name: str
    context: Mapping[str, Any] = field(default_factory=dict)   # the context object ($$) at this attempt
    task_token: str | None = None           # set for .waitForTaskToken
    timeout_seconds: float | None = None
    heartbeat_seconds: float | None = None
    credentials: Any = None
    query_language: str = "JSONPath"
    # The execution's clock (``now()`` epoch seconds; ``advance(s)``/``sleep(s)``). Resolvers that take
    # time (a handler sleeping, a callback wait, a child execution) move it; None = the resolver's own.
    clock: Any = None
    # Called with the API response once a .waitForTaskToken / .sync task has been submitted, so the
    # runtime can record TaskSubmitted before the wait; None = nobody listens.
    submitted: Any = None
    # ``start_child(machine_or_arn, input, *, name=None, start=None, stop_at=None) -> Execution``: the
    # runtime's way to start a child state machine in the same engine (states:startExecution). It gives
    # back the child *prepared* (``arn``, ``name``, ``start_time`` known; ``.run()`` runs it to its end);
    # an ARN the runtime does not know (only the running machine's own) raises LookupError.
    start_child: Any = None


@runtime_checkable
class TaskResolver(Protocol):
    def accepts(self, resource: ResourceInfo) -> bool: ...

    def invoke(self, request: TaskRequest) -> Any:
        """Return the task's raw result or raise ``TaskFailed(error, cause)``."""


class ResolverRegistry:
    """An ordered list of resolvers; the first that accepts a resource serves it."""

    def __init__(self, resolvers: list[TaskResolver] | None = None):
        self._resolvers: list[TaskResolver] = list(resolvers or [])

    def add(self, resolver: TaskResolver) -> "ResolverRegistry":
        self._resolvers.append(resolver)
        return self

    def extend(self, resolvers) -> "ResolverRegistry":
        self._resolvers.extend(resolvers)
        return self

    def accepts(self, resource: ResourceInfo) -> bool:
        """True when some resolver of the registry serves ``resource`` (a registry nests as a resolver)."""
        return any(resolver.accepts(resource) for resolver in self._resolvers)

    def invoke(self, request: TaskRequest) -> Any:
        return self.find(request.resource).invoke(request)

    def find(self, resource: ResourceInfo) -> TaskResolver:
        for resolver in self._resolvers:
            if resolver.accepts(resource):
                return resolver
        raise ResolverNotFound(f"no resolver accepts the resource {resource.arn!r}")

    def __iter__(self):
        return iter(self._resolvers)
