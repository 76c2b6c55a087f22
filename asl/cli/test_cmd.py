"""``asl test``: run suite files (and Step Functions Local MockConfigFile test cases) and report.

    asl test                                  # every *.asl-test.yaml|yml|json under the current folder
    asl test tests/order.asl-test.yaml --junit-xml report.xml
    asl test --definition order.asl.json --mock-config MockConfigFile.json [--name Order] [--test-case HappyPath]

Exit codes: 0 every case passed; 1 a case failed or could not run; 2 nothing to run or bad options.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from .run_inputs import json_value, lambda_targets


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--junit-xml", "junit_path", type=click.Path(dir_okay=False),
              help="Also write a JUnit XML report to this file (for CI).")
@click.option("--definition", type=click.Path(dir_okay=False),
              help="With --mock-config: the state machine whose MockConfigFile test cases to run.")
@click.option("--mock-config", type=click.Path(dir_okay=False),
              help="A Step Functions Local MockConfigFile.json; each test case is expected to succeed.")
@click.option("--name", help="The state machine's name in the mock config (default: the definition file's name).")
@click.option("--test-case", "test_cases", multiple=True, help="Run only this MockConfigFile test case (repeatable).")
@click.option("--lambda", "lambda_specs", multiple=True, metavar="NAME=module:function",
              help="A local Lambda handler for --definition runs (repeatable).")
@click.option("--input", "input_text", help="With --mock-config: the execution input (JSON) of every test case.")
@click.option("-k", "keyword", help="Run only cases whose name contains this text.")
@click.option("-v", "--verbose", is_flag=True, help="Show every case, not only failures.")
def test_command(paths: tuple[str, ...], junit_path: str | None, definition: str | None, mock_config: str | None,
                 name: str | None, test_cases: tuple[str, ...], lambda_specs: tuple[str, ...],
                 input_text: str | None, keyword: str | None, verbose: bool) -> int:
    """Run state-machine test suites: expected output, error, path, attempts, messages sent."""
    from ..testing.suite import CaseResult, SuiteError, discover, load_suite, run_suite

    started = time.perf_counter()
    suites: list[Any] = []
    results: list[CaseResult] = []
    if definition is not None or mock_config is not None:
        if definition is None or mock_config is None:
            raise click.UsageError("--definition and --mock-config go together")
        try:
            suites.append(_mock_config_suite(definition, mock_config, name, test_cases,
                                             lambda_targets(lambda_specs),
                                             {} if input_text is None else json_value(input_text, "--input")))
        except SuiteError as exc:
            raise click.UsageError(str(exc)) from None
    elif name or test_cases or lambda_specs or input_text is not None:
        raise click.UsageError("--name, --test-case, --lambda and --input apply to --definition/--mock-config runs")
    if paths or not suites:
        files = discover(paths or ["."])
        if not files and not suites:
            click.echo("asl test: no suite files found (looked for *.asl-test.yaml, *.asl-test.yml, "
                       "*.asl-test.json)", err=True)
            return 2
        for path in files:
            try:
                suites.append(load_suite(path))
            except SuiteError as exc:
                results.append(CaseResult(str(path), "(suite file)", False, [], 0.0, error=str(exc)))
    for suite in suites:
        if keyword:
            suite.cases = [c for c in suite.cases if keyword in c.name]
        if suite.cases:
            results.extend(run_suite(suite))
    if not results:
        click.echo("asl test: no case matched", err=True)
        return 2
    _report(results, verbose, time.perf_counter() - started)
    if junit_path:
        from ..testing.junit import junit_xml

        Path(junit_path).write_text(junit_xml(results), encoding="utf-8")
    return 0 if all(r.outcome in ("passed", "skipped") for r in results) else 1


def _mock_config_suite(definition: str, mock_config: str, name: str | None, test_cases: tuple[str, ...],
                       lambdas: dict[str, str], input_value: Any) -> Any:
    from ..resolvers.mock_config import state_machine_name
    from ..testing.mocks import list_test_cases
    from ..testing.suite import SuiteError, read_data, suite_from_data

    config = read_data(Path(mock_config))
    machine = state_machine_name(definition, name)
    cases = [case for m, case in list_test_cases(config) if m == machine]
    if test_cases:
        missing = [c for c in test_cases if c not in cases]
        if missing:
            raise SuiteError(f"{mock_config}: no test case {', '.join(map(repr, missing))} for {machine!r} "
                             f"(it has: {', '.join(cases) or 'none'})")
        cases = list(test_cases)
    if not cases:
        raise SuiteError(f"{mock_config}: no test cases for the state machine {machine!r}")
    data = {"definition": str(Path(definition).resolve()), "name": machine, "mock_config": config,
            "lambdas": lambdas, "cases": [{"name": case, "test_case": case, "input": input_value} for case in cases]}
    suite = suite_from_data(data, path=Path.cwd() / f"{machine}.asl-test.json")
    suite.path = Path(mock_config)
    return suite


def _report(results: list[Any], verbose: bool, seconds: float) -> None:
    marks = {"passed": click.style("PASS", fg="green"), "failed": click.style("FAIL", fg="red", bold=True),
             "error": click.style("ERROR", fg="red", bold=True), "skipped": click.style("SKIP", fg="yellow")}
    for result in results:
        if result.outcome == "passed" and not verbose:
            continue
        line = f"{marks[result.outcome]} {result.suite}::{result.name}"
        if result.outcome == "skipped":
            line += f" ({result.skipped})"
        click.echo(line)
        for failure in result.failures:
            click.echo(_indent(failure))
        if result.error:
            click.echo(_indent(result.error))
    counts = {k: sum(r.outcome == k for r in results) for k in ("passed", "failed", "error", "skipped")}
    parts = [f"{counts['passed']} passed"]
    parts += [f"{counts[k]} {'errors' if k == 'error' else k}" for k in ("failed", "error", "skipped") if counts[k]]
    color = "green" if not counts["failed"] and not counts["error"] else "red"
    click.echo(click.style(", ".join(parts) + f" in {seconds:.2f}s", fg=color))


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in str(text).splitlines())
