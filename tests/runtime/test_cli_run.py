"""``asl run``: exit codes, output, --lambda handlers, --trace, --history."""
from __future__ import annotations

import json
import textwrap

from asl.cli import main

DEFINITION = {"StartAt": "Add", "States": {
    "Add": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)"}, "Next": "Wait"},
    "Wait": {"Type": "Wait", "Seconds": 2592000, "End": True}}}


def write(tmp_path, name, value):
    path = tmp_path / name
    path.write_text(json.dumps(value) if not isinstance(value, str) else value)
    return str(path)


def test_success_prints_the_output(tmp_path, capsys):
    path = write(tmp_path, "add.asl.json", DEFINITION)
    assert main(["run", path, "--input", '{"a": 2, "b": 3}']) == 0
    assert json.loads(capsys.readouterr().out) == {"sum": 5}


def test_input_file_and_history(tmp_path, capsys):
    path = write(tmp_path, "add.asl.json", DEFINITION)
    data = write(tmp_path, "in.json", {"a": 1, "b": 1})
    assert main(["run", path, "--input-file", data, "--history"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"sum": 2}
    events = json.loads(captured.err)
    assert [e["type"] for e in events][0] == "ExecutionStarted" and events[-1]["type"] == "ExecutionSucceeded"


def test_failure_prints_error_and_cause(tmp_path, capsys):
    path = write(tmp_path, "fail.asl.json", {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Nope",
                                                                              "Cause": "because"}}})
    assert main(["run", path]) == 1
    err = capsys.readouterr().err
    assert "FAILED: Nope" in err and "because" in err


def test_definition_errors_exit_2(tmp_path, capsys):
    path = write(tmp_path, "bad.asl.json", {"StartAt": "Missing", "States": {"P": {"Type": "Pass", "End": True}}})
    assert main(["run", path]) == 2
    assert "bad.asl.json:" in capsys.readouterr().err


def test_bad_input_json_exits_2(tmp_path, capsys):
    path = write(tmp_path, "add.asl.json", DEFINITION)
    assert main(["run", path, "--input", "{nope"]) == 2
    assert "the input is not JSON" in capsys.readouterr().err


def test_a_lambda_option_without_a_name_exits_2(tmp_path, capsys):
    path = write(tmp_path, "add.asl.json", DEFINITION)
    assert main(["run", path, "--lambda", "module:function"]) == 2
    assert "--lambda expects NAME=module:function, got 'module:function'" in capsys.readouterr().err


def test_lambda_handlers_from_a_module(tmp_path, capsys, monkeypatch):
    (tmp_path / "handlers_for_cli_test.py").write_text(textwrap.dedent("""
        def double(event, context):
            return {"value": event["value"] * 2}
    """))
    monkeypatch.chdir(tmp_path)
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "End": True,
                                                   "Resource": "arn:aws:lambda:us-east-1:111111111111:function:double"}}}
    path = write(tmp_path, "task.asl.json", definition)
    assert main(["run", path, "--input", '{"value": 21}', "--lambda", "double=handlers_for_cli_test:double"]) == 0
    assert json.loads(capsys.readouterr().out) == {"value": 42}


def test_trace_shows_the_path(tmp_path, capsys):
    path = write(tmp_path, "add.asl.json", DEFINITION)
    assert main(["run", path, "--input", '{"a": 2, "b": 3}', "--trace"]) == 0
    err = capsys.readouterr().err
    assert "→ Add (Pass)" in err and "← Wait" in err and "ExecutionSucceeded" in err


def test_seed_and_name_make_runs_repeatable(tmp_path, capsys):
    path = write(tmp_path, "uuid.asl.json", {"StartAt": "U", "States": {"U": {"Type": "Pass", "End": True,
        "Parameters": {"id.$": "States.UUID()", "name.$": "$$.Execution.Name"}}}})
    main(["run", path, "--seed", "5", "--name", "fixed"])
    first = json.loads(capsys.readouterr().out)
    main(["run", path, "--seed", "5", "--name", "fixed"])
    assert json.loads(capsys.readouterr().out) == first and first["name"] == "fixed"


def test_mock_config_and_environment_queues(tmp_path, capsys):
    definition = {"StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": "charge", "Payload.$": "$"}, "OutputPath": "$.Payload",
                   "Next": "Notify"},
        "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "ResultPath": None, "End": True,
                   "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/111111111111/orders",
                                  "MessageBody.$": "$"}}}}
    path = write(tmp_path, "order.asl.json", definition)
    mock = write(tmp_path, "mock.json", {
        "StateMachines": {"order": {"TestCases": {"Happy": {"Charge": "ChargeOk"}}}},
        "MockedResponses": {"ChargeOk": {"0": {"Return": {"StatusCode": 200, "Payload": {"charged": True}}}}}})
    env = write(tmp_path, "env.json", {"queues": {"orders": {}}})
    assert main(["run", path, "--mock-config", mock, "--test-case", "Happy", "--env", env, "--show-queues"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"charged": True}
    assert "orders: 1 message" in captured.err


def test_mock_config_needs_a_test_case(tmp_path, capsys):
    path = write(tmp_path, "add.asl.json", DEFINITION)
    mock = write(tmp_path, "mock.json", {"StateMachines": {}, "MockedResponses": {}})
    assert main(["run", path, "--mock-config", mock]) == 2
