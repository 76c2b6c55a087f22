"""Suite files and ``asl test``: loading, expectations, the fixture suite, JUnit XML, exit codes."""
from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from asl.cli import main
from asl.testing.junit import junit_xml
from asl.testing.suite import SuiteError, discover, load_suite, run_suite, suite_from_data

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "testing"
PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"got.$": "$.x"}, "End": True}}}


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_fixture_suite_passes_and_covers_every_expectation_kind():
    suite = load_suite(FIXTURES / "order-processing.asl-test.yaml")
    results = run_suite(suite)
    assert [r.outcome for r in results] == ["passed"] * len(suite.cases), [r.failures or r.error for r in results]
    used = set().union(*(case.expect for case in suite.cases))
    assert {"output", "output_contains", "path", "not_visited", "attempts", "sent", "queues", "error",
            "cause"} <= used


def test_a_suite_without_cases_runs_every_mock_config_test_case(tmp_path):
    config = json.loads((FIXTURES / "MockConfigFile.json").read_text())
    suite = suite_from_data({"definition": str(FIXTURES / "order-processing.asl.json"), "mock_config": config,
                             "name": "order-processing"}, path=tmp_path / "s.asl-test.yaml")
    assert [c.name for c in suite.cases] == ["HappyPath", "ThrottledTwice", "Declined"]
    assert all(c.expect == {"status": "SUCCEEDED"} for c in suite.cases)


def test_expectations_that_fail_are_all_reported(tmp_path):
    path = write(tmp_path / "p.asl-test.yaml", f"""
        definition: {json.dumps(PASS)}
        cases:
          - name: wrong
            input: {{x: 1}}
            expect: {{output: {{got: 2}}, path: [Q], attempts: {{P: 1}}}}
          - name: right
            input: {{x: 1}}
            expect: {{output: {{got: 1}}, path: [P], visited: [P]}}
          - name: later
            skip: not yet
    """)
    results = run_suite(load_suite(path))
    assert [r.outcome for r in results] == ["failed", "passed", "skipped"]
    labels = [f.split("]")[0] + "]" for f in results[0].failures]
    assert labels == ["[output]", "[path]", "[attempts.P]"]
    assert "$.got: expected 2, got 1" in results[0].failures[0]


def test_timestamps_in_yaml_stay_strings(tmp_path):
    path = write(tmp_path / "t.asl-test.yaml", f"""
        definition: {json.dumps(PASS)}
        cases:
          - input: {{x: 2024-01-01T00:00:00Z}}
            expect: {{output: {{got: "2024-01-01T00:00:00Z"}}}}
    """)
    assert run_suite(load_suite(path))[0].outcome == "passed"


def test_an_invalid_definition_is_an_error_for_every_case(tmp_path):
    path = write(tmp_path / "bad.asl-test.json", json.dumps(
        {"definition": {"StartAt": "Nowhere", "States": {}}, "cases": [{"name": "a"}, {"name": "b"}]}))
    results = run_suite(load_suite(path))
    assert [r.outcome for r in results] == ["error", "error"]
    assert "the definition is invalid" in results[0].error


@pytest.mark.parametrize("data, message", [
    ([], "a suite is an object"),
    ({"cases": []}, "'definition' is required"),
    ({"definition": PASS}, "'cases' is required"),
    ({"definition": PASS, "cases": [], "typo": 1}, "unknown key(s) typo"),
    ({"definition": "missing.asl.json", "cases": [{}]}, "no such file"),
    ({"definition": PASS, "cases": [{"expect": {"status": "DONE"}}]}, "one of SUCCEEDED"),
    ({"definition": PASS, "cases": [{"expect": {"outputs": 1}}]}, "unknown key(s) outputs"),
    ({"definition": PASS, "cases": [{"name": "a"}, {"name": "a"}]}, "used twice"),
    ({"definition": PASS, "cases": [{"test_case": "X"}]}, "has no 'mock_config'"),
    ({"definition": PASS, "cases": [{"faults": {"P": [{"cause": "c"}]}}]}, "needs 'error'"),
    ({"definition": PASS, "cases": [{"input": 1, "input_file": "x.json"}]}, "not both"),
    ({"definition": PASS, "seed": "x", "cases": [{}]}, "seed: an integer"),
])
def test_suite_mistakes_are_reported_with_their_place(tmp_path, data, message):
    with pytest.raises(SuiteError) as info:
        suite_from_data(data, path=tmp_path / "s.asl-test.yaml")
    assert message in str(info.value)


def test_fault_shorthands(tmp_path):
    suite = suite_from_data({"definition": PASS, "cases": [{"faults": {
        "P": ["throttle", "timeout", "heartbeat", None, "My.Error", {"error": "E", "cause": "c"},
              {"throttle": "SQS"}]}}]}, path=tmp_path / "s.asl-test.yaml")
    faults = suite.cases[0].faults.plan["P"]
    assert [f.kind if f else None for f in faults] == ["throttle", "timeout", "heartbeat", None, "error", "error",
                                                       "throttle"]
    assert (faults[5].error, faults[5].cause, faults[6].error) == ("E", "c", "SQS.AmazonSQSException")


def test_lambda_handlers_from_a_file_next_to_the_suite(tmp_path):
    write(tmp_path / "handlers.py", """
        def double(event, context):
            return {"n": event["n"] * 2}
    """)
    definition = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:double", "End": True}}}
    path = write(tmp_path / "h.asl-test.json", json.dumps({
        "definition": definition, "lambdas": {"double": "handlers.py:double"},
        "cases": [{"input": {"n": 21}, "expect": {"output": {"n": 42}}}]}))
    assert run_suite(load_suite(path))[0].outcome == "passed"


def test_junit_xml_describes_each_case():
    results = run_suite(load_suite(FIXTURES / "order-processing.asl-test.yaml"))
    from asl.testing.suite import CaseResult

    results.append(CaseResult("other.yaml", "broken", False, ["[status] expected X\n  path: A"], 0.5))
    results.append(CaseResult("other.yaml", "crashed", False, [], 0.0, error="HandlerNotFound: x"))
    root = ET.fromstring(junit_xml(results))
    assert root.get("tests") == str(len(results)) and root.get("failures") == "1" and root.get("errors") == "1"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites][1] == "other.yaml"
    broken = suites[1].find("testcase[@name='broken']/failure")
    assert broken.get("message") == "[status] expected X" and "path: A" in broken.text
    assert suites[1].find("testcase[@name='crashed']/error").get("message") == "HandlerNotFound: x"


def test_discover_finds_suite_files(tmp_path):
    (tmp_path / "a").mkdir()
    for name in ("a/x.asl-test.yaml", "y.asl-test.json", "z.asl.json", "w.yaml"):
        (tmp_path / name).write_text("{}")
    assert [p.name for p in discover([tmp_path])] == ["x.asl-test.yaml", "y.asl-test.json"]


# --- the command ----------------------------------------------------------------------------------------

def test_asl_test_passes_on_the_fixtures_and_writes_junit(tmp_path, capsys):
    report = tmp_path / "report.xml"
    assert main(["test", str(FIXTURES), "--junit-xml", str(report)]) == 0
    out = capsys.readouterr().out
    assert "6 passed" in out and "FAIL" not in out
    assert ET.parse(report).getroot().get("tests") == "6"


def test_asl_test_exits_1_on_a_failure_and_shows_it(tmp_path, capsys):
    write(tmp_path / "f.asl-test.yaml", f"""
        definition: {json.dumps(PASS)}
        cases:
          - name: wrong output
            input: {{x: 1}}
            expect: {{output: {{got: 3}}}}
    """)
    assert main(["test", str(tmp_path), "-v"]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "wrong output" in out and "$.got: expected 3, got 1" in out and "1 failed" in out


def test_asl_test_runs_mock_config_test_cases(capsys):
    args = ["test", "--definition", str(FIXTURES / "order-processing.asl.json"),
            "--mock-config", str(FIXTURES / "MockConfigFile.json"), "--input", '{"orderId": "o", "amount": 1}']
    assert main(args + ["--test-case", "HappyPath", "--test-case", "ThrottledTwice"]) == 0
    assert "2 passed" in capsys.readouterr().out
    assert main(args) == 1                      # Declined ends FAILED, and a bare mock file expects success
    assert "FAIL" in capsys.readouterr().out


_MOCK_RUN = ["--definition", str(FIXTURES / "order-processing.asl.json"),
             "--mock-config", str(FIXTURES / "MockConfigFile.json")]


@pytest.mark.parametrize("args, message", [
    (["--definition", "x.asl.json"], "--definition and --mock-config go together"),
    (["--name", "X"], "apply to --definition/--mock-config runs"),
    ([*_MOCK_RUN, "--input", "{nope"], "--input is not JSON"),
    ([*_MOCK_RUN, "--lambda", "Charge"], "--lambda expects NAME=module:function, got 'Charge'"),
    ([*_MOCK_RUN, "--lambda", "=handlers:charge"], "--lambda expects NAME=module:function"),
])
def test_asl_test_usage_errors_exit_2(args, message, capsys):
    assert main(["test", *args]) == 2
    assert message in capsys.readouterr().err


def test_asl_test_with_nothing_to_run_exits_2(tmp_path, capsys):
    assert main(["test", str(tmp_path)]) == 2
    assert "no suite files found" in capsys.readouterr().err


def test_a_broken_suite_file_is_an_error_not_a_crash(tmp_path, capsys):
    write(tmp_path / "b.asl-test.yaml", "definition: [unclosed")
    assert main(["test", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "ERROR" in out and "not valid YAML" in out


def test_discover_skips_virtualenvs_and_hidden_folders(tmp_path):
    for name in (".venv/lib/x.asl-test.yaml", "node_modules/y.asl-test.yaml", "ok/z.asl-test.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    assert [p.name for p in discover([tmp_path])] == ["z.asl-test.yaml"]
