"""Lambda event-source mappings from SQS: a poller that invokes a function with batches of messages.

As on AWS: when messages become visible the poller receives up to ``batch_size`` of them and invokes the
function synchronously with ``{"Records": [...]}``. Success deletes the batch (with
``ReportBatchItemFailures`` only the messages not listed in ``batchItemFailures``); a function error or a
throttle leaves the messages in flight, so they come back after the queue's visibility timeout, are
received again and — once the queue's ``maxReceiveCount`` is used up — end in its dead-letter queue.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from .lambda_ import LambdaApiError, LambdaService
from .ids import seeded_uuid
from .sqs import Message, Queue, SqsService


@dataclass
class EventSourceMapping:
    queue: str
    function: str
    batch_size: int = 10
    report_batch_item_failures: bool = False
    enabled: bool = True
    uuid: str = ""
    invocations: int = 0
    failures: int = 0
    throttles: int = 0


class EventSourceMappings:
    """The pollers of one environment."""

    def __init__(self, sqs: SqsService, lambda_: LambdaService, *, seed: int = 0):
        self.sqs = sqs
        self.lambda_ = lambda_
        self.mappings: list[EventSourceMapping] = []
        self._rng = random.Random(seed)          # mapping UUIDs: the same seed, the same ids

    def create(self, queue: str, function: str, *, batch_size: int = 10,
               report_batch_item_failures: bool = False, enabled: bool = True) -> EventSourceMapping:
        q = self.sqs.get_queue(queue)
        self.lambda_.resolve(function)
        limit = 10 if q.fifo else 10000
        if not 1 <= int(batch_size) <= limit:
            raise ValueError(f"BatchSize must be between 1 and {limit} for queue {q.name}")
        mapping = EventSourceMapping(q.name, function, int(batch_size), report_batch_item_failures, enabled,
                                     seeded_uuid(self._rng))
        self.mappings.append(mapping)
        self.sqs.on_message(q.name, lambda _queue, m=mapping: self.poll(m))
        if q.messages:
            self.sqs.scheduler.call_later(0.0, lambda m=mapping: self.poll(m), f"esm {q.name}")
        return mapping

    def poll(self, mapping: EventSourceMapping) -> None:
        """One poll: receive a batch and invoke; re-poll at once while visible messages remain."""
        if not mapping.enabled:
            return
        queue = self.sqs.get_queue(mapping.queue)
        batch: list[Message] = []
        while len(batch) < mapping.batch_size:
            got = self.sqs.poll(queue.name, min(10, mapping.batch_size - len(batch)))
            if not got:
                break
            batch.extend(got)
        if not batch:
            return
        event = {"Records": [self.record(queue, m) for m in batch]}
        mapping.invocations += 1
        try:
            result = self.lambda_.invoke(mapping.function, json.dumps(event).encode(),
                                         clock=self.sqs.scheduler.clock, advance_clock=False)
        except LambdaApiError:
            mapping.throttles += 1
            return                                  # messages reappear after the visibility timeout
        if result.function_error:
            mapping.failures += 1
            return
        failed: set[str] = set()
        if mapping.report_batch_item_failures:
            try:
                response = json.loads(result.payload or b"null")
            except ValueError:
                response = None
            if isinstance(response, dict) and isinstance(response.get("batchItemFailures"), list):
                failed = {str(item.get("itemIdentifier")) for item in response["batchItemFailures"]
                          if isinstance(item, dict)}
        for message in batch:
            if message.message_id not in failed:
                self.sqs.delete_message(queue.name, message.receipt_handle)
        if any(m.visible_at <= self.sqs.scheduler.now() for m in queue.messages):
            self.sqs.scheduler.call_later(0.0, lambda: self.poll(mapping), f"esm {queue.name}")

    def record(self, queue: Queue, message: Message) -> dict:
        """One SQS record of the Lambda event."""
        attributes = self.sqs.system_attributes(queue, message)
        record: dict[str, Any] = {
            "messageId": message.message_id,
            "receiptHandle": message.receipt_handle,
            "body": message.body,
            "attributes": attributes,
            "messageAttributes": {
                name: {"stringValue": a.get("StringValue"), "stringListValues": [], "binaryListValues": [],
                       "dataType": a.get("DataType", "String"),
                       **({"binaryValue": a["BinaryValue"]} if "BinaryValue" in a else {})}
                for name, a in message.attributes.items()
            },
            "md5OfBody": message.md5_body,
            "eventSource": "aws:sqs",
            "eventSourceARN": queue.arn,
            "awsRegion": self.sqs.region,
        }
        if message.md5_attributes:
            record["md5OfMessageAttributes"] = message.md5_attributes
        return record
