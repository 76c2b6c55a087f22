"""``arn:aws:states:::events:putEvents[.waitForTaskToken]`` against the in-memory EventBridge.

Step Functions serialises an object ``Detail`` and appends the execution and state machine ARNs to
every entry's ``Resources``. When ``FailedEntryCount`` is not 0 the task fails with
``EventBridge.FailedEntry`` and the whole response as its cause (a Retry resends every entry).
"""
from __future__ import annotations

from typing import Any, Mapping

from ..errors import TaskFailed
from ..services.errors import ServiceError
from ..services.events import EventBridgeService
from . import _aws
from ._integration import ServiceResolver, service_failure
from .base import TaskRequest


class EventBridgeResolver(ServiceResolver):
    service_name = "events"
    actions = frozenset({"putEvents"})
    service: EventBridgeService

    def call(self, request: TaskRequest, clock: Any) -> Any:
        params = self.parameters(request)
        entries = params.get("Entries")
        extra = _aws.execution_arns(request.context)
        prepared = []
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, Mapping):
                prepared.append(entry)
                continue
            entry = dict(entry)
            if "Detail" in entry and not isinstance(entry["Detail"], str):
                entry["Detail"] = _aws.compact(entry["Detail"])
            entry["Resources"] = list(entry.get("Resources") or []) + extra
            prepared.append(entry)
        try:
            response = self.service.put_events(prepared if isinstance(entries, list) else entries)
        except ServiceError as exc:
            raise service_failure(exc, self.service.new_uuid()) from None
        if response["FailedEntryCount"]:
            raise TaskFailed("EventBridge.FailedEntry", _aws.compact(response))
        return response

