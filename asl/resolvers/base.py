"""The task-resolver contract between the runtime and the services a Task talks to.

The runtime evaluates a Task's Parameters/Arguments, then hands a :class:`TaskRequest` to the first
registered resolver that accepts the resource ARN. The resolver returns the raw result (before
ResultSelector) or raises :class:`asl.errors.TaskFailed` with the ASL error name and cause. It never
sleeps: time passes only through the injected clock the runtime owns.

Registry order (DESIGN.md): explicit user resolvers, mock config, local services, boto3.

A resolver may also hand a request on: ``request.pass_on(request)`` gives it (or a changed copy) to
the next resolver of the registry that accepts the resource, and returns that one's result. That is
how a fault injector or a test harness sits in front of the real resolvers, and how a mock config lets
the states it does not mock through. ``pass_on`` raises :class:`~asl.errors.ResolverNotFound` when no
resolver is left.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping, Protocol, runtime_checkable

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
    # The effective Parameters / Arguments (or the state input). Read it, never change it: JSON values are
    # shared inside a run (a template's constants are the same objects in every run of the machine).
    payload: Any
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
    # ``pass_on(request) -> result``: hand the request to the next resolver after the one invoked (set
    # by the registry that invoked it); None = there is no chain (the resolver was called directly).
    pass_on: Callable[["TaskRequest"], Any] | None = None


@runtime_checkable
class TaskResolver(Protocol):
    def accepts(self, resource: ResourceInfo) -> bool: ...

    def invoke(self, request: TaskRequest) -> Any:
        """Return the task's raw result or raise ``TaskFailed(error, cause)``."""


class ResolverRegistry:
    """An ordered list of resolvers; the first that accepts a resource serves it, and may pass the
    request on to the next one that accepts it (:attr:`TaskRequest.pass_on`).

    A registry is itself a resolver, so registries nest: when a nested registry has nobody left to
    pass a request on to, the request continues in the enclosing one.
    """

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

    def find(self, resource: ResourceInfo, *, after: TaskResolver | None = None) -> TaskResolver:
        """The first resolver that accepts ``resource`` — after ``after`` (by identity) when given."""
        resolvers = self._resolvers
        start = 0
        if after is not None:
            start = next((i + 1 for i, resolver in enumerate(resolvers) if resolver is after), len(resolvers))
        for resolver in resolvers[start:]:
            if resolver.accepts(resource):
                return resolver
        raise ResolverNotFound(f"no resolver accepts the resource {resource.arn!r}")

    def invoke(self, request: TaskRequest, *, after: TaskResolver | None = None) -> Any:
        """Serve ``request`` with the first resolver that accepts it (after ``after``), which receives a
        ``pass_on`` leading to the next one."""
        return self._invoke(request, after, request.pass_on)

    def pass_on_after(self, resolver: TaskResolver, outer: Callable | None = None) -> Callable[[TaskRequest], Any]:
        """The ``pass_on`` for a request given to ``resolver``: the next resolver after it, then ``outer``."""
        def pass_on(request: TaskRequest) -> Any:
            return self._invoke(request, resolver, outer)
        return pass_on

    def _invoke(self, request: TaskRequest, after: TaskResolver | None, outer: Callable | None) -> Any:
        try:
            resolver = self.find(request.resource, after=after)
        except ResolverNotFound:
            if outer is None:
                raise
            return outer(request)
        return resolver.invoke(replace(request, pass_on=self.pass_on_after(resolver, outer)))

    def __iter__(self):
        return iter(self._resolvers)

    def __len__(self) -> int:
        return len(self._resolvers)
