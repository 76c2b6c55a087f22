"""In-memory Amazon SQS: standard and FIFO queues with the behaviours workflows depend on.

* Standard queues: at-least-once, best-effort order; short polling samples a subset of the queue's
  (simulated) servers, so a receive may come back empty while messages wait — long polling
  (``WaitTimeSeconds`` 1..20, or the queue's ``ReceiveMessageWaitTimeSeconds``) asks every server and
  waits on the clock until a message arrives.
* FIFO queues (``.fifo``): ``MessageGroupId`` required; ``MessageDeduplicationId`` or content-based
  deduplication (SHA-256 of the body) within a 5-minute window (scope queue or message group) — a
  duplicate send succeeds but enqueues nothing; strict order within a group, and no message of a group
  is delivered while an earlier one of that group is in flight.
* Visibility timeout (queue default 30 s, per-receive override, ``ChangeMessageVisibility``), delays,
  retention, message attributes with their MD5s, size limits (1 MiB), and redrive: a message received
  ``maxReceiveCount`` times moves to the dead-letter queue on the next receive.

Time is the scheduler's clock; nothing here sleeps.
"""
from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import struct
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .errors import ServiceError
from .ids import seeded_uuid
from .scheduler import Scheduler

DEDUP_WINDOW = 300.0
MAX_ATTRIBUTES = 10
SERVERS = 3

QUEUE_DEFAULTS = {
    "DelaySeconds": "0",
    "MaximumMessageSize": "1048576",
    "MessageRetentionPeriod": "345600",
    "ReceiveMessageWaitTimeSeconds": "0",
    "VisibilityTimeout": "30",
}
_RANGES = {
    "DelaySeconds": (0, 900),
    "MaximumMessageSize": (1024, 1048576),
    "MessageRetentionPeriod": (60, 1209600),
    "ReceiveMessageWaitTimeSeconds": (0, 20),
    "VisibilityTimeout": (0, 43200),
}
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_VALID_CHARS = re.compile("^[\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*$")


def _err(code: str, message: str, status: int = 400, exception: str | None = None) -> ServiceError:
    return ServiceError("sqs", code, message, status, exception or "AmazonSQSException")


def _invalid(name: str, value: Any, reason: str) -> ServiceError:
    return _err("InvalidParameterValue", f"Value {value} for parameter {name} is invalid. Reason: {reason}")


@dataclass
class Message:
    message_id: str
    body: str
    attributes: dict
    md5_body: str
    md5_attributes: str | None
    sent_at: float
    visible_at: float
    group_id: str | None = None
    dedup_id: str | None = None
    sequence_number: str | None = None
    receive_count: int = 0
    first_receive_at: float | None = None
    receipt_handle: str | None = None
    in_flight: bool = False
    system: dict = field(default_factory=dict)


@dataclass
class Queue:
    name: str
    url: str
    arn: str
    attributes: dict
    created_at: float
    messages: list = field(default_factory=list)
    dedup: dict = field(default_factory=dict)          # (scope key) -> expiry
    sequence: int = 0

    @property
    def fifo(self) -> bool:
        return self.name.endswith(".fifo")

    def attr(self, name: str) -> int:
        return int(self.attributes.get(name, QUEUE_DEFAULTS.get(name, "0")))

    @property
    def redrive(self) -> dict | None:
        text = self.attributes.get("RedrivePolicy")
        if not text:
            return None
        policy = json.loads(text) if isinstance(text, str) else dict(text)
        return policy


def md5_of_attributes(attributes: Mapping[str, Any] | None) -> str | None:
    """SQS's MD5 over message attributes (sorted names; length-prefixed name, type, transport, value)."""
    if not attributes:
        return None
    digest = hashlib.md5()
    for name in sorted(attributes):
        attr = attributes[name]
        kind = str(attr.get("DataType", "String"))
        _put(digest, name.encode())
        _put(digest, kind.encode())
        if kind.startswith("Binary"):
            digest.update(b"\x02")
            value = attr.get("BinaryValue", b"")
            if isinstance(value, str):
                value = base64.b64decode(value)
            _put(digest, value)
        else:
            digest.update(b"\x01")
            _put(digest, str(attr.get("StringValue", "")).encode())
    return digest.hexdigest()


def _put(digest: Any, data: bytes) -> None:
    digest.update(struct.pack(">I", len(data)))
    digest.update(data)


def _attributes_size(attributes: Mapping[str, Any] | None) -> int:
    size = 0
    for name, attr in (attributes or {}).items():
        size += len(name.encode()) + len(str(attr.get("DataType", "")).encode())
        value = attr.get("StringValue", attr.get("BinaryValue", ""))
        size += len(value if isinstance(value, bytes) else str(value).encode())
    return size


class SqsService:
    """Queues of one account/region, on a scheduler."""

    def __init__(self, *, region: str = "us-east-1", account: str = "111111111111", seed: int = 0,
                 scheduler: Scheduler | None = None, short_poll_sampling: bool = True):
        self.region = region
        self.account = account
        self.scheduler = scheduler or Scheduler()
        self.queues: dict[str, Queue] = {}
        self.short_poll_sampling = short_poll_sampling
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._listeners: dict[str, list[Callable[[Queue], None]]] = {}
        self._dedup_ids: dict[tuple, str] = {}        # (queue, dedup scope) -> the first message id

    # -- queues -----------------------------------------------------------------------------------
    def create_queue(self, name: str, attributes: Mapping[str, Any] | None = None) -> Queue:
        attrs = {k: _attr_text(v) for k, v in (attributes or {}).items()}
        if not _NAME.match(name.removesuffix(".fifo")):
            raise _err("InvalidParameterValue", "Can only include alphanumeric characters, hyphens, or underscores. "
                                                "1 to 80 in length")
        fifo_attr = attrs.pop("FifoQueue", None)
        if name.endswith(".fifo") != (fifo_attr == "true") and fifo_attr is not None:
            raise _err("InvalidParameterValue", "The name of a FIFO queue can only include alphanumeric characters, "
                                                "hyphens, or underscores, must end with .fifo suffix")
        for key, (low, high) in _RANGES.items():
            if key in attrs:
                try:
                    value = int(attrs[key])
                except ValueError:
                    value = None
                if value is None or not low <= value <= high:
                    raise _err("InvalidAttributeValue", f"Invalid value for the parameter {key}.")
        if "RedrivePolicy" in attrs:
            self._check_redrive(name, attrs["RedrivePolicy"])
        with self._lock:
            existing = self.queues.get(name)
            if existing is not None:
                if any(existing.attributes.get(k) != v for k, v in attrs.items()):
                    raise _err("QueueAlreadyExists", "A queue already exists with the same name and a different "
                                                     "value for attribute(s)", exception="QueueNameExistsException")
                return existing
            url = f"https://sqs.{self.region}.amazonaws.com/{self.account}/{name}"
            arn = f"arn:aws:sqs:{self.region}:{self.account}:{name}"
            queue = Queue(name, url, arn, attrs, self.scheduler.now())
            if name.endswith(".fifo"):
                queue.attributes["FifoQueue"] = "true"
            self.queues[name] = queue
            return queue

    def _check_redrive(self, name: str, text: str) -> None:
        try:
            policy = json.loads(text)
            count = int(policy["maxReceiveCount"])
            target = policy["deadLetterTargetArn"]
        except (ValueError, KeyError, TypeError):
            raise _err("InvalidParameterValue", "Value for parameter RedrivePolicy is invalid. Reason: Redrive "
                                                "policy is not a valid JSON map.") from None
        if not 1 <= count <= 1000:
            raise _err("InvalidParameterValue", f"Value {text} for parameter RedrivePolicy is invalid. Reason: "
                                                f"Invalid value for maxReceiveCount: {count}, valid values are from "
                                                "1 to 1000 both inclusive.")
        dlq = self.queues.get(str(target).rsplit(":", 1)[-1])
        if dlq is None:
            raise _err("InvalidParameterValue", f"Value {text} for parameter RedrivePolicy is invalid. Reason: "
                                                "Dead letter target does not exist.")
        if dlq.fifo != name.endswith(".fifo"):
            raise _err("InvalidParameterValue", f"Value {text} for parameter RedrivePolicy is invalid. Reason: "
                                                "Dead-letter queue must be same type of queue as the source.")

    def set_queue_attributes(self, ref: str, attributes: Mapping[str, Any]) -> None:
        queue = self.get_queue(ref)
        attrs = {k: _attr_text(v) for k, v in attributes.items()}
        if "RedrivePolicy" in attrs:
            self._check_redrive(queue.name, attrs["RedrivePolicy"])
        queue.attributes.update(attrs)

    def get_queue(self, ref: str) -> Queue:
        """A queue by URL, ARN or name."""
        name = str(ref).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] if ref else ""
        queue = self.queues.get(name)
        if queue is None:
            raise _err("AWS.SimpleQueueService.NonExistentQueue",
                       "The specified queue does not exist.", exception="QueueDoesNotExistException")
        return queue

    def get_queue_url(self, name: str) -> str:
        return self.get_queue(name).url

    def on_message(self, ref: str, listener: Callable[[Queue], None]) -> None:
        """Call ``listener(queue)`` whenever a message is enqueued (event-source mappings use it)."""
        self._listeners.setdefault(self.get_queue(ref).name, []).append(listener)

    # -- send -------------------------------------------------------------------------------------
    def send_message(self, ref: str, body: Any, *, attributes: Mapping[str, Any] | None = None,
                     delay: int | None = None, group_id: str | None = None, dedup_id: str | None = None,
                     system_attributes: Mapping[str, Any] | None = None, source_arn: str | None = None) -> dict:
        """SendMessage: the response ``{MD5OfMessageBody, MessageId, [MD5OfMessageAttributes], [SequenceNumber]}``."""
        queue = self.get_queue(ref)
        if body is None or body == "":
            raise _err("MissingParameter", "The request must contain the parameter MessageBody.")
        if not isinstance(body, str):
            raise _invalid("MessageBody", body, "Message body must be a string.")
        if not _VALID_CHARS.match(body):
            raise _err("InvalidMessageContents", "Invalid characters found. Valid unicode characters are #x9 | #xA | "
                                                 "#xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")
        attributes = dict(attributes or {})
        if len(attributes) > MAX_ATTRIBUTES:
            raise _err("InvalidParameterValue", f"Number of message attributes [{len(attributes)}] exceeds the "
                                                f"allowed maximum [{MAX_ATTRIBUTES}].")
        for name, attr in attributes.items():
            if not isinstance(attr, Mapping) or "DataType" not in attr:
                raise _err("InvalidParameterValue", f"The message attribute '{name}' must contain non-empty message "
                                                    "attribute value for message attribute type 'String'.")
        size = len(body.encode("utf-8")) + _attributes_size(attributes)
        limit = queue.attr("MaximumMessageSize")
        if size > limit:
            raise _err("InvalidParameterValue", "One or more parameters are invalid. Reason: Message must be shorter "
                                                f"than {limit} bytes.")
        if queue.fifo:
            if delay is not None and int(delay) != 0:
                raise _invalid("DelaySeconds", delay, "The request include parameter that is not valid for this "
                                                      "queue type.")
            if not group_id:
                raise _err("MissingParameter", "The request must contain the parameter MessageGroupId.")
            if dedup_id is None:
                if queue.attributes.get("ContentBasedDeduplication") != "true":
                    raise _err("InvalidParameterValue", "The queue should either have ContentBasedDeduplication "
                                                        "enabled or MessageDeduplicationId provided explicitly")
                dedup_id = hashlib.sha256(body.encode("utf-8")).hexdigest()
        else:
            if dedup_id is not None:
                raise _invalid("MessageDeduplicationId", dedup_id, "The request include parameter that is not valid "
                                                                   "for this queue type")
            if delay is not None and not 0 <= int(delay) <= 900:
                raise _invalid("DelaySeconds", delay, "Must be >= 0 and <= 900, if provided.")
        now = self.scheduler.now()
        md5_body = hashlib.md5(body.encode("utf-8")).hexdigest()
        md5_attrs = md5_of_attributes(attributes)
        with self._lock:
            message_id = self.new_uuid()
            response: dict[str, Any] = {"MD5OfMessageBody": md5_body}
            if md5_attrs:
                response["MD5OfMessageAttributes"] = md5_attrs
            if queue.fifo:
                scope = (group_id if queue.attributes.get("DeduplicationScope") == "messageGroup" else "", dedup_id)
                queue.dedup = {k: v for k, v in queue.dedup.items() if v > now}
                seen = queue.dedup.get(scope)
                queue.sequence += 1
                sequence = f"{18_000_000_000_000_000_000 + queue.sequence * 65536:020d}"
                if seen is not None:
                    # a duplicate: same-looking success, nothing enqueued
                    response["MessageId"] = self._dedup_ids.get((queue.name, scope), message_id)
                    response["SequenceNumber"] = sequence
                    return response
                queue.dedup[scope] = now + DEDUP_WINDOW
                self._dedup_ids[(queue.name, scope)] = message_id
            else:
                sequence = None
            wait = int(delay) if delay is not None else queue.attr("DelaySeconds")
            message = Message(message_id, body, attributes, md5_body, md5_attrs, now, now + wait, group_id,
                              dedup_id if queue.fifo else None, sequence)
            message.system = {k: v for k, v in (system_attributes or {}).items()}
            if source_arn:
                message.system["DeadLetterQueueSourceArn"] = source_arn
            queue.messages.append(message)
            response["MessageId"] = message_id
            if sequence is not None:
                response["SequenceNumber"] = sequence
        self._notify(queue, message.visible_at)
        return response

    def _notify(self, queue: Queue, when: float) -> None:
        listeners = self._listeners.get(queue.name)
        if not listeners:
            return
        for listener in listeners:
            self.scheduler.call_at(when, lambda listener=listener: listener(queue), f"sqs {queue.name} visible")

    def new_uuid(self) -> str:
        """A request or message id from the service's seeded source."""
        with self._lock:
            return seeded_uuid(self._rng)

    # -- receive ----------------------------------------------------------------------------------
    def receive_message(self, ref: str, *, max_messages: int = 1, visibility_timeout: int | None = None,
                        wait_time: int | None = None, attribute_names: list[str] | None = None,
                        message_attribute_names: list[str] | None = None) -> dict:
        """ReceiveMessage: ``{"Messages": [...]}`` (no ``Messages`` key when nothing was received)."""
        queue = self.get_queue(ref)
        if not 1 <= int(max_messages) <= 10:
            raise _invalid("MaxNumberOfMessages", max_messages, "Must be between 1 and 10, if provided.")
        wait = queue.attr("ReceiveMessageWaitTimeSeconds") if wait_time is None else int(wait_time)
        if not 0 <= wait <= 20:
            raise _invalid("WaitTimeSeconds", wait, "Must be >= 0 and <= 20, if provided.")
        if visibility_timeout is not None and not 0 <= int(visibility_timeout) <= 43200:
            raise _invalid("VisibilityTimeout", visibility_timeout, "Must be >= 0 and <= 43200, if provided.")
        self.scheduler.run_due()
        taken = self._take(queue, int(max_messages), visibility_timeout, sample=wait == 0)
        if not taken and wait > 0:
            deadline = self.scheduler.now() + wait
            while not taken:
                upcoming = [t for t in (self.scheduler.next_time(), self._next_visible(queue)) if t is not None]
                step = min(upcoming) if upcoming else None
                if step is None or step > deadline:
                    self.scheduler.run_until(deadline)
                    break
                self.scheduler.run_until(step)
                taken = self._take(queue, int(max_messages), visibility_timeout, sample=False)
        if not taken:
            return {}
        return {"Messages": [self._render(queue, m, attribute_names, message_attribute_names) for m in taken]}

    def poll(self, ref: str, max_messages: int = 10, visibility_timeout: int | None = None) -> list[Message]:
        """What a Lambda event-source poller receives: up to ``max_messages`` visible messages
        (every server is asked, as the poller long-polls); they are in flight afterwards."""
        queue = self.get_queue(ref)
        return self._take(queue, int(max_messages), visibility_timeout, sample=False)

    def _next_visible(self, queue: Queue) -> float | None:
        now = self.scheduler.now()
        times = [m.visible_at for m in queue.messages if m.visible_at > now]
        return min(times) if times else None

    def _take(self, queue: Queue, limit: int, visibility: int | None, *, sample: bool) -> list[Message]:
        now = self.scheduler.now()
        retention = queue.attr("MessageRetentionPeriod")
        timeout = queue.attr("VisibilityTimeout") if visibility is None else int(visibility)
        redrive = queue.redrive
        taken: list[Message] = []
        with self._lock:
            queue.messages = [m for m in queue.messages if now - m.sent_at < retention]
            servers = self._sample_servers() if (sample and self.short_poll_sampling and not queue.fifo) else None
            blocked: set[str] = set()
            for message in list(queue.messages):
                if len(taken) >= limit:
                    break
                visible = message.visible_at <= now
                if message.in_flight and visible:
                    message.in_flight = False          # visibility timeout expired: back in the queue
                if queue.fifo:
                    if message.group_id in blocked:
                        continue
                    if not visible:
                        blocked.add(message.group_id)
                        continue
                elif not visible:
                    continue
                if servers is not None and self._server_of(message) not in servers:
                    continue
                if redrive and message.receive_count >= int(redrive["maxReceiveCount"]):
                    self._move_to_dlq(queue, message, redrive["deadLetterTargetArn"])
                    continue
                message.receive_count += 1
                if message.first_receive_at is None:
                    message.first_receive_at = now
                message.visible_at = now + timeout
                message.in_flight = True
                message.receipt_handle = self._receipt_handle(queue, message)
                taken.append(message)
        for message in taken:
            if timeout >= 0:
                self._notify(queue, message.visible_at)
        return taken

    def _sample_servers(self) -> set[int]:
        chosen = {s for s in range(SERVERS) if self._rng.random() < 0.67}
        return chosen or {self._rng.randrange(SERVERS)}

    @staticmethod
    def _server_of(message: Message) -> int:
        return int(hashlib.md5(message.message_id.encode()).hexdigest(), 16) % SERVERS

    def _receipt_handle(self, queue: Queue, message: Message) -> str:
        raw = f"{queue.arn} {message.message_id} {message.receive_count} {self._rng.getrandbits(64)}"
        return base64.b64encode(raw.encode()).decode()

    def _move_to_dlq(self, queue: Queue, message: Message, target: str) -> None:
        queue.messages.remove(message)
        dlq = self.get_queue(target)
        now = self.scheduler.now()
        moved = Message(message.message_id, message.body, message.attributes, message.md5_body,
                        message.md5_attributes, message.sent_at, now, message.group_id, message.dedup_id,
                        message.sequence_number)
        moved.system = dict(message.system, DeadLetterQueueSourceArn=queue.arn)
        dlq.messages.append(moved)
        self._notify(dlq, now)

    def _render(self, queue: Queue, message: Message, names: list[str] | None,
                attribute_names: list[str] | None) -> dict:
        out: dict[str, Any] = {"MessageId": message.message_id, "ReceiptHandle": message.receipt_handle,
                               "MD5OfBody": message.md5_body, "Body": message.body}
        wanted = set(names or [])
        attrs = self.system_attributes(queue, message)
        if wanted:
            out["Attributes"] = attrs if "All" in wanted else {k: v for k, v in attrs.items() if k in wanted}
        selected = _select_attributes(message.attributes, attribute_names)
        if selected:
            out["MD5OfMessageAttributes"] = md5_of_attributes(selected)
            out["MessageAttributes"] = selected
        return out

    def system_attributes(self, queue: Queue, message: Message) -> dict:
        attrs = {
            "SenderId": f"AIDA{self.account}",
            "ApproximateFirstReceiveTimestamp": str(int((message.first_receive_at or message.sent_at) * 1000)),
            "ApproximateReceiveCount": str(message.receive_count),
            "SentTimestamp": str(int(message.sent_at * 1000)),
        }
        if queue.fifo:
            attrs["SequenceNumber"] = message.sequence_number
            attrs["MessageGroupId"] = message.group_id
            attrs["MessageDeduplicationId"] = message.dedup_id
        for key, value in message.system.items():
            attrs[key] = value if isinstance(value, str) else str(value)
        return attrs

    # -- delete / visibility / purge ---------------------------------------------------------------
    def _by_handle(self, queue: Queue, handle: str) -> Message | None:
        for message in queue.messages:
            if message.receipt_handle == handle:
                return message
        return None

    def delete_message(self, ref: str, receipt_handle: str) -> None:
        queue = self.get_queue(ref)
        with self._lock:
            message = self._by_handle(queue, receipt_handle)
            if message is None:
                if not _looks_like_handle(receipt_handle):
                    raise _err("ReceiptHandleIsInvalid", f'The input receipt handle "{receipt_handle}" is not a '
                                                         "valid receipt handle.", exception="ReceiptHandleIsInvalidException")
                return                      # a stale handle "succeeds" without deleting
            queue.messages.remove(message)

    def change_message_visibility(self, ref: str, receipt_handle: str, timeout: int) -> None:
        queue = self.get_queue(ref)
        if not 0 <= int(timeout) <= 43200:
            raise _invalid("VisibilityTimeout", timeout, "Must be >= 0 and <= 43200, if provided.")
        with self._lock:
            message = self._by_handle(queue, receipt_handle)
            now = self.scheduler.now()
            if message is None or not message.in_flight or message.visible_at <= now:
                raise _err("MessageNotInflight", "Message does not exist or is not available for visibility "
                                                 "timeout change.", exception="MessageNotInflightException")
            message.visible_at = now + int(timeout)
        self._notify(queue, message.visible_at)

    def purge_queue(self, ref: str) -> None:
        queue = self.get_queue(ref)
        with self._lock:
            queue.messages.clear()

    def get_queue_attributes(self, ref: str, names: list[str] | None = None) -> dict:
        queue = self.get_queue(ref)
        now = self.scheduler.now()
        visible = sum(1 for m in queue.messages if m.visible_at <= now)
        in_flight = sum(1 for m in queue.messages if m.in_flight and m.visible_at > now)
        delayed = sum(1 for m in queue.messages if not m.in_flight and m.visible_at > now)
        attrs = dict(QUEUE_DEFAULTS)
        attrs.update(queue.attributes)
        attrs.update({
            "QueueArn": queue.arn,
            "ApproximateNumberOfMessages": str(visible),
            "ApproximateNumberOfMessagesNotVisible": str(in_flight),
            "ApproximateNumberOfMessagesDelayed": str(delayed),
            "CreatedTimestamp": str(int(queue.created_at)),
            "LastModifiedTimestamp": str(int(queue.created_at)),
        })
        if not names or "All" in names:
            return attrs
        return {k: v for k, v in attrs.items() if k in names}

    # -- inspection -------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, list[dict]]:
        """Every queue's remaining messages (for ``--show-queues`` and tests), oldest first."""
        out: dict[str, list[dict]] = {}
        for name, queue in sorted(self.queues.items()):
            out[name] = [{"MessageId": m.message_id, "Body": m.body,
                          "ReceiveCount": m.receive_count, "InFlight": m.in_flight,
                          **({"MessageGroupId": m.group_id} if m.group_id else {}),
                          **({"MessageAttributes": m.attributes} if m.attributes else {}),
                          **({"DeadLetterQueueSourceArn": m.system["DeadLetterQueueSourceArn"]}
                             if "DeadLetterQueueSourceArn" in m.system else {})}
                         for m in queue.messages]
        return out

    def bodies(self, ref: str) -> list[str]:
        return [m.body for m in self.get_queue(ref).messages]


def _attr_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _select_attributes(attributes: Mapping[str, Any], names: list[str] | None) -> dict:
    if not attributes or not names:
        return {}
    out = {}
    for name, value in attributes.items():
        for wanted in names:
            if wanted in ("All", ".*") or wanted == name or (wanted.endswith(".*") and name.startswith(wanted[:-1])):
                out[name] = value
                break
    return out


def _looks_like_handle(handle: Any) -> bool:
    if not isinstance(handle, str) or not handle:
        return False
    try:
        return base64.b64decode(handle.encode(), validate=True).startswith(b"arn:")
    except ValueError:
        return False
