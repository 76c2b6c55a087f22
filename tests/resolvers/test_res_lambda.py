"""The local Lambda resolver: result shapes and error mapping as Step Functions reports them."""
from __future__ import annotations

import json
import textwrap
import time

import pytest
from hypothesis import given, settings, strategies as st

from asl.resolvers.lambda_ import lambda_resolver
from asl.runtime.clock import VirtualClock
from asl.services.handlers import HandlerNotFound, load_folder, load_handler
from asl.services.lambda_ import LambdaFunction

from .conftest import START, call

INVOKE = "arn:aws:states:::lambda:invoke"
ARN = "arn:aws:lambda:us-east-1:111111111111:function:{}"


def identity(event, context):
    return event


def boom(event, context):
    raise ValueError("bad input")


class Quiet(Exception):
    def __init__(self):
        self.message = "not used by str()"


def quiet(event, context):
    raise Quiet()


@pytest.fixture
def clock():
    return VirtualClock(START)


@pytest.fixture
def resolver(clock):
    return lambda_resolver({"identity": identity, ARN.format("boom"): boom, "quiet": quiet}, clock=clock)


def test_function_arn_result_is_the_return_value(resolver):
    assert call(resolver, ARN.format("identity"), {"a": [1, 2]}) == {"a": [1, 2]}


def test_invoke_result_shape(resolver):
    result = call(resolver, INVOKE, {"FunctionName": "identity", "Payload": {"x": 1}})
    assert set(result) == {"ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"}
    assert result["Payload"] == {"x": 1}
    assert result["StatusCode"] == 200 and result["ExecutedVersion"] == "$LATEST"
    headers = result["SdkHttpMetadata"]["HttpHeaders"]
    assert headers["Content-Length"] == str(len(json.dumps({"x": 1})))
    assert headers["Content-Type"] == "application/json"
    assert result["SdkHttpMetadata"]["HttpStatusCode"] == 200


def test_live_metadata_mode_has_aws_shaped_headers(clock):
    resolver = lambda_resolver({"identity": identity}, clock=clock, metadata="aws")
    result = call(resolver, INVOKE, {"FunctionName": "identity"})
    all_headers = result["SdkHttpMetadata"]["AllHttpHeaders"]
    assert all(isinstance(v, list) for v in all_headers.values())
    request_id = result["SdkResponseMetadata"]["RequestId"]
    assert all_headers["x-amzn-RequestId"] == [request_id]
    assert all_headers["Date"][0].endswith("GMT")


def test_invoke_by_arn_and_partial_arn_and_alias(resolver):
    for name in (ARN.format("identity"), "111111111111:function:identity", "identity:prod",
                 ARN.format("identity") + ":$LATEST"):
        assert call(resolver, INVOKE, {"FunctionName": name, "Payload": 5})["Payload"] == 5


def test_string_payload_is_sent_as_the_raw_body(resolver):
    # Step Functions passes a string Payload unchanged: the text "0.0" arrives as the number 0.0
    assert call(resolver, INVOKE, {"FunctionName": "identity", "Payload": "0.0"})["Payload"] == 0.0
    assert call(resolver, INVOKE, {"FunctionName": "identity", "Payload": '"hi"'})["Payload"] == "hi"
    failed = call(resolver, INVOKE, {"FunctionName": "identity", "Payload": "not json"})
    assert failed[:2] == ("FAILED", "Lambda.InvalidRequestContentException")
    assert "Status Code: 400; Error Code: InvalidRequestContentException" in failed[2]


def test_null_or_missing_payload_sends_an_empty_object(resolver):
    assert call(resolver, INVOKE, {"FunctionName": "identity", "Payload": None})["Payload"] == {}
    assert call(resolver, INVOKE, {"FunctionName": "identity"})["Payload"] == {}


def test_handler_exception_on_function_arn_keeps_the_runtime_json_spacing(resolver):
    status, error, cause = call(resolver, ARN.format("boom"), {})
    assert (status, error) == ("FAILED", "ValueError")
    assert cause.startswith('{"errorMessage": "bad input", "errorType": "ValueError", "requestId": "')
    document = json.loads(cause)
    assert list(document) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert document["stackTrace"][0].startswith('  File "/var/task/test_res_lambda.py", line ')
    assert document["stackTrace"][0].endswith('in boom\n    raise ValueError("bad input")\n')


def test_handler_exception_on_invoke_is_reserialised_compactly(resolver):
    status, error, cause = call(resolver, INVOKE, {"FunctionName": "boom"})
    assert error == "ValueError"
    assert cause.startswith('{"errorMessage":"bad input","errorType":"ValueError","requestId":"')


def test_exception_without_message_gives_an_empty_error_message(resolver):
    _, error, cause = call(resolver, INVOKE, {"FunctionName": "quiet"})
    assert error == "Quiet" and json.loads(cause)["errorMessage"] == ""


def test_code_compiled_from_text_is_shown_as_var_task_handler_py(clock):
    namespace: dict = {}
    exec(compile("def handler(e, c):\n    raise Exception('x')\n", "somewhere/else.py", "exec"), namespace)
    resolver = lambda_resolver({"f": namespace["handler"]}, clock=clock)
    cause = json.loads(call(resolver, INVOKE, {"FunctionName": "f"})[2])
    assert cause["stackTrace"] == ['  File "/var/task/handler.py", line 2, in handler\n']


def test_handler_file_frames_are_relative_to_the_code_root(tmp_path, clock):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "orders.py").write_text("def handler(event, context):\n    return 1 / 0\n")
    fn = LambdaFunction("orders", load_handler(str(tmp_path / "pkg" / "orders.py")), code_root=str(tmp_path))
    resolver = lambda_resolver({"orders": fn}, clock=clock)
    _, error, cause = call(resolver, INVOKE, {"FunctionName": "orders"})
    assert error == "ZeroDivisionError"
    assert json.loads(cause)["stackTrace"] == [
        '  File "/var/task/pkg/orders.py", line 2, in handler\n    return 1 / 0\n']


def test_unknown_function(resolver):
    _, error, cause = call(resolver, INVOKE, {"FunctionName": "nope"},
                           context={"StateMachine": {"Id": "arn:aws:states:eu-west-1:222222222222:stateMachine:m"}})
    assert error == "Lambda.ResourceNotFoundException"
    assert cause.startswith("Function not found: arn:aws:lambda:eu-west-1:222222222222:function:nope:$LATEST "
                            "(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; "
                            "Request ID: ")
    assert cause.endswith("; Proxy: null)")


def test_result_over_256_kib_is_a_data_limit_failure(clock):
    resolver = lambda_resolver({"big": lambda e, c: "a" * (257 * 1024)}, clock=clock)
    assert call(resolver, INVOKE, {"FunctionName": "big"}) == (
        "FAILED", "States.DataLimitExceeded",
        "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.")
    arn = ARN.format("big")
    assert call(resolver, arn, {})[2] == (
        f"The state/task '{arn}' returned a result with a size exceeding the maximum number of bytes service limit.")


def test_bytes_are_returned_as_they_are(clock):
    resolver = lambda_resolver({"raw": lambda e, c: b'"HelloWorld!"'}, clock=clock)
    result = call(resolver, INVOKE, {"FunctionName": "raw"})
    assert result["Payload"] == "HelloWorld!"
    assert result["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"] == "13"


def test_unserialisable_result_is_a_marshal_error(clock):
    resolver = lambda_resolver({"bad": lambda e, c: {1, 2}}, clock=clock)
    _, error, cause = call(resolver, INVOKE, {"FunctionName": "bad"})
    assert error == "Runtime.MarshalError"
    assert json.loads(cause) == {"errorMessage": "Unable to marshal response: Object of type set is not JSON "
                                                 "serializable", "errorType": "Runtime.MarshalError",
                                 "requestId": json.loads(cause)["requestId"], "stackTrace": []}


def test_system_exit_is_a_runtime_exit_error(clock):
    def leave(e, c):
        raise SystemExit(3)

    _, error, cause = call(lambda_resolver({"leave": leave}, clock=clock), INVOKE, {"FunctionName": "leave"})
    assert error == "Runtime.ExitError" and "exit status 3" in json.loads(cause)["errorMessage"]


def sleeper(event, context):
    before = context.get_remaining_time_in_millis()
    time.sleep(60)
    return {"before": before, "after": context.get_remaining_time_in_millis()}


def test_sleep_inside_a_handler_is_virtual(clock):
    resolver = lambda_resolver({"sleeper": LambdaFunction("sleeper", sleeper, timeout=100)}, clock=clock)
    started = time.monotonic()
    result = call(resolver, INVOKE, {"FunctionName": "sleeper"})
    assert time.monotonic() - started < 2
    assert result["Payload"] == {"before": 100_000, "after": 40_000}
    assert clock.now() == START + 60


def test_task_timeout_cuts_the_handler_short(clock):
    resolver = lambda_resolver({"sleeper": sleeper}, clock=clock)
    assert call(resolver, INVOKE, {"FunctionName": "sleeper"}, timeout_seconds=5) == ("FAILED", "States.Timeout", None)
    assert clock.now() == START + 5


def test_function_timeout_is_sandbox_timedout(clock):
    resolver = lambda_resolver({"sleeper": LambdaFunction("sleeper", sleeper, timeout=3)}, clock=clock)
    _, error, cause = call(resolver, INVOKE, {"FunctionName": "sleeper"}, timeout_seconds=100)
    assert error == "Sandbox.Timedout"
    assert json.loads(cause)["errorMessage"].endswith("Task timed out after 3.00 seconds")


def test_legacy_timeout_payload_without_error_type_is_lambda_unknown(clock):
    fn = LambdaFunction("sleeper", sleeper, timeout=3, timeout_error_type=None)
    _, error, cause = call(lambda_resolver({"sleeper": fn}, clock=clock), INVOKE, {"FunctionName": "sleeper"})
    assert error == "Lambda.Unknown"
    assert cause.startswith("The cause could not be determined because Lambda did not return an error type. "
                            'Returned payload: {"errorMessage":"')


def test_context_object(clock):
    seen = {}

    def look(event, context):
        seen.update(name=context.function_name, version=context.function_version,
                    arn=context.invoked_function_arn, memory=context.memory_limit_in_mb,
                    request=context.aws_request_id, group=context.log_group_name)
        return None

    resolver = lambda_resolver({"look": LambdaFunction("look", look, memory_size=256)}, clock=clock)
    result = call(resolver, INVOKE, {"FunctionName": "look:live"})
    assert seen["name"] == "look" and seen["version"] == "$LATEST" and seen["memory"] == "256"
    assert seen["arn"] == ARN.format("look") + ":live"
    assert seen["group"] == "/aws/lambda/look"
    assert len(seen["request"]) == 36 and result["Payload"] is None


def test_request_ids_are_seeded():
    def ids(seed):
        resolver = lambda_resolver({"f": boom}, seed=seed, clock=VirtualClock(START))
        return [json.loads(call(resolver, INVOKE, {"FunctionName": "f"})[2])["requestId"] for _ in range(3)]

    assert ids(1) == ids(1) and ids(1) != ids(2) and len(set(ids(1))) == 3


def test_log_tail(clock):
    def chatty(event, context):
        context.log("hello from the handler")
        return 1

    result = call(lambda_resolver({"chatty": chatty}, clock=clock), INVOKE, {"FunctionName": "chatty", "LogType": "Tail"})
    import base64

    log = base64.b64decode(result["LogResult"]).decode()
    assert log.startswith("START RequestId: ") and "hello from the handler\n" in log and "REPORT RequestId" in log
    assert result["SdkHttpMetadata"]["HttpHeaders"]["X-Amz-Log-Result"] == result["LogResult"]


def test_dry_run_and_event_status_codes(clock):
    resolver = lambda_resolver({"identity": identity}, clock=clock)
    assert call(resolver, INVOKE, {"FunctionName": "identity", "InvocationType": "DryRun"})["StatusCode"] == 204
    event = call(resolver, INVOKE, {"FunctionName": "identity", "InvocationType": "Event"})
    assert event["StatusCode"] == 202 and event["Payload"] == "" and "ExecutedVersion" not in event


def test_handler_specs(tmp_path):
    (tmp_path / "mod_a.py").write_text("def handler(event, context):\n    return 'a'\n")
    (tmp_path / "mod_b.py").write_text("def lambda_handler(event, context):\n    return 'b'\n")
    (tmp_path / "_private.py").write_text("def handler(event, context):\n    return 'no'\n")
    assert load_handler(f"{tmp_path / 'mod_a.py'}:handler")(None, None) == "a"
    assert load_handler("mod_b.lambda_handler", base_dir=tmp_path)(None, None) == "b"
    assert load_handler("json:dumps")([1]) == "[1]"
    assert {k: v(None, None) for k, v in load_folder(tmp_path).items()} == {"mod_a": "a", "mod_b": "b"}
    with pytest.raises(HandlerNotFound):
        load_handler("no_such_module_xyz:handler")
    with pytest.raises(HandlerNotFound):
        load_handler(f"{tmp_path / 'mod_a.py'}:missing")
    (tmp_path / "broken.py").write_text(textwrap.dedent("raise RuntimeError('import time')\n"))
    with pytest.raises(HandlerNotFound, match="failed to import"):
        load_handler(str(tmp_path / "broken.py"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=60, deadline=None)
@given(json_values)
def test_identity_round_trips_any_json_value(value):
    resolver = lambda_resolver({"identity": identity}, clock=VirtualClock(START))
    assert call(resolver, ARN.format("identity"), value) == value
    if value is not None and not isinstance(value, str):
        assert call(resolver, INVOKE, {"FunctionName": "identity", "Payload": value})["Payload"] == value


def test_a_busy_loop_is_stopped_at_the_function_timeout(clock):
    def spin(event, context):
        while True:
            pass

    resolver = lambda_resolver({"spin": LambdaFunction("spin", spin, timeout=0.3), "identity": identity}, clock=clock)
    started = time.monotonic()
    _, error, _ = call(resolver, INVOKE, {"FunctionName": "spin"})
    assert error == "Sandbox.Timedout" and time.monotonic() - started < 3
    # the thread that ran it is healthy: nothing stray fires later
    for _ in range(50):
        assert call(resolver, INVOKE, {"FunctionName": "identity", "Payload": 1})["Payload"] == 1


class WallClock:
    virtual = False

    def now(self):
        return time.time()

    def sleep(self, seconds):
        time.sleep(seconds)


def test_real_time_caller_stops_waiting_at_the_task_timeout():
    def nap(event, context):
        time.sleep(2)
        return "late"

    resolver = lambda_resolver({"nap": nap}, clock=WallClock())
    started = time.monotonic()
    assert call(resolver, INVOKE, {"FunctionName": "nap"}, timeout_seconds=0.2) == ("FAILED", "States.Timeout", None)
    assert time.monotonic() - started < 1.5


def test_request_over_6_mb_is_refused(resolver):
    _, error, cause = call(resolver, INVOKE, {"FunctionName": "identity", "Payload": {"blob": "x" * (6 * 1024 * 1024)}})
    assert error == "Lambda.RequestTooLargeException"
    assert cause.startswith("Request must be smaller than 6291456 bytes for the InvokeFunction operation (Service: "
                            "AWSLambda; Status Code: 413;")
