"""Suite files: tests of a state machine written as data, run by ``asl test``.

A suite is a YAML or JSON file (conventionally ``*.asl-test.yaml``)::

    definition: order.asl.json        # a path relative to this file, or the definition inline
    name: OrderWorkflow               # the machine's name (MockConfigFile lookups); default: file name
    lambdas:                          # function name -> handler ("module:function", "file.py:function")
      Charge: handlers.py:charge
    environment: local.yaml           # optional: queues, topics, functions (asl.resolvers env file or inline)
    mock_config: MockConfigFile.json  # optional: AWS Step Functions Local mocks, used by test_case
    seed: 0
    cases:
      - name: pays and ships
        input: {"order": {"id": 1}}   # or input_file: order.json
        mocks:                        # per-state responses, one per attempt (MockConfigFile semantics)
          Ship: [{Return: {"tracking": "T1"}}]
        faults:                       # per-state injected faults, one per attempt (null = no fault)
          Charge: [throttle, null]
        expect:
          status: SUCCEEDED
          output: {...}               # or output_contains / output_schema
          path: [Validate, Charge, Ship]    # or visited / not_visited
          attempts: {Charge: 2}
          sent: {orders-queue: [...]} # bodies sent to a queue / topic / bus
      - name: happy path from the mock file
        test_case: HappyPath          # a MockConfigFile test case of `name`
        expect: {status: SUCCEEDED}

Without ``cases``, a suite with a ``mock_config`` runs every test case the file has for the machine,
each expected to succeed. ``expect`` defaults to ``{status: SUCCEEDED}``. Keys are checked: a typo is
an error, not a silently weaker test.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from ..errors import AslError
from ..resolvers.yaml_text import load_yaml
from .faults import Fault, FaultSchedule
from .mocks import MockConfigError, Mocks, list_test_cases

SUITE_SUFFIXES = (".asl-test.yaml", ".asl-test.yml", ".asl-test.json")
_SUITE_KEYS = {"definition", "name", "workflow_type", "lambdas", "environment", "mock_config", "seed", "cases",
               "description"}
_CASE_KEYS = {"name", "description", "input", "input_file", "test_case", "mocks", "faults", "lambdas", "expect",
              "seed", "skip"}
_EXPECT_KEYS = {"status", "output", "output_contains", "output_schema", "error", "cause", "cause_contains", "path",
                "visited", "not_visited", "attempts", "sent", "queues"}
_STATUSES = ("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")


class SuiteError(AslError):
    """A suite file cannot be used; the message names the file and the place in it."""


@dataclass
class Case:
    name: str
    input: Any = None
    test_case: str | None = None
    mocks: Mocks | None = None
    faults: FaultSchedule | None = None
    lambdas: dict[str, Any] = field(default_factory=dict)
    expect: dict[str, Any] = field(default_factory=lambda: {"status": "SUCCEEDED"})
    seed: int | None = None
    skip: str | None = None


@dataclass
class Suite:
    path: Path | None
    definition: Any
    name: str
    cases: list[Case]
    workflow_type: str = "STANDARD"
    lambdas: dict[str, Any] = field(default_factory=dict)
    environment: Any = None
    mock_config: Any = None
    seed: int = 0

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    @property
    def label(self) -> str:
        return str(self.path) if self.path is not None else self.name


@dataclass
class CaseResult:
    suite: str
    name: str
    passed: bool
    failures: list[str]
    seconds: float
    skipped: str | None = None
    error: str | None = None          # the case could not run at all (bad mock, unknown handler, ...)
    run: Any = None

    @property
    def outcome(self) -> str:
        if self.skipped is not None:
            return "skipped"
        if self.error is not None:
            return "error"
        return "passed" if self.passed else "failed"


# --- reading --------------------------------------------------------------------------------------------

def read_data(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SuiteError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        if path.suffix == ".json":
            return json.loads(text)
        return load_yaml(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise SuiteError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {exc}") from None


def load_suite(path: str | os.PathLike) -> Suite:
    path = Path(path)
    return suite_from_data(read_data(path), path=path)


def suite_from_data(data: Any, *, path: Path | None = None) -> Suite:
    where = str(path) if path is not None else "suite"
    if not isinstance(data, Mapping):
        raise SuiteError(f"{where}: a suite is an object with 'definition' and 'cases'")
    _check_keys(where, data, _SUITE_KEYS)
    base = path.parent if path is not None else Path.cwd()
    if "definition" not in data:
        raise SuiteError(f"{where}: 'definition' is required (a path or the definition itself)")
    definition = data["definition"]
    name = data.get("name")
    if isinstance(definition, str) and not definition.lstrip().startswith("{"):
        definition_path = base / definition
        if not definition_path.exists():
            raise SuiteError(f"{where}/definition: no such file {definition_path}")
        definition = str(definition_path)
        if name is None:
            from ..resolvers.mock_config import state_machine_name

            name = state_machine_name(definition_path)
    if name is None:
        name = path.name.split(".")[0] if path is not None else "StateMachine"
    mock_config = data.get("mock_config")
    if isinstance(mock_config, str):
        mock_config = read_data(base / mock_config)
    lambdas = _lambdas(f"{where}/lambdas", data.get("lambdas"), base)
    environment = data.get("environment")
    if isinstance(environment, str):
        environment = str(base / environment)
    suite = Suite(path=path, definition=definition, name=str(name), cases=[],
                  workflow_type=str(data.get("workflow_type", "STANDARD")), lambdas=lambdas,
                  environment=environment, mock_config=mock_config, seed=_int(f"{where}/seed", data.get("seed", 0)))
    cases = data.get("cases")
    if cases is None:
        if mock_config is None:
            raise SuiteError(f"{where}: 'cases' is required (or a 'mock_config' whose test cases to run)")
        cases = [{"name": case, "test_case": case}
                 for machine, case in list_test_cases(mock_config) if machine == suite.name]
        if not cases:
            raise SuiteError(f"{where}: the mock config has no test cases for the state machine {suite.name!r}")
    if not isinstance(cases, list) or not cases:
        raise SuiteError(f"{where}/cases: a non-empty list of cases")
    seen: set[str] = set()
    for i, raw in enumerate(cases):
        case = _case(f"{where}/cases/{i}", raw, base, suite)
        if case.name in seen:
            raise SuiteError(f"{where}/cases/{i}: the case name {case.name!r} is used twice")
        seen.add(case.name)
        suite.cases.append(case)
    return suite


def _case(where: str, raw: Any, base: Path, suite: Suite) -> Case:
    if not isinstance(raw, Mapping):
        raise SuiteError(f"{where}: a case is an object (name, input, expect, ...)")
    _check_keys(where, raw, _CASE_KEYS)
    name = str(raw.get("name") or raw.get("test_case") or where.rsplit("/", 1)[-1])
    if "input" in raw and "input_file" in raw:
        raise SuiteError(f"{where}: give 'input' or 'input_file', not both")
    value = raw.get("input")
    if "input_file" in raw:
        value = read_data(base / str(raw["input_file"]))
    mocks = None
    try:
        if raw.get("mocks") is not None:
            mocks = Mocks.from_responses(raw["mocks"], where=f"{where}/mocks")
        test_case = raw.get("test_case")
        if test_case is not None:
            if suite.mock_config is None:
                raise SuiteError(f"{where}/test_case: the suite has no 'mock_config'")
            from_file = Mocks.from_mock_config(suite.mock_config, suite.name, str(test_case))
            if mocks is not None:       # the case's own mocks win over the file's, state by state
                for state in mocks:
                    from_file.state(state).responses[:] = mocks.state(state).responses
            mocks = from_file
    except MockConfigError as exc:
        raise SuiteError(f"{where}: {exc}") from None
    expect = raw.get("expect", {"status": "SUCCEEDED"})
    if not isinstance(expect, Mapping):
        raise SuiteError(f"{where}/expect: an object of expectations")
    _check_keys(f"{where}/expect", expect, _EXPECT_KEYS)
    expect = dict(expect)
    if "status" not in expect:
        expect["status"] = "FAILED" if ("error" in expect or "cause" in expect or "cause_contains" in expect) \
            else "SUCCEEDED"
    if expect["status"] not in _STATUSES:
        raise SuiteError(f"{where}/expect/status: one of {', '.join(_STATUSES)}")
    skip = raw.get("skip")
    return Case(name=name, input=value, test_case=None if raw.get("test_case") is None else str(raw["test_case"]),
                mocks=mocks, faults=_faults(f"{where}/faults", raw.get("faults")),
                lambdas=_lambdas(f"{where}/lambdas", raw.get("lambdas"), base), expect=expect,
                seed=None if raw.get("seed") is None else _int(f"{where}/seed", raw["seed"]),
                skip=None if not skip else (skip if isinstance(skip, str) else "skipped in the suite"))


def _faults(where: str, value: Any) -> FaultSchedule | None:
    """``{state: [fault or null, ...]}``; a fault is ``throttle``, ``timeout``, ``heartbeat``, an error
    name, or ``{error: Name, cause: text}``."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise SuiteError(f"{where}: an object mapping state names to lists of faults")
    plan: dict[str, tuple[Fault | None, ...]] = {}
    for state, faults in value.items():
        if not isinstance(faults, list):
            faults = [faults]
        plan[str(state)] = tuple(_fault(f"{where}/{state}/{i}", f) for i, f in enumerate(faults))
    return FaultSchedule(plan)


def _fault(where: str, value: Any) -> Fault | None:
    if value is None:
        return None
    if isinstance(value, str):
        shortcuts = {"throttle": Fault.throttle, "timeout": Fault.timeout, "heartbeat": Fault.heartbeat}
        if value in shortcuts:
            return shortcuts[value]()
        return Fault.failure(value)
    if isinstance(value, Mapping):
        if "throttle" in value:
            return Fault.throttle(str(value["throttle"]))
        error = value.get("error", value.get("Error"))
        if not isinstance(error, str) or not error:
            raise SuiteError(f"{where}: a fault object needs 'error' (a name)")
        cause = value.get("cause", value.get("Cause", ""))
        return Fault.failure(error, "" if cause is None else str(cause))
    raise SuiteError(f"{where}: a fault is throttle, timeout, heartbeat, an error name or {{error, cause}}")


def _lambdas(where: str, value: Any, base: Path) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SuiteError(f"{where}: an object mapping function names to handlers ('module:function')")
    out = {}
    for name, spec in value.items():
        if not isinstance(spec, str):
            raise SuiteError(f"{where}/{name}: a handler spec string ('module:function' or 'file.py:function')")
        target = spec.rpartition(":")[0] or spec
        if target.endswith(".py") and not os.path.isabs(target):
            spec = str(base / target) + spec[len(target):]
        out[str(name)] = spec
    return out


def _check_keys(where: str, data: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise SuiteError(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")


def _int(where: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SuiteError(f"{where}: an integer")
    return value


# --- running -------------------------------------------------------------------------------------------

def run_suite(suite: Suite) -> list[CaseResult]:
    """Run every case of ``suite``; never raises for a failing case (it is reported)."""
    import asl

    from .environment import new_environment
    from .harness import run

    started = time.perf_counter()
    try:
        machine = asl.load(suite.definition, workflow_type=suite.workflow_type, name=suite.name)
    except asl.DefinitionError as exc:
        message = "the definition is invalid:\n" + "\n".join(
            f"    {d.line or '?'}:{d.column or '?'} {d.code} {d.message}" for d in exc.diagnostics[:20])
        return [CaseResult(suite.label, case.name, False, [], time.perf_counter() - started, error=message)
                for case in suite.cases]
    results = []
    for case in suite.cases:
        started = time.perf_counter()
        if case.skip:
            results.append(CaseResult(suite.label, case.name, True, [], 0.0, skipped=case.skip))
            continue
        try:
            environment = None
            if suite.environment is not None:
                environment = new_environment(suite.environment, base_dir=suite.base_dir)
            result = run(machine, case.input, lambdas={**suite.lambdas, **case.lambdas}, mocks=case.mocks,
                         faults=case.faults, services=environment,
                         seed=case.seed if case.seed is not None else suite.seed)
        except (AslError, ValueError, OSError, ImportError) as exc:
            results.append(CaseResult(suite.label, case.name, False, [], time.perf_counter() - started,
                                      error=f"{type(exc).__name__}: {exc}"))
            continue
        failures = check_expectations(result, case.expect)
        results.append(CaseResult(suite.label, case.name, not failures, failures,
                                  time.perf_counter() - started, run=result))
    return results


def check_expectations(result: Any, expect: Mapping[str, Any]) -> list[str]:
    """Every expectation that does not hold, as a message (empty when the case passes)."""
    from .properties import assert_output_matches
    from .result import ExecutionAssertionError

    checks: list[tuple[str, Any]] = []
    status = expect.get("status", "SUCCEEDED")
    checks.append(("status", lambda: result.assert_status(status)))
    if "error" in expect or "cause" in expect or "cause_contains" in expect:
        checks.append(("error", lambda: result.assert_failed(expect.get("error"), expect.get("cause"),
                                                               cause_contains=expect.get("cause_contains"))))
    if "output" in expect:
        checks.append(("output", lambda: result.assert_output(expect["output"])))
    if "output_contains" in expect:
        checks.append(("output_contains", lambda: result.assert_output_contains(expect["output_contains"])))
    if "output_schema" in expect:
        checks.append(("output_schema", lambda: assert_output_matches(result, expect["output_schema"])))
    if "path" in expect:
        checks.append(("path", lambda: result.assert_path(*_strings(expect["path"]))))
    if "visited" in expect:
        checks.append(("visited", lambda: result.assert_visited(*_strings(expect["visited"]))))
    if "not_visited" in expect:
        checks.append(("not_visited", lambda: result.assert_not_visited(*_strings(expect["not_visited"]))))
    for state, count in (expect.get("attempts") or {}).items():
        checks.append((f"attempts.{state}", lambda s=state, c=count: result.assert_attempts(s, c)))
    for target, bodies in (expect.get("sent") or {}).items():
        checks.append((f"sent.{target}", lambda t=target, b=bodies: _check_sent(result, t, b)))
    for queue, count in (expect.get("queues") or {}).items():
        checks.append((f"queues.{queue}", lambda q=queue, c=count: _check_queue(result, q, c)))
    failures = []
    for label, check in checks:
        try:
            check()
        except ExecutionAssertionError as exc:
            failures.append(f"[{label}] {exc}")
    return failures


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _check_sent(result: Any, target: str, expected: Any) -> None:
    from .result import ExecutionAssertionError, json_diff

    actual = result.sent(target)
    if isinstance(expected, int) and not isinstance(expected, bool):
        if len(actual) != expected:
            raise ExecutionAssertionError(f"expected {expected} message(s) sent to {target!r}, got {len(actual)}\n"
                                          + result.explain())
        return
    differences = json_diff(expected, [_maybe_json(a) for a in actual])
    if differences:
        raise ExecutionAssertionError(f"what was sent to {target!r} differs:\n"
                                      + "\n".join("    " + d for d in differences) + "\n" + result.explain())


def _check_queue(result: Any, queue: str, count: Any) -> None:
    from .result import ExecutionAssertionError

    left = result.queue(queue)
    if len(left) != count:
        raise ExecutionAssertionError(f"expected {count} message(s) left in queue {queue!r}, found {len(left)}\n"
                                      + result.explain())


def _maybe_json(value: Any) -> Any:
    """SQS bodies and SNS messages are strings; compare JSON text as the value it encodes."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def discover(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Suite files among ``paths`` (directories are searched for ``*.asl-test.yaml|yml|json``)."""
    out: list[Path] = []
    for item in paths:
        path = Path(item)
        if not path.is_dir():
            out.append(path)
            continue
        found = []
        for folder, dirs, files in os.walk(path):
            # never descend into virtualenvs, caches or hidden folders (a repo's .venv holds thousands of files)
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIPPED_FOLDERS]
            found.extend(Path(folder) / f for f in files if f.endswith(SUITE_SUFFIXES))
        out.extend(sorted(found))
    return out


_SKIPPED_FOLDERS = {"node_modules", "__pycache__", "venv", "site-packages", "build", "dist"}
