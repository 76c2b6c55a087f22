"""Environment files: a YAML or JSON description of the local AWS a workflow runs against.

```yaml
region: us-east-1                # defaults: us-east-1, account 111111111111, seed 0
account: "111111111111"
seed: 7
account_concurrency: 1000
handlers_dir: handlers           # every handlers/<name>.py defining handler() is function <name>
functions:
  worker:
    handler: handlers/worker.py:handler      # or pkg.module:function
    timeout: 30                              # seconds (AWS default 3)
    memory_size: 256
    reserved_concurrency: 1
    duration: 2.5                            # simulated run time of each invocation
    maximum_retry_attempts: 2                # async (Event) invocations
    maximum_event_age: 3600
    on_success: audit-queue                  # names or ARNs of functions, queues, topics
    on_failure: failures-queue
    dead_letter: worker-dlq
queues:
  jobs-dlq: {}
  jobs:
    VisibilityTimeout: 30                    # any SQS attribute, by its AWS name
    redrive: {dead_letter: jobs-dlq, max_receive_count: 3}
  orders.fifo:
    ContentBasedDeduplication: true
topics:
  notifications:
    subscriptions:
      - {queue: jobs, raw: true, filter_policy: {kind: [order]}}
      - {function: worker, filter_policy: {amount: [{numeric: [">", 100]}]}, filter_scope: MessageBody}
rules:
  - name: orders
    bus: default
    pattern: {source: [shop]}
    targets: [{function: worker}, {queue: jobs, InputPath: $.detail}]
event_source_mappings:
  - {queue: jobs, function: worker, batch_size: 5, report_batch_item_failures: true}
apis:
  shop: {handler: handlers/api.py:handler, rate: 10, burst: 5}   # or function: NAME, or url: https://...
state_machines:
  child: child.asl.json                      # for states:startExecution (by name or ARN)
mock_config: MockConfigFile.json             # optional, with test_case (and state_machine)
test_case: HappyPath
```

Paths are relative to the file. Unknown keys are errors, so typos do not silently change a run.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from ..services.handlers import HandlerNotFound, load_handler
from ..services.errors import ServiceError
from .environment import Environment


class EnvFileError(ValueError):
    """An environment file that cannot be used (with the place in the file that is wrong)."""


_TOP = {"region", "account", "seed", "account_concurrency", "metadata", "short_poll_sampling", "handlers_dir",
        "functions", "queues", "topics", "rules", "event_source_mappings", "apis", "state_machines",
        "mock_config", "test_case", "state_machine"}
_FUNCTION = {"handler", "timeout", "memory_size", "memory", "runtime", "reserved_concurrency", "duration", "aliases",
             "version", "environment", "code_root", "timeout_error_type", "maximum_retry_attempts",
             "maximum_event_age", "on_success", "on_failure", "dead_letter"}


def read_env_data(path: str | Path) -> dict:
    """The decoded file (YAML or JSON)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise EnvFileError(f"{path}: cannot read the environment file: {exc.strerror}") from None
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            from .yaml_text import load_yaml

            data = load_yaml(text)
    except Exception as exc:  # noqa: BLE001 - any parser error is a file problem for the user
        raise EnvFileError(f"{path}: not valid {'JSON' if p.suffix.lower() == '.json' else 'YAML'}: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise EnvFileError(f"{path}: the environment file must be a mapping at the top level")
    return dict(data)


def load_environment(source: str | Path | Mapping[str, Any], *, base_dir: str | Path | None = None,
                     clock: Any = None, **overrides: Any) -> Environment:
    """An :class:`Environment` from a file path or an already decoded mapping."""
    if isinstance(source, Mapping):
        data, where, base = dict(source), "environment", Path(base_dir or ".")
    else:
        data, where, base = read_env_data(source), str(source), Path(base_dir or Path(source).parent)
    try:
        return _build(data, where, base, clock, overrides)
    except (ServiceError, HandlerNotFound, ValueError, TypeError, KeyError) as exc:
        if isinstance(exc, EnvFileError):
            raise
        message = exc.message if isinstance(exc, ServiceError) else str(exc)
        raise EnvFileError(f"{where}: {message}") from None


def _check_keys(where: str, data: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise EnvFileError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; expected some of "
                           f"{', '.join(sorted(allowed))}")


def _mapping(where: str, value: Any) -> dict:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise EnvFileError(f"{where}: expected a mapping")
    return dict(value)


def _list(where: str, value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise EnvFileError(f"{where}: expected a list")
    return value


def _build(data: dict, where: str, base: Path, clock: Any, overrides: dict) -> Environment:
    _check_keys(where, data, _TOP)
    options = {k: data[k] for k in ("region", "account", "seed", "account_concurrency", "metadata",
                                    "short_poll_sampling") if k in data}
    if "account" in options:
        options["account"] = str(options["account"])
    options.update(overrides)
    env = Environment(clock=clock, **options)
    # queues first (functions' destinations and redrive policies refer to them)
    queues = _mapping(f"{where}: queues", data.get("queues"))
    pending = dict(queues)
    while pending:                       # dead-letter queues before the queues that name them
        progressed = False
        for name, spec in list(pending.items()):
            spec = _mapping(f"{where}: queues.{name}", spec)
            redrive = spec.get("redrive")
            target = (redrive or {}).get("dead_letter") if isinstance(redrive, Mapping) else None
            if target and target not in env.sqs.queues and target in pending and target != name:
                continue
            _add_queue(env, f"{where}: queues.{name}", name, spec)
            del pending[name]
            progressed = True
        if not progressed:
            raise EnvFileError(f"{where}: queues: the dead-letter queues form a cycle: {', '.join(pending)}")
    for name, spec in _mapping(f"{where}: topics", data.get("topics")).items():
        spec = _mapping(f"{where}: topics.{name}", spec)
        subscriptions = spec.pop("subscriptions", [])
        fifo = spec.pop("fifo", None)
        if fifo is not None:
            spec["FifoTopic"] = bool(fifo)
        del subscriptions                       # subscribed once functions exist, below
        env.add_topic(name, **spec)
    if data.get("handlers_dir"):
        env.add_handler_folder(str(base / str(data["handlers_dir"])))
    for name, spec in _mapping(f"{where}: functions", data.get("functions")).items():
        here = f"{where}: functions.{name}"
        if isinstance(spec, str):
            spec = {"handler": spec}
        spec = _mapping(here, spec)
        _check_keys(here, spec, _FUNCTION)
        if "handler" not in spec:
            raise EnvFileError(f"{here}: 'handler' is required (module:function or file.py:function)")
        handler = _handler(spec.pop("handler"), base)
        if "memory" in spec:
            spec["memory_size"] = spec.pop("memory")
        env.add_function(name, handler, **spec)
    for name, spec in _mapping(f"{where}: topics", data.get("topics")).items():
        for i, sub in enumerate(_list(f"{where}: topics.{name}.subscriptions", (spec or {}).get("subscriptions"))):
            here = f"{where}: topics.{name}.subscriptions[{i}]"
            sub = _mapping(here, sub)
            _check_keys(here, sub, {"queue", "function", "raw", "filter_policy", "filter_scope", "dead_letter"})
            env.subscribe(name, queue=sub.get("queue"), function=sub.get("function"), raw=bool(sub.get("raw")),
                          filter_policy=sub.get("filter_policy"), filter_scope=sub.get("filter_scope"),
                          dead_letter=sub.get("dead_letter"))
    for i, rule in enumerate(_list(f"{where}: rules", data.get("rules"))):
        here = f"{where}: rules[{i}]"
        rule = _mapping(here, rule)
        _check_keys(here, rule, {"name", "bus", "pattern", "targets"})
        env.add_rule(str(rule.get("name", f"rule{i}")), rule.get("pattern") or {}, _list(here, rule.get("targets")),
                     bus=str(rule.get("bus", "default")))
    for i, mapping in enumerate(_list(f"{where}: event_source_mappings", data.get("event_source_mappings"))):
        here = f"{where}: event_source_mappings[{i}]"
        mapping = _mapping(here, mapping)
        _check_keys(here, mapping, {"queue", "function", "batch_size", "report_batch_item_failures", "enabled"})
        env.add_event_source_mapping(mapping["queue"], mapping["function"],
                                     batch_size=int(mapping.get("batch_size", 10)),
                                     report_batch_item_failures=bool(mapping.get("report_batch_item_failures")),
                                     enabled=bool(mapping.get("enabled", True)))
    for name, spec in _mapping(f"{where}: apis", data.get("apis")).items():
        here = f"{where}: apis.{name}"
        spec = _mapping(here, spec)
        _check_keys(here, spec, {"handler", "function", "url", "rate", "burst"})
        env.add_api(name, handler=_handler(spec["handler"], base) if "handler" in spec else None,
                    function=spec.get("function"), url=spec.get("url"), rate=float(spec.get("rate", 10000)),
                    burst=float(spec.get("burst", 5000)))
    for name, definition in _mapping(f"{where}: state_machines", data.get("state_machines")).items():
        if isinstance(definition, str) and not definition.lstrip().startswith("{"):
            definition = str(base / definition)
        env.add_state_machine(name, definition)
    if data.get("mock_config"):
        if not data.get("test_case"):
            raise EnvFileError(f"{where}: mock_config needs test_case (and state_machine unless --name is given)")
        # applied by the CLI (which knows the state machine's name) or by use_mock_config
        env.mock_defaults = {"config": str(base / str(data["mock_config"])), "test_case": str(data["test_case"]),
                             "state_machine": data.get("state_machine")}
    return env


def _add_queue(env: Environment, where: str, name: str, spec: dict) -> None:
    redrive = spec.pop("redrive", None)
    pair = None
    if redrive is not None:
        if not isinstance(redrive, Mapping) or "dead_letter" not in redrive:
            raise EnvFileError(f"{where}.redrive: needs dead_letter (and max_receive_count)")
        pair = (str(redrive["dead_letter"]), int(redrive.get("max_receive_count", 3)))
    env.add_queue(name, redrive=pair, **spec)


def _handler(spec: Any, base: Path) -> Any:
    if not isinstance(spec, str):
        raise EnvFileError(f"handler must be a string (module:function or file.py:function), not {spec!r}")
    return load_handler(spec, base_dir=base)
