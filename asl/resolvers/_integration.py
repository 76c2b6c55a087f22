"""What every optimized-integration resolver shares: the callback pattern and error naming."""
from __future__ import annotations

from typing import Any, Callable, Mapping

from ..errors import TaskFailed
from ..services.callbacks import CallbackHub
from ..services.errors import ServiceError
from . import _aws
from .base import ResourceInfo, TaskRequest

# the Java SDK's service names, as they appear in causes ("Service: AmazonSQS; ...")
SDK_SERVICE = {"sqs": "AmazonSQS", "sns": "AmazonSNS", "lambda": "AWSLambda", "events": "AmazonEventBridge",
               "states": "AWSStepFunctions", "apigateway": "AmazonApiGateway"}
# the prefix Step Functions gives a service's errors ("SQS.AmazonSQSException")
ERROR_PREFIX = {"sqs": "SQS", "sns": "SNS", "lambda": "Lambda", "events": "EventBridge",
                "states": "StepFunctions", "apigateway": "ApiGateway"}


def service_failure(exc: ServiceError, request_id: str) -> TaskFailed:
    """A :class:`ServiceError` as Step Functions reports it: ``<Prefix>.<Exception>`` + SDK cause."""
    prefix = ERROR_PREFIX.get(exc.service, exc.service)
    cause = _aws.sdk_cause(exc.message, service=SDK_SERVICE.get(exc.service, exc.service), status=exc.status,
                           code=exc.code, request_id=request_id)
    return TaskFailed(f"{prefix}.{exc.exception}", cause)


def with_callback(hub: CallbackHub, request: TaskRequest, clock: Any, call: Callable[[], Any]) -> Any:
    """Run a ``.waitForTaskToken`` task: open the token, make the API call, report it submitted, wait."""
    token = request.task_token or hub.new_token()
    hub.scheduler.attach(clock)
    hub.open(token, timeout=request.timeout_seconds, heartbeat=request.heartbeat_seconds)
    try:
        response = call()
    except BaseException:
        hub.discard(token)
        raise
    if callable(request.submitted):
        request.submitted(response)
    return hub.wait(token, clock=clock)


class IntegrationResolver:
    """Base for ``arn:aws:states:::<service>:<action>[.waitForTaskToken]`` resolvers."""

    service_name = ""
    actions: frozenset = frozenset()
    patterns: frozenset = frozenset({None, "waitForTaskToken"})

    def __init__(self, *, callbacks: CallbackHub | None = None, metadata: str = _aws.NORMALIZED, clock: Any = None,
                 scheduler: Any = None):
        self.callbacks = callbacks or CallbackHub(scheduler)
        self.metadata = metadata
        self.clock = clock

    def accepts(self, resource: ResourceInfo) -> bool:
        return (resource.service == self.service_name and resource.action in self.actions
                and resource.pattern in self.patterns)

    def invoke(self, request: TaskRequest) -> Any:
        clock = request.clock if request.clock is not None else self.clock
        self.callbacks.scheduler.attach(clock)
        if request.resource.pattern == "waitForTaskToken":
            return with_callback(self.callbacks, request, clock, lambda: self.call(request, clock))
        return self.call(request, clock)

    def call(self, request: TaskRequest, clock: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    @staticmethod
    def parameters(request: TaskRequest) -> Mapping[str, Any]:
        """The task's Parameters / Arguments as the API call's parameters ({} unless an object)."""
        return request.payload if isinstance(request.payload, Mapping) else {}

    def metadata_for(self, headers: dict, request_id: str, clock: Any, status: int = 200) -> dict:
        return _aws.sdk_metadata(headers, request_id=request_id, status=status, mode=self.metadata, clock=clock)


class ServiceResolver(IntegrationResolver):
    """An integration served by one in-memory service; tokens wait on that service's scheduler."""

    def __init__(self, service: Any, **kw: Any):
        super().__init__(scheduler=service.scheduler, **kw)
        self.service = service
