"""The behaviours people get wrong, end to end on the virtual clock: async retries, throttling answered
by Retry, callbacks, event-source mappings ending in a DLQ."""
from __future__ import annotations

import json
import time

import pytest

from asl.services import callbacks
from asl.services.callbacks import CallbackError

from .conftest import START, events_of, run, task_machine

INVOKE = "arn:aws:states:::lambda:invoke"


# -- asynchronous invocation ------------------------------------------------------------------------
def test_event_invocation_is_accepted_then_retried_twice_then_sent_to_the_failure_destination(env):
    attempts = []

    def flaky(event, context):
        attempts.append(env.scheduler.now() - START)
        raise RuntimeError("downstream is down")

    env.add_queue("failures")
    env.add_function("flaky", flaky, on_failure="failures")
    ex = run(task_machine(INVOKE, {"FunctionName": "flaky", "InvocationType": "Event", "Payload": {"id": 1}}),
             {}, env)
    assert ex.status == "SUCCEEDED" and ex.output["StatusCode"] == 202 and ex.output["Payload"] == ""
    assert attempts == []                                   # accepted, not run yet
    env.settle()
    assert attempts == [0.0, 60.0, 180.0]                   # then 1 and 2 minutes after each failure
    record = json.loads(env.sqs.bodies("failures")[0])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 3
    assert record["requestPayload"] == {"id": 1}
    assert record["responsePayload"]["errorType"] == "RuntimeError"
    assert record["responseContext"]["functionError"] == "Unhandled"


def test_async_success_goes_to_the_success_destination_and_dlq_catches_failures(env):
    env.add_queue("ok")
    env.add_queue("dlq")
    env.add_function("fine", lambda e, c: {"seen": e}, on_success="ok")
    env.add_function("bad", lambda e, c: 1 / 0, dead_letter="dlq", maximum_retry_attempts=0)
    env.lambda_.invoke("fine", b'{"a": 1}', invocation_type="Event", clock=env.clock)
    env.lambda_.invoke("bad", b'{"b": 2}', invocation_type="Event", clock=env.clock)
    env.settle()
    assert json.loads(env.sqs.bodies("ok")[0])["responsePayload"] == {"seen": {"a": 1}}
    dead = env.queues()["dlq"][0]
    assert json.loads(dead["Body"]) == {"b": 2}
    assert dead["MessageAttributes"]["ErrorMessage"]["StringValue"].count("ZeroDivisionError") == 1


def test_throttled_async_events_wait_in_the_queue(env):
    env.add_function("one-at-a-time", lambda e, c: None, reserved_concurrency=1, duration=10, timeout=15)
    for _ in range(3):
        env.lambda_.invoke("one-at-a-time", b"{}", invocation_type="Event", clock=env.clock)
    env.settle()
    assert [e.status for e in env.lambda_.events] == ["succeeded"] * 3
    assert env.scheduler.now() >= START + 20                # each waited for the one before


# -- throttling answered by Retry -------------------------------------------------------------------
def test_reserved_concurrency_throttle_is_answered_by_retry(env):
    env.add_function("busy", lambda e, c: "done", reserved_concurrency=1, duration=30, timeout=60)
    definition = {"StartAt": "Kick", "States": {
        "Kick": {"Type": "Task", "Resource": INVOKE, "ResultPath": None, "Next": "Call",
                 "Parameters": {"FunctionName": "busy", "InvocationType": "Event"}},
        "Call": {"Type": "Task", "Resource": INVOKE, "OutputPath": "$.Payload", "End": True,
                 "Parameters": {"FunctionName": "busy"},
                 "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 10,
                            "BackoffRate": 2, "MaxAttempts": 5}]}}}
    env.scheduler.call_later(0, lambda: None)      # nothing special: the Event runs when time moves
    ex = run(definition, {}, env)
    assert ex.status == "SUCCEEDED" and ex.output == "done"
    failed = [e for e in ex.history if e["type"] == "TaskFailed"]
    assert failed and all(e["taskFailedEventDetails"]["error"] == "Lambda.TooManyRequestsException" for e in failed)
    assert "Rate Exceeded. (Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException;" in \
        failed[0]["taskFailedEventDetails"]["cause"]


def test_zero_reserved_concurrency_throttles_everything(env):
    env.add_function("off", lambda e, c: 1, reserved_concurrency=0)
    ex = run(task_machine(INVOKE, {"FunctionName": "off"}), {}, env)
    assert ex.status == "FAILED" and ex.error == "Lambda.TooManyRequestsException"


def test_account_concurrency_is_shared_by_unreserved_functions(env):
    env.lambda_.account_concurrency = 3
    env.add_function("reserved", lambda e, c: 1, reserved_concurrency=2)
    env.add_function("a", lambda e, c: 1, duration=100, timeout=900)
    env.lambda_.invoke("a", b"{}", invocation_type="Event", clock=env.clock)
    env.advance(1)                                       # "a" is now busy for 100 s: the pool of 1 is used
    ex = run(task_machine(INVOKE, {"FunctionName": "a"}), {}, env)
    assert ex.error == "Lambda.TooManyRequestsException"


def test_api_gateway_burst_limit_is_answered_by_retry(env):
    calls = []

    def api(event, context):
        calls.append(event["httpMethod"])
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps({"ok": True})}

    env.add_api("shop", handler=api, rate=1, burst=2)
    state = {"Type": "Task", "Resource": "arn:aws:states:::apigateway:invoke",
             "Parameters": {"ApiEndpoint": "shop.execute-api.us-east-1.amazonaws.com", "Method": "POST",
                            "Stage": "prod", "Path": "orders", "RequestBody": {"n": 1}},
             "Retry": [{"ErrorEquals": ["ApiGateway.429"], "IntervalSeconds": 1, "MaxAttempts": 3}],
             "ResultSelector": {"status.$": "$.StatusCode", "body.$": "$.ResponseBody"}}
    definition = {"StartAt": "Fan", "States": {"Fan": {
        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 0, "End": True,
        "ItemProcessor": {"StartAt": "Call", "States": {"Call": {**state, "End": True}}}}}}
    ex = run(definition, {"items": [1, 2, 3, 4]}, env)
    assert ex.status == "SUCCEEDED", ex.cause
    assert ex.output == [{"status": 200, "body": {"ok": True}}] * 4
    assert len(calls) == 4
    stage = env.apigateway.apis["shop"].stages["prod"]
    assert stage.throttled >= 2                          # burst 2: the rest were refused and retried


def test_api_gateway_errors_are_named_by_status(env):
    env.add_api("api", handler=lambda e, c: {"statusCode": 404, "body": "nope"})
    ex = run(task_machine("arn:aws:states:::apigateway:invoke",
                          {"ApiEndpoint": "api.execute-api.us-east-1.amazonaws.com", "Method": "GET"}), {}, env)
    assert ex.error == "ApiGateway.404"
    assert json.loads(ex.cause)["ResponseBody"] == "nope"
    env.add_api("crash", handler=lambda e, c: 1 / 0)
    ex = run(task_machine("arn:aws:states:::apigateway:invoke", {"ApiEndpoint": "crash", "Method": "GET"}), {}, env)
    assert ex.error == "ApiGateway.502"


def test_api_gateway_request_ids_and_mapping_ids_repeat_with_the_seed():
    from asl.resolvers.environment import Environment
    from asl.runtime.clock import VirtualClock

    def ids(seed):
        env = Environment(seed=seed, clock=VirtualClock(START))
        seen = []
        env.add_api("api", handler=lambda event, context: seen.append(event["requestContext"]["requestId"]) or {})
        env.add_queue("jobs")
        env.add_function("worker", lambda event, context: None)
        mapping = env.add_event_source_mapping("jobs", "worker")
        run(task_machine("arn:aws:states:::apigateway:invoke", {"ApiEndpoint": "api", "Method": "GET"}), {}, env)
        return seen, mapping.uuid

    assert ids(7) == ids(7) != ids(8)


# -- callbacks --------------------------------------------------------------------------------------
CALLBACK = {"StartAt": "Ask", "States": {"Ask": {
    "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": True,
    "TimeoutSeconds": 300, "HeartbeatSeconds": 60,
    "Parameters": {"QueueUrl": "approvals", "MessageBody": {"token.$": "$$.Task.Token", "amount.$": "$.amount"}}}}}


def approver(event, context):
    for record in event["Records"]:
        message = json.loads(record["body"])
        if message["amount"] > 100:
            callbacks.send_task_failure(message["token"], "TooExpensive", f"{message['amount']} > 100")
        else:
            callbacks.send_task_success(message["token"], {"approved": message["amount"]})


def test_wait_for_task_token_completed_by_a_queue_consumer(env):
    env.add_queue("approvals")
    env.add_function("approver", approver, duration=2)
    env.add_event_source_mapping("approvals", "approver")
    ok = run(CALLBACK, {"amount": 10}, env)
    assert ok.status == "SUCCEEDED" and ok.output == {"approved": 10}
    refused = run(CALLBACK, {"amount": 500}, env)
    assert refused.status == "FAILED" and (refused.error, refused.cause) == ("TooExpensive", "500 > 100")
    assert env.sqs.bodies("approvals") == []


def test_wait_for_task_token_times_out_on_the_heartbeat(env):
    env.add_queue("approvals")                            # nobody consumes it
    started = time.monotonic()
    ex = run(CALLBACK, {"amount": 1}, env)
    assert time.monotonic() - started < 2
    assert ex.status == "FAILED" and ex.error == "States.Timeout"
    assert "TaskTimedOut" in events_of(ex)
    assert env.scheduler.now() == START + 60


@pytest.mark.parametrize("beats, finish, status", [
    ([50, 100, 150], 190, "SUCCEEDED"),       # a heartbeat inside every 60 s interval keeps the task alive
    ([50], 190, "FAILED"),                    # the beats stop at 50 s: the heartbeat expires at 110 s
    ([50, 100, 150, 200, 250, 290], 310, "FAILED"),   # beating does not extend TimeoutSeconds (300)
])
def test_heartbeats_keep_a_task_alive_until_its_timeout(env, beats, finish, status):
    env.add_queue("approvals")

    def beat(event, context):
        token = json.loads(event["Records"][0]["body"])["token"]
        for at in beats:
            env.scheduler.call_later(at, lambda: callbacks.send_task_heartbeat(token))
        env.scheduler.call_later(finish, lambda: callbacks.send_task_success(token, "late but alive"))

    env.add_function("beat", beat)
    env.add_event_source_mapping("approvals", "beat")
    ex = run(CALLBACK, {"amount": 1}, env)
    assert ex.status == status
    if status == "FAILED":
        assert ex.error == "States.Timeout"
    else:
        assert ex.output == "late but alive" and env.scheduler.now() == START + finish


def test_heartbeat_api_errors(env):
    hub = env.callbacks
    hub.open("tok", timeout=10)
    hub.send_task_success("tok", 1)
    assert hub.wait("tok") == 1
    with pytest.raises(CallbackError) as err:
        hub.send_task_success("tok", 2)
    assert err.value.code == "TaskTimedOut"
    with pytest.raises(CallbackError) as err:
        hub.send_task_heartbeat("never-seen")
    assert err.value.code == "TaskDoesNotExist"
    with pytest.raises(CallbackError) as err:
        hub.send_task_success("", 1)
    assert err.value.code == "InvalidToken"
    hub.open("big", timeout=10)
    with pytest.raises(CallbackError) as err:
        hub.send_task_success("big", "x" * 300_000)
    assert err.value.code == "InvalidOutput"


def test_lambda_invoke_wait_for_task_token(env):
    def worker(event, context):
        env.scheduler.call_later(30, lambda: env.send_task_success(event["token"], {"result": event["n"] + 1}))

    env.add_function("worker", worker)
    ex = run(task_machine(INVOKE + ".waitForTaskToken",
                          {"FunctionName": "worker", "Payload": {"token.$": "$$.Task.Token", "n": 1}}), {}, env)
    assert ex.status == "SUCCEEDED" and ex.output == {"result": 2}
    assert env.scheduler.now() == START + 30


# -- event-source mappings --------------------------------------------------------------------------
def test_event_source_mapping_failures_end_in_the_dead_letter_queue(env):
    seen = []

    def worker(event, context):
        for record in event["Records"]:
            seen.append((record["body"], record["attributes"]["ApproximateReceiveCount"]))
        if any(r["body"] == "poison" for r in event["Records"]):
            raise ValueError("cannot process")

    env.add_queue("jobs-dlq")
    env.add_queue("jobs", VisibilityTimeout=30, redrive=("jobs-dlq", 3))
    env.add_function("worker", worker)
    env.add_event_source_mapping("jobs", "worker", batch_size=1)
    env.sqs.send_message("jobs", "fine")
    env.sqs.send_message("jobs", "poison")
    env.settle()
    assert seen.count(("fine", "1")) == 1
    assert [count for body, count in seen if body == "poison"] == ["1", "2", "3"]
    snapshot = env.queues()
    assert snapshot["jobs"] == [] and [m["Body"] for m in snapshot["jobs-dlq"]] == ["poison"]
    assert env.scheduler.now() == START + 90            # three visibility timeouts


def test_event_source_mapping_reports_batch_item_failures(env):
    def worker(event, context):
        return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"]
                                      if r["body"] == "retry-me"]}

    env.add_queue("jobs", VisibilityTimeout=10)
    env.add_function("worker", worker)
    mapping = env.add_event_source_mapping("jobs", "worker", batch_size=10, report_batch_item_failures=True)
    for text in ("a", "retry-me", "b"):
        env.sqs.send_message("jobs", text)
    env.advance(1)
    assert mapping.invocations == 1
    assert [m["Body"] for m in env.queues()["jobs"]] == ["retry-me"]


def test_api_gateway_forwards_to_a_real_url(env):
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            data = json.loads(self.rfile.read(length) or b"{}")
            reply = json.dumps({"path": self.path, "got": data, "h": self.headers.get("X-Test")}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env.add_api("remote", url=f"http://127.0.0.1:{server.server_port}")
        ex = run(task_machine("arn:aws:states:::apigateway:invoke",
                              {"ApiEndpoint": "remote", "Method": "POST", "Stage": "dev", "Path": "/items",
                               "QueryParameters": {"q": ["1"]}, "Headers": {"X-Test": ["yes"]},
                               "RequestBody": {"a": 1}}), {}, env)
    finally:
        server.shutdown()
    assert ex.status == "SUCCEEDED", ex.cause
    assert ex.output["StatusCode"] == 200 and ex.output["StatusText"] == "OK"
    assert ex.output["ResponseBody"] == {"path": "/dev/items?q=1", "got": {"a": 1}, "h": "yes"}


def test_branch_clocks_overlap_and_drive_the_services(env):
    ran = []
    env.scheduler.call_later(5, lambda: ran.append("at 5"))
    first, second = env.clock.branch(), env.clock.branch()
    first.sleep(10)
    assert ran == ["at 5"] and first.now() == START + 10
    second.sleep(3)                                   # concurrent: it does not wait behind the first
    assert second.now() == START + 3 and env.scheduler.now() == START + 10
