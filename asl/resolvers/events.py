"""``arn:aws:states:::events:putEvents[.waitForTaskToken]`` against the in-memory EventBridge.

Step Functions serialises an object ``Detail`` and appends the execution and state machine ARNs to
every entry's ``Resources``. When ``FailedEntryCount`` is not 0 the task fails with
``EventBridge.FailedEntry`` and the whole response as its cause (a Retry resends every entry).
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from ..errors import TaskFailed
from ..services.errors import ServiceError
from ..services.events import EventBridgeService
from . import _aws
from ._integration import IntegrationResolver, service_failure
from .base import TaskRequest


class EventBridgeResolver(IntegrationResolver):
    service_name = "events"
    actions = frozenset({"putEvents"})

    def __init__(self, service: EventBridgeService, **kw: Any):
        super().__init__(scheduler=service.scheduler, **kw)
        self.service = service

    def call(self, request: TaskRequest, clock: Any) -> Any:
        params = request.payload if isinstance(request.payload, Mapping) else {}
        entries = params.get("Entries")
        extra = _execution_arns(request.context)
        prepared = []
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, Mapping):
                prepared.append(entry)
                continue
            entry = dict(entry)
            if "Detail" in entry and not isinstance(entry["Detail"], str):
                entry["Detail"] = json.dumps(entry["Detail"], separators=(",", ":"), ensure_ascii=False)
            entry["Resources"] = list(entry.get("Resources") or []) + extra
            prepared.append(entry)
        try:
            response = self.service.put_events(prepared if isinstance(entries, list) else entries)
        except ServiceError as exc:
            raise service_failure(exc, self.service.new_uuid()) from None
        if response["FailedEntryCount"]:
            raise TaskFailed("EventBridge.FailedEntry", _aws.compact(response))
        return response


def _execution_arns(context: Any) -> list[str]:
    out = []
    if isinstance(context, Mapping):
        for section in ("Execution", "StateMachine"):
            node = context.get(section)
            arn = node.get("Id") if isinstance(node, Mapping) else None
            if isinstance(arn, str) and arn:
                out.append(arn)
    return out
