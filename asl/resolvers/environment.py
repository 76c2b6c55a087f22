"""An Environment: the local AWS a workflow runs against, and the resolvers that reach it.

Build it in Python or from an environment file (:func:`asl.resolvers.env_file.load_environment`)::

    env = Environment(seed=7)
    env.add_function("worker", handler, reserved_concurrency=1, duration=2.0)
    env.add_queue("jobs-dlq")
    env.add_queue("jobs", VisibilityTimeout=30, redrive=("jobs-dlq", 3))
    env.add_event_source_mapping("jobs", "worker", batch_size=5)
    ex = machine.execute(input, resolvers=env.resolvers(), clock=env.clock)
    env.settle()                       # let queued deliveries, async invocations and pollers finish
    env.queues()                       # what is left in each queue and DLQ

:meth:`resolvers` lists them in the DESIGN order: explicit user resolvers, the mock config (which
passes unmocked states on), local services, boto3 — a flat list: a resolver hands what it does not
serve to the next one through ``TaskRequest.pass_on``.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Callable, Mapping

from ..runtime import clock as clocks
from ..services.apigateway import ApiGatewayService
from ..services.callbacks import CallbackHub
from ..services.errors import ServiceError
from ..services.event_sources import EventSourceMappings
from ..services.events import EventBridgeService, Target
from ..services.handlers import load_folder, load_handler
from ..services.lambda_ import DEFAULT_ACCOUNT, DEFAULT_REGION, MAX_TIMEOUT, LambdaFunction, LambdaService
from ..services.scheduler import Scheduler
from ..services.sns import SnsService
from ..services.sqs import SqsService
from . import _aws
from .apigateway import ApiGatewayResolver
from .base import ResolverRegistry, TaskResolver
from .events import EventBridgeResolver
from .lambda_ import LambdaResolver
from .mock_config import MockConfigResolver
from .sns import SnsResolver
from .sqs import SqsResolver
from .states import StepFunctionsResolver


class Environment:
    """Local Lambda, SQS, SNS, EventBridge, API Gateway and Step Functions on one scheduler and clock."""

    def __init__(self, *, region: str = DEFAULT_REGION, account: str = DEFAULT_ACCOUNT, seed: int = 0,
                 clock: Any = None, account_concurrency: int = 1000, metadata: str = _aws.NORMALIZED,
                 short_poll_sampling: bool = True):
        self.region = region
        self.account = account
        self.metadata = metadata
        self.scheduler = Scheduler(clock if clock is not None else clocks.VirtualClock())
        self._driving_clock = self.scheduler.driving_clock()
        self.callbacks = CallbackHub(self.scheduler)
        self.lambda_ = LambdaService(region=region, account=account, seed=seed, scheduler=self.scheduler,
                                     account_concurrency=account_concurrency, deliver=self.deliver)
        self.sqs = SqsService(region=region, account=account, seed=seed + 1, scheduler=self.scheduler,
                              short_poll_sampling=short_poll_sampling)
        self.sns = SnsService(region=region, account=account, seed=seed + 2, scheduler=self.scheduler,
                              sqs=self.sqs, lambda_=self.lambda_)
        self.events = EventBridgeService(region=region, account=account, seed=seed + 3, scheduler=self.scheduler,
                                         deliver=self.deliver)
        self.apigateway = ApiGatewayService(region=region, account=account, seed=seed + 5,
                                            scheduler=self.scheduler, lambda_=self.lambda_)
        self.event_sources = EventSourceMappings(self.sqs, self.lambda_, seed=seed + 6)
        self.explicit: list[TaskResolver] = []
        self.mock: tuple[Any, str, str] | None = None
        # from an environment file: {"config", "test_case", "state_machine"} for the CLI to apply
        self.mock_defaults: dict[str, Any] | None = None
        self.boto3: TaskResolver | None = None
        self._states = StepFunctionsResolver(region=region, account=account, seed=seed + 4,
                                             callbacks=self.callbacks, metadata=metadata)

    @classmethod
    def from_file(cls, path: Any, **kw: Any) -> "Environment":
        """An environment from a YAML/JSON environment file (see :mod:`asl.resolvers.env_file`)."""
        from .env_file import load_environment

        return load_environment(path, **kw)

    # -- time -------------------------------------------------------------------------------------
    @property
    def clock(self) -> Any:
        """The clock to run executions on (``execute(..., clock=env.clock)``): the services' clock, and
        whenever the workflow lets time pass (Wait, Retry intervals) the services' due work runs."""
        return self._driving_clock

    def settle(self, horizon: float = 366 * 86400.0) -> int:
        """Run every pending delivery, async invocation, retry and poll (up to ``horizon`` seconds ahead)."""
        return self.scheduler.drain(horizon=horizon)

    def advance(self, seconds: float) -> int:
        """Let ``seconds`` pass, running what falls due."""
        return self.scheduler.run_for(seconds)

    # -- building ---------------------------------------------------------------------------------
    def add_function(self, name: str, handler: Any, **config: Any) -> LambdaFunction:
        """A Lambda function; ``handler`` is a callable or a ``module:function`` / ``file.py:function`` spec.
        ``config``: timeout, memory_size, reserved_concurrency, duration, aliases, maximum_retry_attempts,
        maximum_event_age, on_success, on_failure, dead_letter (names or ARNs), code_root..."""
        for key in ("on_success", "on_failure", "dead_letter"):
            if config.get(key):
                config[key] = self.arn_of(config[key])
        return self.lambda_.add(LambdaFunction(name, load_handler(handler), **config))

    def add_functions(self, mapping: Mapping[str, Any] | None) -> None:
        """``{name or ARN: handler}`` as the conformance contract's ``lambdas=`` passes them."""
        from ..services.lambda_ import split_function_name

        for key, value in (mapping or {}).items():
            if isinstance(value, LambdaFunction):
                self.lambda_.add(value, key)
            else:
                name, _ = split_function_name(key)
                self.lambda_.add(LambdaFunction(name, load_handler(value), timeout=MAX_TIMEOUT), key)

    def add_handler_folder(self, folder: str, **config: Any) -> list[str]:
        """Every ``<name>.py`` defining ``handler`` in ``folder`` becomes function ``<name>``."""
        names = []
        for name, handler in load_folder(folder).items():
            self.add_function(name, handler, code_root=str(folder), **config)
            names.append(name)
        return names

    def add_queue(self, name: str, *, redrive: tuple[str, int] | None = None, **attributes: Any):
        """A queue; ``attributes`` are SQS attribute names (``VisibilityTimeout=30``...);
        ``redrive=(dlq name or ARN, maxReceiveCount)``."""
        if redrive is not None:
            dlq, count = redrive
            attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": self.arn_of(dlq, kind="sqs"),
                                                      "maxReceiveCount": int(count)})
        return self.sqs.create_queue(name, attributes)

    def add_topic(self, name: str, **attributes: Any):
        return self.sns.create_topic(name, attributes)

    def subscribe(self, topic: str, *, queue: str | None = None, function: str | None = None,
                  callback: Callable[[Any], None] | None = None, raw: bool = False,
                  filter_policy: Mapping[str, Any] | None = None, filter_scope: str | None = None,
                  dead_letter: str | None = None):
        attributes: dict[str, Any] = {}
        if raw:
            attributes["RawMessageDelivery"] = "true"
        if filter_policy is not None:
            attributes["FilterPolicy"] = json.dumps(filter_policy)
        if filter_scope:
            attributes["FilterPolicyScope"] = filter_scope
        if dead_letter:
            attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": self.arn_of(dead_letter, kind="sqs")})
        if queue is not None:
            return self.sns.subscribe(topic, "sqs", queue, attributes)
        if function is not None:
            return self.sns.subscribe(topic, "lambda", self.arn_of(function, kind="lambda"), attributes)
        if callback is not None:
            return self.sns.subscribe(topic, "python", callback, attributes)
        raise ValueError("subscribe needs a queue, a function or a callback")

    def add_rule(self, name: str, pattern: Mapping[str, Any], targets: list[Any], *, bus: str = "default"):
        """An EventBridge rule; each target is a name/ARN of a function, queue or topic, a callable, or a
        ``{"Arn"|"function"|"queue"|"topic", "Input", "InputPath", "InputTransformer", "Id"}`` mapping."""
        self.events.create_event_bus(bus)
        built = []
        for i, target in enumerate(targets):
            if callable(target):
                built.append(Target(f"t{i}", target))
                continue
            if isinstance(target, str):
                built.append(Target(f"t{i}", self.arn_of(target)))
                continue
            ref = target.get("Arn") or target.get("arn")
            for kind in ("function", "queue", "topic"):
                if target.get(kind):
                    ref = self.arn_of(target[kind], kind={"function": "lambda", "queue": "sqs", "topic": "sns"}[kind])
            built.append(Target(str(target.get("Id", f"t{i}")), self.arn_of(ref), target.get("Input"),
                                target.get("InputPath"), target.get("InputTransformer"),
                                (target.get("SqsParameters") or {}).get("MessageGroupId")))
        return self.events.put_rule(name, pattern, bus=bus, targets=built)

    def add_event_source_mapping(self, queue: str, function: str, **options: Any):
        return self.event_sources.create(queue, function, **options)

    def add_api(self, api_id: str, *, handler: Any = None, function: str | None = None, url: str | None = None,
                rate: float = 10000.0, burst: float = 5000.0):
        fn = load_handler(handler) if handler is not None else None
        return self.apigateway.add_api(api_id, handler=fn, function=function, url=url, rate=rate, burst=burst)

    def add_state_machine(self, name_or_arn: str, definition: Any) -> str:
        """A child machine for ``states:startExecution`` (a definition, a path or a loaded machine)."""
        return self._states.add(name_or_arn, definition)

    def register(self, resolver: TaskResolver) -> "Environment":
        """An explicit resolver: it comes before everything else."""
        self.explicit.append(resolver)
        return self

    def use_mock_config(self, config: Any, state_machine: str, test_case: str) -> "Environment":
        """Serve the Task states a Step Functions Local MockConfigFile test case mocks."""
        MockConfigResolver(config, state_machine, test_case)      # validate now, fail early
        self.mock = (config, state_machine, test_case)
        return self

    def use_boto3(self, **options: Any) -> "Environment":
        """Send what no local service serves to AWS (or ``endpoint_url=``) through boto3."""
        from .boto3_ import Boto3Resolver

        self.boto3 = Boto3Resolver(callbacks=self.callbacks, **options)
        return self

    # -- the resolver list ------------------------------------------------------------------------
    def local_resolvers(self) -> list[TaskResolver]:
        return [
            LambdaResolver(self.lambda_, metadata=self.metadata, clock=self.clock, callbacks=self.callbacks),
            SqsResolver(self.sqs, callbacks=self.callbacks, metadata=self.metadata, clock=self.clock),
            SnsResolver(self.sns, callbacks=self.callbacks, metadata=self.metadata, clock=self.clock),
            EventBridgeResolver(self.events, callbacks=self.callbacks, metadata=self.metadata, clock=self.clock),
            ApiGatewayResolver(self.apigateway, callbacks=self.callbacks, metadata=self.metadata, clock=self.clock),
            self._states,
        ]

    def resolvers(self, *, lambdas: Mapping[str, Any] | None = None) -> list[TaskResolver]:
        """Explicit, mock config, local services, boto3 — the order the runtime should try them in.
        ``lambdas`` ({name or ARN: handler}) are added to the local Lambda service first."""
        if lambdas:
            self.add_functions(lambdas)
        out: list[TaskResolver] = list(self.explicit)
        if self.mock is not None:
            out.append(MockConfigResolver(*self.mock))      # passes the states it does not mock on
        out.extend(self.local_resolvers())
        if self.boto3 is not None:
            out.append(self.boto3)
        return out

    def registry(self, **kw: Any) -> ResolverRegistry:
        return ResolverRegistry(self.resolvers(**kw))

    # -- callbacks (the SendTask* API) --------------------------------------------------------------
    def send_task_success(self, token: str, output: Any) -> None:
        self.callbacks.send_task_success(token, output)

    def send_task_failure(self, token: str, error: str | None = None, cause: str | None = None) -> None:
        self.callbacks.send_task_failure(token, error, cause)

    def send_task_heartbeat(self, token: str) -> None:
        self.callbacks.send_task_heartbeat(token)

    # -- inspection -------------------------------------------------------------------------------
    def queues(self) -> dict[str, list[dict]]:
        """What is left in every queue (dead-letter queues included), oldest message first."""
        return self.sqs.snapshot()

    # -- routing deliveries (destinations, DLQs, rule targets) -------------------------------------
    def arn_of(self, ref: Any, *, kind: str | None = None) -> Any:
        """An ARN for a name: functions, queues and topics are looked up in that order (or by ``kind``)."""
        if not isinstance(ref, str) or ref.startswith("arn:"):
            return ref
        if kind in (None, "lambda") and ref in self.lambda_.functions:
            return self.lambda_.function_arn(ref)
        if kind in (None, "sqs") and ref in self.sqs.queues:
            return self.sqs.queues[ref].arn
        if kind in (None, "sns") and ref in self.sns.topics:
            return self.sns.topics[ref].arn
        if kind == "lambda":
            return self.lambda_.function_arn(ref)
        if kind == "sqs":
            return f"arn:aws:sqs:{self.region}:{self.account}:{ref}"
        if kind == "sns":
            return f"arn:aws:sns:{self.region}:{self.account}:{ref}"
        raise ValueError(f"no function, queue or topic named {ref!r}")

    def deliver(self, target: Any, payload: Any, options: Mapping[str, Any] | None = None) -> None:
        """Hand ``payload`` to a target ARN (function: async invoke; queue: a message; topic: a publish;
        event bus: an event). Used for Lambda destinations and DLQs and for EventBridge rule targets."""
        if callable(target):
            target(payload)
            return
        options = options or {}
        arn = str(target)
        service = arn.split(":")[2] if arn.count(":") >= 5 else ""
        if isinstance(payload, Mapping) and payload.get("__dlq__"):
            body, attrs = payload["body"], {k: {"DataType": "String", "StringValue": v}
                                            for k, v in payload["attributes"].items()}
        else:
            body, attrs = (payload if isinstance(payload, str) else json.dumps(payload)), None
        if service == "lambda":
            self.lambda_.invoke(arn, body.encode(), invocation_type="Event", clock=self.clock)
        elif service == "sqs":
            queue = self.sqs.get_queue(arn)
            kwargs: dict[str, Any] = {}
            if queue.fifo:
                kwargs["group_id"] = options.get("MessageGroupId") or "default"
                kwargs["dedup_id"] = hashlib.sha256(body.encode()).hexdigest()
            self.sqs.send_message(arn, body, attributes=attrs, **kwargs)
        elif service == "sns":
            self.sns.publish(arn, body, attributes=attrs)
        elif service == "events":
            self.events.put_events([{"Source": "lambda", "DetailType": "Lambda Function Invocation Result",
                                     "Detail": body, "EventBusName": arn}])
        else:
            raise ServiceError(service or "unknown", "InvalidTarget", f"cannot deliver to {arn}", 400)
