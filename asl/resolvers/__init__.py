"""Task resolvers: the services a Task state talks to (local, mocked or real).

A resolver is chosen by resource ARN (:meth:`accepts`) and performs one attempt of a Task
(:meth:`invoke`): it returns the raw result or raises :class:`asl.errors.TaskFailed` (error + cause).
Order (DESIGN.md): explicit user resolvers, the mock config, local services, boto3 — which is what
:meth:`Environment.resolvers` returns.

What the runtime does (and what it needs to do for the patterns that take time)
--------------------------------------------------------------------------------
1. ``registry.find(parse_resource(arn)).invoke(TaskRequest(...))`` with ``clock=`` the execution's clock,
   ``timeout_seconds=`` / ``heartbeat_seconds=`` the effective values, ``task_token=`` a fresh token for
   ``.waitForTaskToken`` resources (the same one it put in ``$$.Task.Token``) and ``context=`` the
   context object. Nothing else is required: resolvers serving ``.waitForTaskToken``, ``.sync`` and
   ``.sync:2`` *return only when the task is over* — they open the token on the environment's
   :class:`~asl.services.callbacks.CallbackHub`, make the API call, then run the scheduler on the
   clock until a consumer calls ``send_task_success/failure/heartbeat`` or the timeout / heartbeat
   passes (``TaskFailed("States.Timeout", None)``; the runtime records that as ``TaskTimedOut``).
2. Optional, for a faithful history: set ``TaskRequest.submitted`` to a callable; it is called with
   the API response once a ``.waitForTaskToken`` / ``.sync`` task has been submitted (record
   ``TaskSubmitted`` with it).
3. For ``states:startExecution``: set ``TaskRequest.start_child`` (the runtime's
   :meth:`~asl.runtime.machine.Machine.child_execution` bound to the running line). The resolver finds
   the machine (registered with ``Environment.add_state_machine``, or the running machine's own ARN)
   and the runtime runs it — with the parent's resolvers, handlers, seed and a branch of its clock.

Running with an environment::

    env = Environment.from_file("local.yaml")      # or Environment() built in Python
    execution = machine.execute(input, resolvers=env.resolvers(lambdas=lambdas), clock=env.clock)
    env.settle()            # pending deliveries, async Lambda retries, pollers
    env.queues()            # what is left in every queue and DLQ

The CLI helpers for ``asl run --env/--mock-config/--test-case/--machine-name/--show-queues`` are in
:mod:`asl.resolvers.cli_options`; the user guide is docs/resolvers.md.
"""
from __future__ import annotations

import threading
from typing import Any, Mapping

from .base import ResolverRegistry, ResourceInfo, TaskRequest, TaskResolver, parse_resource


def local_lambdas(handlers: Mapping[str, Any], **options: Any) -> TaskResolver:
    """``{function name or ARN: handler}`` as a resolver (options as for
    :func:`~asl.resolvers.lambda_.lambda_resolver`). When every handler is a callable, the Lambda
    service — and its imports — load on the first Lambda Task, so a run that never calls a function
    never pays for it; handler specs (``"module:function"``) are loaded at once, so a bad one fails early."""
    if all(callable(handler) for handler in handlers.values()):     # (a LambdaFunction is not callable)
        return _Deferred(handlers, options)
    from .lambda_ import lambda_resolver

    return lambda_resolver(handlers, **options)


class _Deferred:
    """A Lambda resolver built on first use."""

    def __init__(self, handlers: Mapping[str, Any], options: dict):
        self._handlers = dict(handlers)
        self._options = options
        self._resolver: Any = None
        self._lock = threading.Lock()

    def resolver(self) -> Any:
        if self._resolver is None:
            with self._lock:
                if self._resolver is None:
                    from .lambda_ import lambda_resolver

                    self._resolver = lambda_resolver(self._handlers, **self._options)
        return self._resolver

    def accepts(self, resource: ResourceInfo) -> bool:
        return resource.service == "lambda" and self.resolver().accepts(resource)

    def invoke(self, request: TaskRequest) -> Any:
        return self.resolver().invoke(request)


def default_resolvers(*, clock: Any = None, region: str = "us-east-1", account: str = "111111111111",
                      **_: Any) -> list[TaskResolver]:
    """What serves Task resources when nothing else does: an empty local account (SQS, SNS,
    EventBridge, API Gateway, Step Functions), built on first use. Calls fail as AWS fails them for
    resources that do not exist (``SQS.QueueDoesNotExistException``...). Lambda is left out on
    purpose: an unknown function is better reported by the runtime with a hint on passing handlers."""
    return [_EmptyAccount(clock=clock, region=region, account=account)]


class _EmptyAccount:
    """The local services of an empty account, created only if a Task reaches them."""

    SERVICES = frozenset({"sqs", "sns", "events", "apigateway", "states"})

    def __init__(self, **options: Any):
        self._options = options
        self._registry: ResolverRegistry | None = None
        self._lock = threading.Lock()

    def accepts(self, resource: ResourceInfo) -> bool:
        return resource.service in self.SERVICES and self.registry().accepts(resource)

    def registry(self) -> ResolverRegistry:
        if self._registry is None:
            with self._lock:
                if self._registry is None:
                    from .environment import Environment
                    from .lambda_ import LambdaResolver

                    env = Environment(**self._options)
                    self._registry = ResolverRegistry(
                        [r for r in env.local_resolvers() if not isinstance(r, LambdaResolver)])
        return self._registry

    def invoke(self, request: TaskRequest) -> Any:
        return self.registry().find(request.resource).invoke(request)


def __getattr__(name: str) -> Any:
    # heavier pieces load on first use so ``import asl`` stays fast
    if name in ("Environment",):
        from .environment import Environment

        return Environment
    if name in ("lambda_resolver", "LambdaResolver"):
        from . import lambda_

        return getattr(lambda_, name)
    if name in ("MockConfigResolver", "load_mock_config", "MockConfigError"):
        from . import mock_config

        return getattr(mock_config, name)
    if name == "load_environment":
        from .env_file import load_environment

        return load_environment
    raise AttributeError(name)


__all__ = ["ResolverRegistry", "ResourceInfo", "TaskRequest", "TaskResolver", "parse_resource",
           "default_resolvers", "local_lambdas", "Environment", "lambda_resolver", "LambdaResolver", "MockConfigResolver",
           "load_mock_config", "MockConfigError", "load_environment"]
