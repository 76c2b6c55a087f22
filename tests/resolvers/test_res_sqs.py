"""In-memory SQS: FIFO order and deduplication, visibility, redrive, long and short polling, limits."""
from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, settings, strategies as st

from asl.runtime.clock import VirtualClock
from asl.services.errors import ServiceError
from asl.services.scheduler import Scheduler
from asl.services.sqs import SqsService

from .conftest import START, call, events_of, run, task_machine


@pytest.fixture
def sqs() -> SqsService:
    return SqsService(scheduler=Scheduler(VirtualClock(START)), seed=3)


def receive_all(sqs: SqsService, queue: str, n: int = 10, **kw) -> list[str]:
    return [m["Body"] for m in sqs.receive_message(queue, max_messages=n, **kw).get("Messages", [])]


def test_fifo_deduplicates_by_content_within_five_minutes(sqs):
    sqs.create_queue("orders.fifo", {"ContentBasedDeduplication": "true"})
    first = sqs.send_message("orders.fifo", "order-1", group_id="g")
    again = sqs.send_message("orders.fifo", "order-1", group_id="g")
    assert again["MessageId"] == first["MessageId"]          # same-looking success...
    assert sqs.bodies("orders.fifo") == ["order-1"]          # ...but nothing enqueued
    sqs.scheduler.run_for(301)
    sqs.send_message("orders.fifo", "order-1", group_id="g")
    assert sqs.bodies("orders.fifo") == ["order-1", "order-1"]


def test_fifo_explicit_deduplication_id_and_scope(sqs):
    sqs.create_queue("q.fifo")
    sqs.send_message("q.fifo", "a", group_id="g1", dedup_id="same")
    sqs.send_message("q.fifo", "b", group_id="g2", dedup_id="same")          # queue scope: a duplicate
    assert sqs.bodies("q.fifo") == ["a"]
    sqs.create_queue("per-group.fifo", {"DeduplicationScope": "messageGroup"})
    sqs.send_message("per-group.fifo", "a", group_id="g1", dedup_id="same")
    sqs.send_message("per-group.fifo", "b", group_id="g2", dedup_id="same")  # other group: kept
    assert sqs.bodies("per-group.fifo") == ["a", "b"]


def test_fifo_requires_group_and_deduplication(sqs):
    sqs.create_queue("q.fifo")
    with pytest.raises(ServiceError, match="MessageGroupId"):
        sqs.send_message("q.fifo", "x")
    with pytest.raises(ServiceError, match="ContentBasedDeduplication"):
        sqs.send_message("q.fifo", "x", group_id="g")
    with pytest.raises(ServiceError, match="not valid for this queue type"):
        sqs.send_message("q.fifo", "x", group_id="g", dedup_id="d", delay=5)
    sqs.create_queue("std")
    with pytest.raises(ServiceError, match="MessageDeduplicationId"):
        sqs.send_message("std", "x", dedup_id="d")


def test_fifo_orders_within_a_group_and_blocks_it_while_in_flight(sqs):
    sqs.create_queue("q.fifo", {"ContentBasedDeduplication": "true", "VisibilityTimeout": "30"})
    for body, group in [("a1", "a"), ("b1", "b"), ("a2", "a"), ("b2", "b"), ("a3", "a")]:
        sqs.send_message("q.fifo", body, group_id=group)
    first = sqs.receive_message("q.fifo", max_messages=1)["Messages"]
    assert [m["Body"] for m in first] == ["a1"]
    # group "a" is blocked while a1 is in flight; group "b" still flows, in order
    assert receive_all(sqs, "q.fifo") == ["b1", "b2"]
    assert receive_all(sqs, "q.fifo") == []
    sqs.delete_message("q.fifo", first[0]["ReceiptHandle"])
    assert receive_all(sqs, "q.fifo") == ["a2", "a3"]        # a1 is done: its group flows again
    sqs.scheduler.run_for(31)                                  # nothing deleted since: all visible again
    assert receive_all(sqs, "q.fifo") == ["b1", "a2", "b2", "a3"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("xyz"), st.integers(0, 9)), min_size=1, max_size=30))
def test_fifo_delivers_each_group_in_send_order(sends):
    sqs = SqsService(scheduler=Scheduler(VirtualClock(START)))
    sqs.create_queue("p.fifo")
    for i, (group, n) in enumerate(sends):
        sqs.send_message("p.fifo", f"{group}:{i}:{n}", group_id=group, dedup_id=str(i))
    seen: list[str] = []
    while True:
        got = sqs.receive_message("p.fifo", max_messages=3).get("Messages", [])
        if not got:
            break
        for message in got:
            seen.append(message["Body"])
            sqs.delete_message("p.fifo", message["ReceiptHandle"])
    assert sorted(seen) == sorted(f"{g}:{i}:{n}" for i, (g, n) in enumerate(sends))
    for group in "xyz":
        indexes = [int(b.split(":")[1]) for b in seen if b.startswith(group)]
        assert indexes == sorted(indexes)


def test_visibility_timeout_and_receive_count(sqs):
    sqs.create_queue("jobs", {"VisibilityTimeout": "10"})
    sqs.send_message("jobs", "work")
    got = sqs.receive_message("jobs", wait_time=1, attribute_names=["All"])["Messages"][0]
    assert got["Attributes"]["ApproximateReceiveCount"] == "1"
    assert sqs.receive_message("jobs", wait_time=0) == {}
    sqs.scheduler.run_for(10)
    again = sqs.receive_message("jobs", wait_time=1, attribute_names=["ApproximateReceiveCount"])["Messages"][0]
    assert again["Attributes"] == {"ApproximateReceiveCount": "2"}
    assert again["ReceiptHandle"] != got["ReceiptHandle"]
    sqs.change_message_visibility("jobs", again["ReceiptHandle"], 0)
    assert receive_all(sqs, "jobs", wait_time=1) == ["work"]


def test_redrive_to_dead_letter_queue_after_max_receive_count(sqs):
    sqs.create_queue("dlq")
    dlq_arn = sqs.get_queue("dlq").arn
    sqs.create_queue("jobs", {"VisibilityTimeout": "5",
                              "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3})})
    sqs.send_message("jobs", "poison")
    deliveries = 0
    for _ in range(5):
        deliveries += len(receive_all(sqs, "jobs", wait_time=1))
        sqs.scheduler.run_for(5)
    assert deliveries == 3
    assert sqs.bodies("jobs") == []
    moved = sqs.receive_message("dlq", wait_time=1, attribute_names=["All"])["Messages"][0]
    assert moved["Body"] == "poison"
    assert moved["Attributes"]["DeadLetterQueueSourceArn"] == sqs.get_queue("jobs").arn


def test_redrive_policy_validation(sqs):
    sqs.create_queue("dlq.fifo")
    with pytest.raises(ServiceError, match="maxReceiveCount: 0"):
        sqs.create_queue("a", {"RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:1:dlq.fifo",
                                                 "maxReceiveCount": 0}})
    with pytest.raises(ServiceError, match="same type"):
        sqs.create_queue("a", {"RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:1:dlq.fifo",
                                                 "maxReceiveCount": 2}})


def test_long_polling_waits_on_the_clock_for_a_delayed_message(sqs):
    sqs.create_queue("slow")
    sqs.send_message("slow", "late", delay=8)
    assert receive_all(sqs, "slow", wait_time=0) == []
    assert receive_all(sqs, "slow", wait_time=20) == ["late"]
    assert sqs.scheduler.now() == START + 8                    # returned as soon as it arrived


def test_long_polling_returns_empty_after_the_wait(sqs):
    sqs.create_queue("empty", {"ReceiveMessageWaitTimeSeconds": "20"})
    assert sqs.receive_message("empty") == {}
    assert sqs.scheduler.now() == START + 20


def test_short_polling_samples_servers_and_may_miss_messages(sqs):
    sqs.create_queue("few")
    for i in range(3):
        sqs.send_message("few", f"m{i}")
    short = [len(receive_all(sqs, "few", n=10, visibility_timeout=0)) for _ in range(30)]
    assert min(short) < 3                 # some short polls see only part of the queue (some none at all)
    assert len(receive_all(sqs, "few", n=10, wait_time=1, visibility_timeout=0)) == 3


def test_sizes_characters_and_parameters(sqs):
    sqs.create_queue("small", {"MaximumMessageSize": "1024"})
    with pytest.raises(ServiceError, match="shorter than 1024 bytes"):
        sqs.send_message("small", "x" * 1025)
    with pytest.raises(ServiceError, match="Invalid characters"):
        sqs.send_message("small", "bad \u0001")
    with pytest.raises(ServiceError, match="MessageBody"):
        sqs.send_message("small", "")
    with pytest.raises(ServiceError, match="between 1 and 10"):
        sqs.receive_message("small", max_messages=11)
    with pytest.raises(ServiceError) as err:
        sqs.send_message("missing", "x")
    assert err.value.exception == "QueueDoesNotExistException"


def test_md5_of_body_and_attributes(sqs):
    sqs.create_queue("q")
    response = sqs.send_message("q", "hello", attributes={"k": {"DataType": "String", "StringValue": "v"}})
    assert response["MD5OfMessageBody"] == hashlib.md5(b"hello").hexdigest()
    # the attribute digest follows SQS's encoding: length-prefixed name, type, transport byte, value
    expected = hashlib.md5(b"\x00\x00\x00\x01k" b"\x00\x00\x00\x06String" b"\x01" b"\x00\x00\x00\x01v").hexdigest()
    assert response["MD5OfMessageAttributes"] == expected
    got = sqs.receive_message("q", wait_time=1, message_attribute_names=["All"])["Messages"][0]
    assert got["MessageAttributes"] == {"k": {"DataType": "String", "StringValue": "v"}}
    assert got["MD5OfMessageAttributes"] == expected


def test_send_message_task(env):
    env.add_queue("jobs")
    env.add_queue("jobs.fifo", ContentBasedDeduplication=True)
    url = env.sqs.get_queue_url("jobs")
    ex = run(task_machine("arn:aws:states:::sqs:sendMessage",
                          {"QueueUrl": url, "MessageBody": {"id.$": "$.id"},
                           "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "order"}}}),
             {"id": 42}, env)
    assert ex.status == "SUCCEEDED", ex.cause
    assert set(ex.output) == {"MD5OfMessageBody", "MD5OfMessageAttributes", "MessageId", "SdkHttpMetadata",
                              "SdkResponseMetadata"}
    assert env.sqs.bodies("jobs") == ['{"id":42}']
    fifo = run(task_machine("arn:aws:states:::sqs:sendMessage",
                            {"QueueUrl": env.sqs.get_queue_url("jobs.fifo"), "MessageBody": "x",
                             "MessageGroupId": "g"}), {}, env)
    assert fifo.output["SequenceNumber"].isdigit()


def test_send_message_task_errors_are_named_as_step_functions_names_them(env):
    ex = run(task_machine("arn:aws:states:::sqs:sendMessage",
                          {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/111111111111/nope", "MessageBody": "x"}),
             {}, env)
    assert ex.status == "FAILED" and ex.error == "SQS.QueueDoesNotExistException"
    assert "(Service: AmazonSQS; Status Code: 400; Error Code: AWS.SimpleQueueService.NonExistentQueue;" in ex.cause
    env.add_queue("q")
    missing_body = run(task_machine("arn:aws:states:::sqs:sendMessage", {"QueueUrl": "q"}), {}, env)
    assert missing_body.error == "SQS.AmazonSQSException"
    assert missing_body.cause.startswith("The request must contain the parameter MessageBody. (Service: AmazonSQS; "
                                         "Status Code: 400; Error Code: MissingParameter; Request ID: ")
    assert "TaskFailed" in events_of(missing_body)


def test_resolver_without_runtime(env):
    env.add_queue("q")
    sqs_resolver = env.local_resolvers()[1]
    result = call(sqs_resolver, "arn:aws:states:::sqs:sendMessage", {"QueueUrl": "q", "MessageBody": [1, 2]})
    assert result["MessageId"] and env.sqs.bodies("q") == ["[1,2]"]
