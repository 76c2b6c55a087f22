"""The pytest plugin, exercised the way users meet it: through pytest itself (pytester)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

pytest_plugins = ["pytester"]

FLOW = {
    "StartAt": "Charge",
    "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
                   "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 2}],
                   "Next": "Done"},
        "Done": {"Type": "Pass", "End": True},
    },
}


def test_importing_the_plugin_imports_neither_hypothesis_nor_the_runtime():
    code = ("import sys, asl.testing.pytest_plugin; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('hypothesis', 'jsonata', 'lark') "
            "or m.startswith(('asl.runtime', 'asl.compile', 'asl.lint'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_pytest_fixtures_lists_the_plugin_fixtures(pytester):
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest("--fixtures")
    text = result.stdout.str()
    for name in ("asl_run", "asl_load", "asl_lambdas", "asl_mocks", "asl_faults", "asl_services", "asl_seed",
                 "asl_machine", "asl_definition"):
        assert f"{name} " in text or f"{name}\n" in text, name
    assert "asl_run(definition_or_machine" in text     # the docstrings are shown


def test_fixtures_run_a_machine_with_lambdas_faults_and_mocks(pytester):
    pytester.makefile(".asl.json", flow=json.dumps(FLOW))
    pytester.makepyfile(textwrap.dedent("""
        from asl.testing import Fault

        def test_handler(asl_run, asl_lambdas):
            asl_lambdas["charge"] = lambda event, context: {"paid": event["n"]}
            result = asl_run("flow.asl.json", {"n": 3})
            result.assert_succeeded({"paid": 3}).assert_path("Charge", "Done")
            assert asl_lambdas.events("charge") == [{"n": 3}]

        def test_faults(asl_run, asl_lambdas, asl_faults):
            asl_lambdas.echo("charge")
            asl_faults.fail("Charge", Fault.throttle(), times=2)
            asl_run("flow.asl.json", {"n": 1}).assert_succeeded().assert_attempts("Charge", 3)

        def test_faults_beyond_retries(asl_run, asl_lambdas, asl_faults):
            asl_lambdas.returns("charge", {})
            asl_faults.fail("Charge", Fault.throttle(), times=3)
            asl_run("flow.asl.json").assert_failed("Lambda.TooManyRequestsException")

        def test_mocks(asl_run, asl_mocks):
            asl_mocks.state("Charge").returns({"mocked": True})
            assert asl_run("flow.asl.json").output == {"mocked": True}

        def test_raises(asl_run, asl_lambdas):
            asl_lambdas.raises("charge", "CardDeclined", "no")
            asl_run("flow.asl.json").assert_failed("CardDeclined")

        def test_fresh_doubles_per_test(asl_lambdas, asl_mocks, asl_faults):
            assert dict(asl_lambdas) == {} and list(asl_mocks) == [] and not asl_faults

        def test_machines_are_cached_for_the_session(asl_load):
            assert asl_load("flow.asl.json") is asl_load("flow.asl.json")
    """))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=7)


def test_a_failing_assertion_shows_the_path_and_the_difference(pytester):
    pytester.makefile(".asl.json", flow=json.dumps(FLOW))
    pytester.makepyfile(textwrap.dedent("""
        def test_wrong_output(asl_run, asl_lambdas):
            asl_lambdas.returns("charge", {"paid": 1})
            asl_run("flow.asl.json").assert_output({"paid": 2})
    """))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the output differs from the expected one:*", "*$.paid: expected 2, got 1*",
                                 "*path:   Charge -> Done*"])


def test_the_definition_marker_and_the_seed_option(pytester):
    pytester.makefile(".asl.json", flow=json.dumps({
        "StartAt": "R", "States": {"R": {"Type": "Pass", "Parameters": {"n.$": "States.MathRandom(1, 1000)"},
                                         "End": True}}}))
    pytester.makepyfile(textwrap.dedent("""
        import pytest

        @pytest.mark.asl_definition("flow.asl.json")
        def test_seeded(asl_machine, asl_run, asl_seed):
            assert asl_seed == 7
            first = asl_run(asl_machine).output
            assert asl_run(asl_machine).output == first
            assert asl_run(asl_machine, seed=8).history != asl_run(asl_machine).history

        def test_without_a_definition(asl_machine):
            pass
    """))
    result = pytester.runpytest("--asl-seed", "7")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*mark the test with @pytest.mark.asl_definition*"])


def test_the_services_fixture_gives_each_test_its_own_queues(pytester):
    pytester.makepyfile(textwrap.dedent("""
        SEND = {"StartAt": "S", "States": {"S": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/111111111111/q", "MessageBody": "hi"},
            "End": True}}}

        def test_send(asl_run, asl_services):
            asl_services.add_queue("q")
            result = asl_run(SEND)
            result.assert_succeeded()
            assert result.sent("q") == ["hi"] and [m["Body"] for m in result.queue("q")] == ["hi"]

        def test_isolated(asl_services):
            assert asl_services.queues() == {}
    """))
    pytester.runpytest().assert_outcomes(passed=2)
