"""In-memory Amazon EventBridge: buses, rules with event patterns, targets (Lambda, SQS, SNS, Python).

``put_events`` validates each entry on its own (a bad entry fails alone, with AWS's error code), builds
the event as targets see it (``version``, ``id``, ``detail-type``, ``source``, ``account``, ``time``,
``region``, ``resources``, ``detail``) and schedules one delivery per matching rule target. Targets may
reshape the event with ``Input`` (constant JSON text), ``InputPath`` or ``InputTransformer``
(``InputPathsMap`` + ``InputTemplate`` with ``<name>`` placeholders).
"""
from __future__ import annotations

import json
import random
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..runtime import clock as clocks
from .errors import ServiceError
from .ids import seeded_uuid
from .patterns import PatternError, matches, validate
from .scheduler import Scheduler

MAX_REQUEST = 256 * 1024


@dataclass
class Target:
    id: str
    arn: Any                          # ARN string, or a Python callable receiving the event
    input: str | None = None
    input_path: str | None = None
    input_transformer: dict | None = None
    message_group_id: str | None = None      # SqsParameters for FIFO queues


@dataclass
class Rule:
    name: str
    bus: str
    pattern: dict
    targets: list = field(default_factory=list)
    enabled: bool = True


@dataclass
class Dispatch:
    rule: str
    target: str
    event_id: str
    delivered: bool
    error: str | None = None


class EventBridgeService:
    """Event buses of one account/region; ``deliver(target_arn, payload)`` is wired by the Environment."""

    def __init__(self, *, region: str = "us-east-1", account: str = "111111111111", seed: int = 0,
                 scheduler: Scheduler | None = None, deliver: Callable[[str, Any, Mapping[str, Any]], None] | None = None):
        self.region = region
        self.account = account
        self.scheduler = scheduler or Scheduler()
        self.deliver = deliver
        self.buses: dict[str, list[Rule]] = {"default": []}
        self.events: list[dict] = []             # every accepted event, in order
        self.dispatches: list[Dispatch] = []
        self._rng = random.Random(seed)
        self._lock = threading.RLock()

    def new_uuid(self) -> str:
        """A request or event id from the service's seeded source."""
        with self._lock:
            return seeded_uuid(self._rng)

    def bus_arn(self, name: str) -> str:
        return f"arn:aws:events:{self.region}:{self.account}:event-bus/{name}"

    def create_event_bus(self, name: str) -> str:
        self.buses.setdefault(name, [])
        return self.bus_arn(name)

    def put_rule(self, name: str, pattern: Mapping[str, Any] | str, *, bus: str = "default",
                 targets: list[Target | Mapping[str, Any]] | None = None) -> Rule:
        try:
            validate(pattern)
        except PatternError as exc:
            raise ServiceError("events", "InvalidEventPatternException", f"Event pattern is not valid. Reason: {exc}",
                               400) from None
        pattern = json.loads(pattern) if isinstance(pattern, str) else dict(pattern)
        bus = _bus_name(bus)
        rules = self.buses.setdefault(bus, [])
        rule = Rule(name, bus, pattern)
        rules[:] = [r for r in rules if r.name != name] + [rule]
        for target in targets or []:
            self.put_target(name, target, bus=bus)
        return rule

    def put_target(self, rule_name: str, target: Target | Mapping[str, Any], *, bus: str = "default") -> Target:
        if not isinstance(target, Target):
            target = Target(str(target.get("Id", f"t{len(self._rule(rule_name, bus).targets)}")), target["Arn"],
                            target.get("Input"), target.get("InputPath"), target.get("InputTransformer"),
                            (target.get("SqsParameters") or {}).get("MessageGroupId"))
        self._rule(rule_name, bus).targets.append(target)
        return target

    def _rule(self, name: str, bus: str) -> Rule:
        for rule in self.buses.get(_bus_name(bus), []):
            if rule.name == name:
                return rule
        raise ServiceError("events", "ResourceNotFoundException", f"Rule {name} does not exist on EventBus {bus}.", 400)

    # -- put_events -------------------------------------------------------------------------------
    def put_events(self, entries: list[Mapping[str, Any]]) -> dict:
        """PutEvents: ``{"Entries": [{"EventId"} | {"ErrorCode", "ErrorMessage"}], "FailedEntryCount": n}``."""
        if not isinstance(entries, list) or not 1 <= len(entries) <= 10:
            raise ServiceError("events", "ValidationException",
                               "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member "
                               "must have length less than or equal to 10", 400)
        size = sum(_entry_size(e) for e in entries if isinstance(e, Mapping))
        if size > MAX_REQUEST:
            raise ServiceError("events", "ValidationException", "Total size of the entries in the request is over "
                                                                "the limit.", 400)
        now = self.scheduler.now()
        results: list[dict] = []
        failed = 0
        for entry in entries:
            problem = _check_entry(entry)
            if problem is not None:
                failed += 1
                results.append({"ErrorCode": problem[0], "ErrorMessage": problem[1]})
                continue
            event_id = self.new_uuid()
            event = {
                "version": "0",
                "id": event_id,
                "detail-type": entry["DetailType"],
                "source": entry["Source"],
                "account": self.account,
                "time": entry.get("Time") or clocks.iso8601_seconds(now),
                "region": self.region,
                "resources": list(entry.get("Resources") or []),
                "detail": json.loads(entry["Detail"]),
            }
            bus = _bus_name(entry.get("EventBusName") or "default")
            if bus not in self.buses:
                failed += 1
                results.append({"ErrorCode": "InternalFailure",
                                "ErrorMessage": f"Event bus {bus} does not exist."})
                continue
            self.events.append({"bus": bus, **event})
            results.append({"EventId": event_id})
            for rule in self.buses[bus]:
                if rule.enabled and matches(rule.pattern, event):
                    for target in rule.targets:
                        self.scheduler.call_later(0.0, lambda r=rule, t=target, e=event: self._dispatch(r, t, e),
                                                  f"events {rule.name} -> {target.id}")
        return {"Entries": results, "FailedEntryCount": failed}

    def _dispatch(self, rule: Rule, target: Target, event: dict) -> None:
        try:
            payload = transform(target, event)
            if callable(target.arn):
                target.arn(payload)
            elif self.deliver is not None:
                self.deliver(target.arn, payload, {"MessageGroupId": target.message_group_id})
            self.dispatches.append(Dispatch(rule.name, target.id, event["id"], True))
        except ServiceError as exc:
            self.dispatches.append(Dispatch(rule.name, target.id, event["id"], False, f"{exc.code}: {exc.message}"))


def _bus_name(value: str) -> str:
    return str(value).rsplit("/", 1)[-1]


def _entry_size(entry: Mapping[str, Any]) -> int:
    size = 14 if entry.get("Time") else 0
    for key in ("Source", "DetailType", "Detail"):
        value = entry.get(key)
        if isinstance(value, str):
            size += len(value.encode())
    for resource in entry.get("Resources") or []:
        size += len(str(resource).encode())
    return size


def _check_entry(entry: Any) -> tuple[str, str] | None:
    if not isinstance(entry, Mapping):
        return "InvalidArgument", "Entry must be an object."
    for key in ("Source", "DetailType", "Detail"):
        if not isinstance(entry.get(key), str) or not entry.get(key):
            return "InvalidArgument", f"Parameter {key} is not valid. Reason: {key} is a required argument."
    if entry["Source"].startswith("aws."):
        return "NotAuthorizedForSourceException", "Not authorized for the source."
    if len(entry["DetailType"]) > 128:
        return "InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is too long."
    try:
        detail = json.loads(entry["Detail"])
    except ValueError:
        return "MalformedDetail", "Detail is malformed."
    if not isinstance(detail, dict):
        return "MalformedDetail", "Detail is malformed."
    return None


_PATH_STEP = re.compile(r"\.([A-Za-z0-9_\-]+)|\[(\d+)\]")


def _select(document: Any, path: str) -> Any:
    """A value by a simple JSONPath (``$.detail.items[0].id``); None when absent."""
    if path in ("$", ""):
        return document
    value = document
    for name, index in _PATH_STEP.findall(path[1:]):
        if name:
            value = value.get(name) if isinstance(value, Mapping) else None
        else:
            value = value[int(index)] if isinstance(value, list) and int(index) < len(value) else None
        if value is None:
            return None
    return value


def transform(target: Target, event: dict) -> Any:
    """The payload a target receives: the event, ``Input``, ``InputPath`` or ``InputTransformer``."""
    if target.input is not None:
        return json.loads(target.input) if isinstance(target.input, str) else target.input
    if target.input_path:
        return _select(event, target.input_path)
    if target.input_transformer:
        paths = target.input_transformer.get("InputPathsMap") or {}
        template = str(target.input_transformer.get("InputTemplate", ""))
        values = {name: _select(event, path) for name, path in paths.items()}

        def fill(match: re.Match) -> str:
            name = match.group(1)
            if name == "aws.events.event.json":
                return json.dumps(event)
            if name not in values:
                return match.group(0)
            value = values[name]
            return value if isinstance(value, str) else json.dumps(value)

        text = re.sub(r"<([A-Za-z0-9_.\-]+)>", fill, template)
        try:
            return json.loads(text)
        except ValueError:
            return text
    return event
