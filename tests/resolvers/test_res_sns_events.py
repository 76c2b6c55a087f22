"""SNS fan-out with filter policies, raw and enveloped delivery, FIFO topics; EventBridge rules."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, strategies as st

from asl.services.errors import ServiceError
from asl.services.patterns import PatternError, attributes_document, matches, validate

from .conftest import body, events_of, run, task_machine

PUBLISH = "arn:aws:states:::sns:publish"
PUT_EVENTS = "arn:aws:states:::events:putEvents"


def attrs(**values):
    return {k: ({"DataType": "Number", "StringValue": str(v)} if isinstance(v, (int, float))
                else {"DataType": "String", "StringValue": v}) for k, v in values.items()}


# -- patterns ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("pattern, event, expected", [
    ({"kind": ["order"]}, {"kind": "order"}, True),
    ({"kind": ["order", "refund"]}, {"kind": "refund"}, True),
    ({"kind": ["order"]}, {"kind": "other"}, False),
    ({"kind": ["order"], "amount": [{"numeric": [">", 100]}]}, {"kind": "order", "amount": 50}, False),
    ({"amount": [{"numeric": [">=", 10, "<", 20]}]}, {"amount": 10}, True),
    ({"amount": [{"numeric": ["=", 5]}]}, {"amount": 5.0}, True),
    ({"name": [{"prefix": "ord"}]}, {"name": "order-1"}, True),
    ({"name": [{"suffix": ".png"}]}, {"name": "a.PNG"}, False),
    ({"name": [{"equals-ignore-case": "ABC"}]}, {"name": "abc"}, True),
    ({"name": [{"anything-but": ["a", "b"]}]}, {"name": "c"}, True),
    ({"name": [{"anything-but": ["a", "b"]}]}, {}, False),
    ({"name": [{"anything-but": {"prefix": "test-"}}]}, {"name": "test-1"}, False),
    ({"name": [{"exists": False}]}, {}, True),
    ({"name": [{"exists": True}]}, {}, False),
    ({"tags": ["red"]}, {"tags": ["blue", "red"]}, True),
    ({"ip": [{"cidr": "10.0.0.0/24"}]}, {"ip": "10.0.0.7"}, True),
    ({"file": [{"wildcard": "dir/*.txt"}]}, {"file": "dir/a.txt"}, True),
    ({"detail": {"state": ["ok"]}}, {"detail": {"state": "ok"}}, True),
    ({"detail": {"state": ["ok"]}}, {"detail": "ok"}, False),
    ({"$or": [{"a": [1]}, {"b": [2]}]}, {"b": 2}, True),
    ({"flag": [True]}, {"flag": 1}, False),
    ({"n": [None]}, {"n": None}, True),
])
def test_pattern_semantics(pattern, event, expected):
    validate(pattern)
    assert matches(pattern, event) is expected


@pytest.mark.parametrize("pattern", [{"a": "x"}, {"a": []}, {"a": [{"prefix": 1}]}, {"a": [{"numeric": ["!", 1]}]},
                                     {"a": [{"bogus": 1}]}, {"$or": [{"a": [1]}]}, [1]])
def test_invalid_patterns_are_refused(pattern):
    with pytest.raises(PatternError):
        validate(pattern)


@given(st.dictionaries(st.sampled_from("abc"), st.integers(-5, 5), max_size=3), st.sampled_from("abc"),
       st.integers(-5, 5))
def test_exact_match_is_membership(event, key, value):
    assert matches({key: [value]}, event) is (event.get(key) == value)
    assert matches({key: [{"exists": False}]}, event) is (key not in event)


def test_attributes_as_a_document():
    doc = attributes_document({"n": {"DataType": "Number", "StringValue": "3.5"},
                               "l": {"DataType": "String.Array", "StringValue": '["x","y"]'},
                               "b": {"DataType": "Binary", "BinaryValue": b"zz"}})
    assert doc == {"n": 3.5, "l": ["x", "y"]}


# -- SNS --------------------------------------------------------------------------------------------
def test_fan_out_with_filters_raw_and_envelope(env):
    for name in ("all", "orders", "big"):
        env.add_queue(name)
    env.add_topic("shop")
    env.subscribe("shop", queue="all")
    env.subscribe("shop", queue="orders", raw=True, filter_policy={"kind": ["order"]})
    env.subscribe("shop", queue="big", filter_policy={"amount": [{"numeric": [">", 100]}]},
                  filter_scope="MessageBody")
    env.sns.publish("shop", json.dumps({"amount": 500}), attributes=attrs(kind="order"), subject="hi")
    env.sns.publish("shop", json.dumps({"amount": 5}), attributes=attrs(kind="refund"))
    env.settle()
    snapshot = env.queues()
    assert len(snapshot["all"]) == 2
    envelope = body(snapshot["all"][0])
    assert envelope["Type"] == "Notification" and envelope["Subject"] == "hi"
    assert envelope["Message"] == '{"amount": 500}'                     # the message stays a string
    assert envelope["MessageAttributes"] == {"kind": {"Type": "String", "Value": "order"}}
    assert {"Signature", "SigningCertURL", "UnsubscribeURL", "Timestamp", "TopicArn"} <= set(envelope)
    assert [m["Body"] for m in snapshot["orders"]] == ['{"amount": 500}']   # raw: the message itself
    assert snapshot["orders"][0]["MessageAttributes"]["kind"]["StringValue"] == "order"
    assert [json.loads(body(m)["Message"]) for m in snapshot["big"]] == [{"amount": 500}]


def test_lambda_subscription_gets_the_sns_event(env):
    seen = []
    env.add_function("listener", lambda event, context: seen.append(event))
    env.add_topic("t")
    env.subscribe("t", function="listener")
    env.sns.publish("t", "hello")
    env.settle()
    record = seen[0]["Records"][0]
    assert record["EventSource"] == "aws:sns" and record["Sns"]["Message"] == "hello"
    assert record["Sns"]["Subject"] is None and record["Sns"]["MessageAttributes"] == {}
    assert "SigningCertUrl" in record["Sns"] and "UnsubscribeUrl" in record["Sns"]


def test_fifo_topic_to_fifo_queue_keeps_group_order_and_deduplicates(env):
    env.add_queue("out.fifo")
    env.add_topic("events.fifo", ContentBasedDeduplication=True)
    env.subscribe("events.fifo", queue="out.fifo", raw=True)
    for text in ["1", "2", "2", "3"]:
        env.sns.publish("events.fifo", text, group_id="g")
    env.settle()
    assert [m["Body"] for m in env.queues()["out.fifo"]] == ["1", "2", "3"]
    with pytest.raises(ServiceError, match="MessageGroupId"):
        env.sns.publish("events.fifo", "x")


def test_filter_policy_limits(env):
    env.add_topic("t")
    env.add_queue("q")
    with pytest.raises(ServiceError, match="more than 5 keys"):
        env.subscribe("t", queue="q", filter_policy={k: ["x"] for k in "abcdef"})


def test_publish_task(env):
    env.add_queue("q")
    env.add_topic("t")
    env.subscribe("t", queue="q", raw=True)
    ex = run(task_machine(PUBLISH, {"TopicArn": env.sns.topics["t"].arn, "Message": {"n.$": "$.n"}}), {"n": 1}, env)
    assert ex.status == "SUCCEEDED" and set(ex.output) == {"MessageId", "SdkHttpMetadata", "SdkResponseMetadata"}
    env.settle()
    assert env.sqs.bodies("q") == ['{"n":1}']
    missing = run(task_machine(PUBLISH, {"TopicArn": "arn:aws:sns:us-east-1:111111111111:nope", "Message": "x"}),
                  {}, env)
    assert missing.error == "SNS.NotFoundException"
    assert "(Service: AmazonSNS; Status Code: 404; Error Code: NotFound;" in missing.cause


# -- EventBridge ------------------------------------------------------------------------------------
def test_rules_route_events_to_targets(env):
    got = []
    env.add_queue("orders")
    env.add_function("audit", lambda event, context: got.append(event))
    env.add_rule("orders", {"source": ["shop"], "detail": {"total": [{"numeric": [">", 10]}]}},
                 [{"queue": "orders", "InputPath": "$.detail"}, "audit"])
    response = env.events.put_events([
        {"Source": "shop", "DetailType": "Order", "Detail": json.dumps({"total": 50})},
        {"Source": "shop", "DetailType": "Order", "Detail": json.dumps({"total": 5})},
        {"Source": "shop", "DetailType": "Order", "Detail": "[not an object]"},
    ])
    assert response["FailedEntryCount"] == 1
    assert response["Entries"][2] == {"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."}
    env.settle()
    assert [json.loads(b) for b in env.sqs.bodies("orders")] == [{"total": 50}]
    assert got[0]["detail-type"] == "Order" and got[0]["source"] == "shop" and got[0]["detail"] == {"total": 50}
    assert set(got[0]) == {"version", "id", "detail-type", "source", "account", "time", "region", "resources",
                           "detail"}


def test_input_transformer(env):
    got = []
    env.add_rule("r", {"source": ["s"]}, [{"Arn": got.append, "InputTransformer": {
        "InputPathsMap": {"who": "$.detail.user"}, "InputTemplate": '{"greeting": "hi <who>"}'}}])
    env.events.put_events([{"Source": "s", "DetailType": "d", "Detail": '{"user": "ann"}'}])
    env.settle()
    assert got == [{"greeting": "hi ann"}]


def test_put_events_task_appends_the_execution_arns_and_fails_on_failed_entries(env):
    got = []
    env.add_rule("r", {"source": ["app"]}, [got.append])
    ok = run(task_machine(PUT_EVENTS, {"Entries": [{"Source": "app", "DetailType": "t", "Detail": {"a": 1}}]}),
             {}, env)
    assert ok.status == "SUCCEEDED"
    assert ok.output["FailedEntryCount"] == 0 and len(ok.output["Entries"]) == 1
    env.settle()
    assert got[0]["detail"] == {"a": 1}
    assert any(":execution:" in r for r in got[0]["resources"])
    assert any(":stateMachine:" in r for r in got[0]["resources"])
    bad = run(task_machine(PUT_EVENTS, {"Entries": [{"Source": "app", "DetailType": "t", "Detail": "x"}]}), {}, env)
    assert bad.status == "FAILED" and bad.error == "EventBridge.FailedEntry"
    assert json.loads(bad.cause) == {"Entries": [{"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is "
                                                  "malformed."}], "FailedEntryCount": 1}
    assert "TaskFailed" in events_of(bad)
