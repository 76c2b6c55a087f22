"""Step Functions Local's MockConfigFile, used unchanged: Return/Throw, invocation ranges, hybrid runs."""
from __future__ import annotations

import json

import pytest

import asl
from asl.resolvers.cli_options import RunOptionsError, environment_for_run, format_queues
from asl.resolvers.mock_config import MockConfigError, MockConfigResolver, load_mock_config, state_machine_name

from .conftest import FIXTURES

DEFINITION = FIXTURES / "mock" / "OrderFlow.asl.json"
CONFIG = FIXTURES / "mock" / "MockConfigFile.json"


def run_case(test_case: str, **kw):
    env = environment_for_run(DEFINITION, mock_config=CONFIG, test_case=test_case, **kw)
    machine = asl.load(str(DEFINITION))
    return machine.execute({"amount": 42}, resolvers=env.resolvers(), clock=env.clock), env


def test_happy_path():
    ex, _ = run_case("HappyPath")
    assert ex.status == "SUCCEEDED"
    assert ex.output == {"amount": 42, "charge": {"charged": 42}, "sent": {"id": "msg-0001"}}


def test_invocation_ranges_feed_retries():
    ex, env = run_case("ThrottledThenOk")
    assert ex.status == "SUCCEEDED" and ex.output["charge"] == {"charged": 42}
    failures = [e for e in ex.history if e["type"] == "TaskFailed"]
    assert [f["taskFailedEventDetails"]["error"] for f in failures] == ["Lambda.TooManyRequestsException"] * 2


def test_throw_is_caught_like_a_real_error():
    ex, _ = run_case("Declined")
    assert ex.status == "FAILED" and (ex.error, ex.cause) == ("OrderDeclined", "payment declined")


def test_running_past_the_last_response_fails_the_execution():
    ex, _ = run_case("MissingRetryMock")
    assert ex.status == "FAILED" and ex.error == "States.Runtime"
    assert "No mocked response for invocation 1 of state 'Charge'" in ex.cause


def test_hybrid_path_runs_unmocked_states_for_real():
    ex, _ = run_case("HybridPath", lambdas={"charge": f"{FIXTURES / 'mock' / 'charge.py'}:handler"})
    assert ex.status == "SUCCEEDED" and ex.output["charge"] == {"charged": 42}
    assert ex.output["sent"] == {"id": "msg-0001"}


def test_resolver_counts_per_state_and_is_used_before_local_services():
    resolver = MockConfigResolver(CONFIG, "OrderFlow", "ThrottledThenOk")
    from .conftest import call

    invoke = "arn:aws:states:::lambda:invoke"
    outcomes = [call(resolver, invoke, {}, state="Charge") for _ in range(3)]
    assert outcomes[0] == ("FAILED", "Lambda.TooManyRequestsException", "Rate Exceeded.")
    assert outcomes[2] == {"StatusCode": 200, "Payload": {"charged": 42}}
    assert resolver.calls == {"Charge": 3}


def test_activities_cannot_be_mocked():
    config = {"StateMachines": {"M": {"TestCases": {"T": {"Work": "R"}}}},
              "MockedResponses": {"R": {"0": {"Return": 1}}}}
    from .conftest import call

    failed = call(MockConfigResolver(config, "M", "T"), "arn:aws:states:us-east-1:1:activity:worker", {},
                  state="Work")
    assert failed[:2] == ("FAILED", "States.Runtime") and "Activity state cannot be mocked" in failed[2]


@pytest.mark.parametrize("config, message", [
    ({"MockedResponses": {"R": {"1": {"Return": 1}}}}, "consecutively numbered"),
    ({"MockedResponses": {"R": {"0": {"Return": 1}, "2": {"Return": 1}}}}, "consecutively numbered"),
    ({"MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "E", "Cause": "C"}}}}}, "exactly one"),
    ({"MockedResponses": {"R": {"0": {"Throw": {"Error": "E"}}}}}, "'Error' and 'Cause'"),
    ({"MockedResponses": {"R": {"zero": {"Return": 1}}}}, "is not 'N' or 'N-M'"),
    ({"StateMachines": {"M": {"TestCases": {"T": {"S": "Missing"}}}}, "MockedResponses": {}}, "unknown mocked"),
])
def test_invalid_mock_configs(config, message):
    with pytest.raises(MockConfigError, match=message):
        load_mock_config(config)


def test_unknown_test_case_and_machine():
    with pytest.raises(MockConfigError, match="Invalid mock test case name"):
        MockConfigResolver(CONFIG, "OrderFlow", "Nope")
    with pytest.raises(RunOptionsError, match="not in the mock config"):
        environment_for_run("Other.asl.json", mock_config=CONFIG, test_case="HappyPath")


def test_state_machine_name_from_the_file_name():
    assert state_machine_name("dir/OrderFlow.asl.json") == "OrderFlow"
    assert state_machine_name("x/flow.json") == "flow"
    assert state_machine_name("x/flow.asl.yaml") == "flow"
    assert state_machine_name("x/flow.json", "Explicit") == "Explicit"


def test_option_combinations():
    assert environment_for_run(DEFINITION) is None
    with pytest.raises(RunOptionsError, match="--test-case"):
        environment_for_run(DEFINITION, mock_config=CONFIG)
    with pytest.raises(RunOptionsError, match="--mock-config"):
        environment_for_run(DEFINITION, test_case="HappyPath")
    assert format_queues(None) == "no queues (no --env given)"


def asl_run(capsys, *args: str) -> tuple[int, str, str]:
    from asl.cli import main

    code = main(["run", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_mock_config_runs_unchanged_through_asl_run(capsys):
    code, out, err = asl_run(capsys, str(DEFINITION), "--input", '{"amount": 42}', "--mock-config", str(CONFIG),
                             "--test-case", "ThrottledThenOk")
    assert code == 0, err
    assert json.loads(out) == {"amount": 42, "charge": {"charged": 42}, "sent": {"id": "msg-0001"}}
    code, out, err = asl_run(capsys, str(DEFINITION), "--mock-config", str(CONFIG), "--test-case", "Declined")
    assert code == 1 and "OrderDeclined" in err
    code, out, err = asl_run(capsys, str(DEFINITION), "--mock-config", str(CONFIG), "--test-case", "Nope")
    assert code == 2 and "Invalid mock test case name" in err


def test_env_file_and_show_queues_through_asl_run(capsys):
    env_dir = FIXTURES / "env"
    code, out, err = asl_run(capsys, str(env_dir / "flow.asl.json"), "--input-file", str(env_dir / "input.json"),
                             "--env", str(env_dir / "local.yaml"), "--show-queues")
    assert code == 0, err
    assert json.loads(out)["api"]["status"] == 201
    assert "jobs-dlq: 1 message" in err
