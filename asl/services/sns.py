"""In-memory Amazon SNS: topics, SQS and Lambda subscriptions, fan-out with filter policies.

Every matching subscription gets its own copy. SQS subscribers receive the JSON envelope
(``Type: Notification``, ``MessageId``, ``TopicArn``, ``Message``, ``Timestamp``, signature fields,
``MessageAttributes`` as ``{Type, Value}``) or, with ``RawMessageDelivery``, the message itself with its
attributes as SQS message attributes. Lambda subscribers are invoked asynchronously with the
``{"Records": [{"EventSource": "aws:sns", ..., "Sns": {...}}]}`` event. FIFO topics (``.fifo``) require a
``MessageGroupId``, deduplicate within 5 minutes and forward group and deduplication ids to SQS FIFO
subscribers. Deliveries are scheduled (at once) on the scheduler, like SNS's own asynchronous delivery;
a delivery that fails on the client side goes to the subscription's dead-letter queue when it has one.
"""
from __future__ import annotations

import base64
import hashlib
import json
import random
import threading
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..runtime import clock as clocks
from .errors import ServiceError
from .ids import seeded_uuid
from .patterns import PatternError, attributes_document, matches, validate
from .scheduler import Scheduler

MAX_MESSAGE = 262144
DEDUP_WINDOW = 300.0


def _err(code: str, message: str, status: int = 400, exception: str | None = None) -> ServiceError:
    return ServiceError("sns", code, message, status, exception or f"{code}Exception")


@dataclass
class Subscription:
    arn: str
    topic_arn: str
    protocol: str                      # sqs | lambda | python
    endpoint: Any                      # queue ARN / function ARN / callable
    attributes: dict = field(default_factory=dict)

    @property
    def raw(self) -> bool:
        return str(self.attributes.get("RawMessageDelivery", "false")).lower() == "true"

    @property
    def filter_policy(self) -> dict | None:
        text = self.attributes.get("FilterPolicy")
        if not text:
            return None
        return json.loads(text) if isinstance(text, str) else dict(text)

    @property
    def filter_scope(self) -> str:
        return self.attributes.get("FilterPolicyScope", "MessageAttributes")


@dataclass
class Topic:
    name: str
    arn: str
    attributes: dict = field(default_factory=dict)
    subscriptions: list = field(default_factory=list)
    dedup: dict = field(default_factory=dict)
    sequence: int = 0

    @property
    def fifo(self) -> bool:
        return self.name.endswith(".fifo")


@dataclass
class Delivery:
    """One copy of one message handed (or refused) to one subscription — kept for inspection."""

    topic: str
    subscription: str
    protocol: str
    message_id: str
    delivered: bool
    error: str | None = None


class SnsService:
    """Topics of one account/region. ``sqs`` and ``lambda_`` are the services subscribers live in."""

    def __init__(self, *, region: str = "us-east-1", account: str = "111111111111", seed: int = 0,
                 scheduler: Scheduler | None = None, sqs: Any = None, lambda_: Any = None):
        self.region = region
        self.account = account
        self.scheduler = scheduler or Scheduler()
        self.sqs = sqs
        self.lambda_ = lambda_
        self.topics: dict[str, Topic] = {}
        self.deliveries: list[Delivery] = []
        self._rng = random.Random(seed)
        self._lock = threading.RLock()

    def new_uuid(self) -> str:
        """A request, message or subscription id from the service's seeded source."""
        with self._lock:
            return seeded_uuid(self._rng)

    # -- topics and subscriptions -----------------------------------------------------------------
    def create_topic(self, name: str, attributes: Mapping[str, Any] | None = None) -> Topic:
        with self._lock:
            topic = self.topics.get(name)
            if topic is None:
                attrs = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in (attributes or {}).items()}
                if name.endswith(".fifo"):
                    attrs["FifoTopic"] = "true"
                elif attrs.get("FifoTopic") == "true":
                    raise _err("InvalidParameter", "Invalid parameter: Fifo Topic names must end with .fifo and "
                                                   "must be made up of only uppercase and lowercase ASCII letters, "
                                                   "numbers, underscores, and hyphens, and must be between 1 and 256 "
                                                   "characters long.")
                topic = Topic(name, f"arn:aws:sns:{self.region}:{self.account}:{name}", attrs)
                self.topics[name] = topic
            return topic

    def get_topic(self, ref: str) -> Topic:
        name = str(ref or "").rsplit(":", 1)[-1]
        topic = self.topics.get(name)
        if topic is None:
            raise _err("NotFound", "Topic does not exist", 404)
        return topic

    def subscribe(self, topic_ref: str, protocol: str, endpoint: Any,
                  attributes: Mapping[str, Any] | None = None) -> Subscription:
        topic = self.get_topic(topic_ref)
        protocol = protocol.lower()
        if protocol not in ("sqs", "lambda", "python"):
            raise _err("InvalidParameter", f"Invalid parameter: Protocol (local emulation supports sqs, lambda "
                                           f"and python, not {protocol})")
        attrs = {}
        for key, value in (attributes or {}).items():
            attrs[key] = json.dumps(value) if isinstance(value, (dict, list)) else (
                str(value).lower() if isinstance(value, bool) else str(value))
        if "FilterPolicy" in attrs:
            try:
                validate(attrs["FilterPolicy"], max_keys=5 if attrs.get("FilterPolicyScope") != "MessageBody" else None,
                         max_combinations=150)
            except PatternError as exc:
                raise _err("InvalidParameter", f"Invalid parameter: FilterPolicy: {exc}") from None
        if attrs.get("RawMessageDelivery") == "true" and protocol not in ("sqs", "python"):
            raise _err("InvalidParameter", "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value "
                                           "[true]. Must be false.")
        if protocol == "sqs" and self.sqs is not None:
            endpoint = self.sqs.get_queue(endpoint).arn
        subscription = Subscription(f"{topic.arn}:{self.new_uuid()}", topic.arn, protocol, endpoint, attrs)
        topic.subscriptions.append(subscription)
        return subscription

    # -- publish ----------------------------------------------------------------------------------
    def publish(self, topic_ref: str, message: Any, *, subject: str | None = None,
                attributes: Mapping[str, Any] | None = None, message_structure: str | None = None,
                group_id: str | None = None, dedup_id: str | None = None) -> dict:
        """Publish: ``{"MessageId"[, "SequenceNumber"]}``; deliveries are scheduled at once."""
        topic = self.get_topic(topic_ref)
        if message is None or message == "":
            raise _err("InvalidParameter", "Invalid parameter: Empty message")
        if not isinstance(message, str):
            raise _err("InvalidParameter", "Invalid parameter: Message must be a string")
        attributes = dict(attributes or {})
        size = len(message.encode()) + sum(len(k) + len(json.dumps(v)) for k, v in attributes.items())
        if size > MAX_MESSAGE:
            raise _err("InvalidParameter", "Invalid parameter: Message too long")
        if subject is not None and (not subject or len(subject) >= 100 or "\n" in subject):
            raise _err("InvalidParameter", "Invalid parameter: Subject")
        per_protocol = None
        if message_structure == "json":
            try:
                per_protocol = json.loads(message)
            except ValueError:
                per_protocol = None
            if not isinstance(per_protocol, dict) or not isinstance(per_protocol.get("default"), str):
                raise _err("InvalidParameter", "Invalid parameter: Message Structure - No default entry in JSON "
                                               "message body")
        if topic.fifo:
            if not group_id:
                raise _err("InvalidParameter", "Invalid parameter: The MessageGroupId parameter is required for "
                                               "FIFO topics")
            if dedup_id is None:
                if topic.attributes.get("ContentBasedDeduplication") != "true":
                    raise _err("InvalidParameter", "Invalid parameter: The topic should either have "
                                                   "ContentBasedDeduplication enabled or MessageDeduplicationId "
                                                   "provided explicitly")
                dedup_id = hashlib.sha256(message.encode()).hexdigest()
        elif dedup_id is not None:
            raise _err("InvalidParameter", "Invalid parameter: MessageDeduplicationId Reason: The request includes "
                                           "MessageDeduplicationId parameter that is not valid for this topic type")
        now = self.scheduler.now()
        message_id = self.new_uuid()
        response: dict[str, Any] = {"MessageId": message_id}
        if topic.fifo:
            with self._lock:
                topic.dedup = {k: v for k, v in topic.dedup.items() if v[0] > now}
                topic.sequence += 1
                response["SequenceNumber"] = f"{10_000_000_000_000_000_000 + topic.sequence:020d}"
                scope = (group_id if topic.attributes.get("FifoThroughputScope") == "MessageGroup" else "", dedup_id)
                if scope in topic.dedup:
                    response["MessageId"] = topic.dedup[scope][1]
                    return response
                topic.dedup[scope] = (now + DEDUP_WINDOW, message_id)
        published = {
            "message_id": message_id, "message": message, "subject": subject, "attributes": attributes,
            "per_protocol": per_protocol, "group_id": group_id, "dedup_id": dedup_id,
            "sequence": response.get("SequenceNumber"), "timestamp": clocks.iso8601(now),
        }
        for subscription in list(topic.subscriptions):
            if not self._passes(subscription, published):
                continue
            self.scheduler.call_later(0.0, lambda s=subscription: self._deliver(topic, s, published),
                                      f"sns {topic.name} -> {subscription.protocol}")
        return response

    def _passes(self, subscription: Subscription, published: dict) -> bool:
        policy = subscription.filter_policy
        if policy is None:
            return True
        if subscription.filter_scope == "MessageBody":
            try:
                body = json.loads(published["message"])
            except ValueError:
                return False
            return matches(policy, body)
        return matches(policy, attributes_document(published["attributes"]))

    def _text_for(self, protocol: str, published: dict) -> str:
        per = published["per_protocol"]
        if per is not None:
            value = per.get(protocol, per["default"])
            return value if isinstance(value, str) else json.dumps(value)
        return published["message"]

    def envelope(self, topic: Topic, subscription: Subscription, published: dict, *, lambda_style: bool = False) -> dict:
        """The JSON notification SNS wraps a message in (SQS/HTTP style, or the Lambda event's ``Sns``)."""
        base = f"https://sns.{self.region}.amazonaws.com"
        signature = base64.b64encode(hashlib.sha256(published["message_id"].encode()).digest()).decode()
        doc: dict[str, Any] = {"Type": "Notification", "MessageId": published["message_id"]}
        if topic.fifo:
            doc["SequenceNumber"] = published["sequence"]
        doc["TopicArn"] = topic.arn
        if lambda_style:
            doc["Subject"] = published["subject"]
        elif published["subject"] is not None:
            doc["Subject"] = published["subject"]
        doc["Message"] = self._text_for("lambda" if lambda_style else subscription.protocol, published)
        doc["Timestamp"] = published["timestamp"]
        if not topic.fifo or lambda_style:
            doc["SignatureVersion"] = topic.attributes.get("SignatureVersion", "1")
            doc["Signature"] = signature
            doc["SigningCertUrl" if lambda_style else "SigningCertURL"] = (
                f"{base}/SimpleNotificationService-0000000000000000000000.pem")
            doc["UnsubscribeUrl" if lambda_style else "UnsubscribeURL"] = (
                f"{base}/?Action=Unsubscribe&SubscriptionArn={subscription.arn}")
        attrs = {name: {"Type": a.get("DataType", "String"),
                        "Value": a.get("StringValue", a.get("BinaryValue"))}
                 for name, a in published["attributes"].items()}
        if attrs or lambda_style:
            doc["MessageAttributes"] = attrs
        return doc

    def _deliver(self, topic: Topic, subscription: Subscription, published: dict) -> None:
        try:
            if subscription.protocol == "sqs":
                self._to_sqs(topic, subscription, published)
            elif subscription.protocol == "lambda":
                event = {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
                                      "EventSubscriptionArn": subscription.arn,
                                      "Sns": self.envelope(topic, subscription, published, lambda_style=True)}]}
                self.lambda_.invoke(subscription.endpoint, json.dumps(event).encode(), invocation_type="Event",
                                    clock=self.scheduler.clock)
            else:
                subscription.endpoint(self.envelope(topic, subscription, published) if not subscription.raw
                                      else published["message"])
            self.deliveries.append(Delivery(topic.name, subscription.arn, subscription.protocol,
                                            published["message_id"], True))
        except ServiceError as exc:
            self.deliveries.append(Delivery(topic.name, subscription.arn, subscription.protocol,
                                            published["message_id"], False, f"{exc.code}: {exc.message}"))
            self._dead_letter(subscription, published)

    def _to_sqs(self, topic: Topic, subscription: Subscription, published: dict) -> None:
        queue = self.sqs.get_queue(subscription.endpoint)
        if subscription.raw:
            body = self._text_for("sqs", published)
            attributes = {k: dict(v) for k, v in published["attributes"].items()}
            if len(attributes) > 10:
                raise _err("InvalidParameter", "Too many message attributes for raw delivery")
        else:
            body = json.dumps(self.envelope(topic, subscription, published))
            attributes = None
        kwargs: dict[str, Any] = {}
        if queue.fifo:
            kwargs["group_id"] = published["group_id"] or "default"
            kwargs["dedup_id"] = published["dedup_id"] or hashlib.sha256(body.encode()).hexdigest()
        elif published["group_id"]:
            kwargs["group_id"] = published["group_id"]
        self.sqs.send_message(queue.name, body, attributes=attributes, **kwargs)

    def _dead_letter(self, subscription: Subscription, published: dict) -> None:
        policy = subscription.attributes.get("RedrivePolicy")
        if not policy or self.sqs is None:
            return
        target = json.loads(policy).get("deadLetterTargetArn")
        try:
            self.sqs.send_message(target, published["message"])
        except ServiceError:
            pass
