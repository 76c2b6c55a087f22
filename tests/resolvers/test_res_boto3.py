"""The boto3 resolver against moto's server on loopback (skipped when moto is not installed)."""
from __future__ import annotations

import json
import socket

import pytest

pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

from asl.resolvers.boto3_ import Boto3Resolver  # noqa: E402

from .conftest import call  # noqa: E402

REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint():
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws(endpoint, monkeypatch):
    import boto3

    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(key, value)
    session = boto3.session.Session(region_name=REGION)
    resolver = Boto3Resolver(session=session, endpoint_url=endpoint, region=REGION)
    return resolver, session, endpoint


def test_sqs_send_message(aws):
    resolver, session, endpoint = aws
    sqs = session.client("sqs", endpoint_url=endpoint)
    url = sqs.create_queue(QueueName="boto-jobs")["QueueUrl"]
    result = call(resolver, "arn:aws:states:::sqs:sendMessage", {"QueueUrl": url, "MessageBody": {"a": 1}})
    assert result["MessageId"] and result["SdkHttpMetadata"]["HttpStatusCode"] == 200
    got = sqs.receive_message(QueueUrl=url)["Messages"][0]
    assert json.loads(got["Body"]) == {"a": 1}


def test_sqs_missing_queue_is_named_as_step_functions_names_it(aws):
    resolver, _, endpoint = aws
    failed = call(resolver, "arn:aws:states:::sqs:sendMessage",
                  {"QueueUrl": f"{endpoint}/123456789012/does-not-exist", "MessageBody": "x"})
    assert failed[0] == "FAILED" and failed[1].startswith("SQS.")
    assert "(Service: AmazonSQS; Status Code: 400;" in failed[2]


def test_sns_publish_and_events(aws):
    resolver, session, endpoint = aws
    topic = session.client("sns", endpoint_url=endpoint).create_topic(Name="boto-topic")["TopicArn"]
    assert call(resolver, "arn:aws:states:::sns:publish", {"TopicArn": topic, "Message": {"x": 1}})["MessageId"]
    result = call(resolver, "arn:aws:states:::events:putEvents",
                  {"Entries": [{"Source": "app", "DetailType": "t", "Detail": {"k": "v"}}]})
    assert result["FailedEntryCount"] == 0 and "EventId" in result["Entries"][0]


def test_aws_sdk_integration_pascal_case_in_and_out(aws):
    resolver, session, endpoint = aws
    s3 = session.client("s3", endpoint_url=endpoint)
    s3.create_bucket(Bucket="boto-bucket")
    put = call(resolver, "arn:aws:states:::aws-sdk:s3:putObject",
               {"Bucket": "boto-bucket", "Key": "k.txt", "Body": "hello"})
    assert "ETag" in put
    got = call(resolver, "arn:aws:states:::aws-sdk:s3:getObject", {"Bucket": "boto-bucket", "Key": "k.txt"})
    assert got["Body"] == "hello"
    missing = call(resolver, "arn:aws:states:::aws-sdk:s3:getObject", {"Bucket": "boto-bucket", "Key": "nope"})
    assert missing[:2] == ("FAILED", "S3.NoSuchKeyException")
    assert "(Service: S3, Status Code: 404" in missing[2]


def test_unreachable_endpoint_is_an_sdk_client_exception(monkeypatch):
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    from botocore.config import Config

    resolver = Boto3Resolver(session=boto3.session.Session(region_name=REGION),
                             endpoint_url=f"http://127.0.0.1:{_free_port()}", region=REGION,
                             client_options={"config": Config(retries={"max_attempts": 0}, connect_timeout=1)})
    failed = call(resolver, "arn:aws:states:::sqs:sendMessage", {"QueueUrl": "q", "MessageBody": "x"})
    assert failed[:2] == ("FAILED", "SQS.SdkClientException")


def test_accepts():
    from asl.resolvers.base import parse_resource

    resolver = Boto3Resolver()
    assert resolver.accepts(parse_resource("arn:aws:states:::aws-sdk:dynamodb:getItem"))
    assert resolver.accepts(parse_resource("arn:aws:states:::states:startExecution.sync:2"))
    assert resolver.accepts(parse_resource("arn:aws:lambda:us-east-1:1:function:f"))
    assert not resolver.accepts(parse_resource("arn:aws:states:::sqs:sendMessage.sync"))
    assert not resolver.accepts(parse_resource("arn:aws:states:::glue:startJobRun.sync"))
