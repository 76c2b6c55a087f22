"""pytest fixtures for testing state machines (registered through the ``pytest11`` entry point).

::

    def test_retries_a_throttled_charge(asl_run, asl_lambdas, asl_faults):
        asl_lambdas["Charge"] = lambda event, context: {"charged": event["amount"]}
        asl_faults.fail("Charge", Fault.throttle(), times=2)
        result = asl_run("order.asl.json", {"amount": 10})
        result.assert_succeeded().assert_attempts("Charge", 3)

Fixtures (``pytest --fixtures`` lists them): ``asl_run``, ``asl_load``, ``asl_lambdas``, ``asl_mocks``,
``asl_faults``, ``asl_services``, ``asl_seed``, ``asl_definition`` / ``asl_machine``. Each test gets fresh
lambdas, mocks and faults (as pytest-httpserver clears its server per test); compiled machines are
cached for the session, so loading the same definition in many tests costs one compile.

Importing this module imports neither Hypothesis nor the runtime: everything heavy is imported inside
the fixtures (the rule Hypothesis's own plugin follows), so the plugin costs nothing to projects that
never use it.
"""
from __future__ import annotations

import os
from typing import Any, Callable

import pytest


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("asl", "aslkit state machine testing")
    group.addoption("--asl-seed", action="store", type=int, default=None,
                    help="seed of the random source of executions run by the asl_run fixture (default 0)")
    parser.addini("asl_seed", "default seed for asl_run executions", default="0")


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", "asl_definition(path_or_definition): the state machine the asl_machine fixture loads")


# --- per-test doubles -------------------------------------------------------------------------------

class LambdaHandlers(dict):
    """``{function name: handler}`` for one test, with helpers and a record of every event received.

    ``asl_lambdas["Charge"] = handler`` (a callable ``(event, context)`` or ``"module:function"``);
    ``asl_lambdas.returns("Charge", value)``; ``asl_lambdas.raises("Charge", "PaymentDeclined", "no
    funds")`` (the function raises an exception of that type, which Step Functions names
    ``PaymentDeclined``); ``asl_lambdas.echo("Charge")``; ``asl_lambdas.events("Charge")`` lists the
    events the function received.
    """

    def __init__(self) -> None:
        super().__init__()
        self._events: dict[str, list[Any]] = {}

    def __setitem__(self, name: str, handler: Any) -> None:
        super().__setitem__(name, self._recording(name, handler))

    def _recording(self, name: str, handler: Any) -> Any:
        if not callable(handler):
            from ..services.handlers import load_handler

            handler = load_handler(handler)
        events = self._events.setdefault(name, [])

        def recorded(event: Any, context: Any = None) -> Any:
            events.append(event)
            return handler(event, context)

        recorded.__name__ = getattr(handler, "__name__", "handler")
        recorded.__wrapped__ = handler  # type: ignore[attr-defined]
        return recorded

    def returns(self, name: str, value: Any) -> "LambdaHandlers":
        self[name] = lambda event, context=None: value
        return self

    def echo(self, *names: str) -> "LambdaHandlers":
        for name in names:
            self[name] = lambda event, context=None: event
        return self

    def raises(self, name: str, error_type: str, message: str = "") -> "LambdaHandlers":
        exception_class = type(error_type, (Exception,), {})

        def handler(event: Any, context: Any = None) -> Any:
            raise exception_class(message)

        self[name] = handler
        return self

    def events(self, name: str) -> list[Any]:
        """The events ``name`` received, in order."""
        return list(self._events.get(name, []))


class FaultPlan:
    """Builds a :class:`~asl.testing.faults.FaultSchedule` for one test.

    ``asl_faults.fail("Charge", Fault.throttle(), times=2)`` fails the next two attempts of Charge
    not yet planned; ``asl_faults.at("Charge", 3, Fault.timeout())`` fails attempt 3 (0-based).
    """

    def __init__(self) -> None:
        self._plan: dict[str, list[Any]] = {}

    def fail(self, state: str, fault: Any = None, *, times: int = 1) -> "FaultPlan":
        from .faults import Fault

        row = self._plan.setdefault(state, [])
        row.extend([fault if fault is not None else Fault.failure("States.TaskFailed", "injected")] * times)
        return self

    def at(self, state: str, attempt: int, fault: Any) -> "FaultPlan":
        row = self._plan.setdefault(state, [])
        row.extend([None] * (attempt + 1 - len(row)))
        row[attempt] = fault
        return self

    def use(self, schedule: Any) -> "FaultPlan":
        """Adopt a drawn schedule (from ``asl.testing.strategies.fault_schedules``)."""
        self._plan = {state: list(faults) for state, faults in schedule.plan.items()}
        return self

    @property
    def schedule(self) -> Any:
        from .faults import FaultSchedule

        return FaultSchedule({state: tuple(row) for state, row in self._plan.items()})

    def __bool__(self) -> bool:
        return any(f is not None for row in self._plan.values() for f in row)


# --- fixtures ---------------------------------------------------------------------------------------

@pytest.fixture
def asl_seed(request: Any) -> int:
    """The seed of executions run by ``asl_run`` (``--asl-seed``, the ``asl_seed`` ini value, else 0).
    Same definition + input + doubles + seed => same output and history, event for event."""
    option = request.config.getoption("--asl-seed", default=None)
    if option is not None:
        return int(option)
    return int(request.config.getini("asl_seed") or 0)


@pytest.fixture
def asl_lambdas() -> LambdaHandlers:
    """Lambda handlers for this test: ``asl_lambdas["Charge"] = handler``, ``.returns(name, value)``,
    ``.raises(name, error_type, message)``, ``.echo(name)``; ``.events(name)`` is what ``name`` received."""
    return LambdaHandlers()


@pytest.fixture
def asl_mocks() -> Any:
    """Mocked Task responses for this test, Step Functions Local style (one per attempt):
    ``asl_mocks.state("Charge").throws("Lambda.ServiceException", "boom").returns({"ok": True})``."""
    from .mocks import Mocks

    return Mocks()


@pytest.fixture
def asl_faults() -> FaultPlan:
    """Faults to inject in this test: ``asl_faults.fail("Charge", Fault.throttle(), times=2)``,
    ``asl_faults.at("Charge", 3, Fault.timeout())``; ``asl_faults.use(schedule)`` for drawn ones."""
    return FaultPlan()


@pytest.fixture
def asl_services() -> Any:
    """In-memory AWS services for this test (SQS queues, SNS topics, EventBridge buses) that Task
    states talk to; ``result.sent(queue_or_topic)`` lists what a run sent. Skips the test when the
    installed aslkit has no local services."""
    from .environment import new_environment

    environment = new_environment()
    if environment is None:
        pytest.skip("this aslkit has no in-memory services (asl.resolvers.Environment)")
    return environment


@pytest.fixture(scope="session")
def _asl_machine_cache() -> dict:
    return {}


@pytest.fixture
def asl_load(request: Any, _asl_machine_cache: dict) -> Callable[..., Any]:
    """``asl_load(definition, **options)``: load (lint + compile) a definition once per session.
    A relative path is found next to the test file. Raises ``asl.DefinitionError`` when invalid."""
    base = os.path.dirname(str(request.path)) if getattr(request, "path", None) else os.getcwd()

    def load(definition: Any, **options: Any) -> Any:
        import asl

        if isinstance(definition, (str, os.PathLike)):
            candidate = os.path.join(base, os.fspath(definition))
            if not os.path.isabs(os.fspath(definition)) and os.path.exists(candidate):
                definition = candidate
        key = _cache_key(definition, options)
        if key is not None and key in _asl_machine_cache:
            return _asl_machine_cache[key]
        machine = asl.load(definition, **options)
        if key is not None:
            _asl_machine_cache[key] = machine
        return machine

    return load


def _cache_key(definition: Any, options: dict) -> Any:
    import json

    try:
        if isinstance(definition, (str, os.PathLike)) and os.path.exists(os.fspath(definition)):
            stat = os.stat(definition)
            body = ("path", os.path.abspath(os.fspath(definition)), stat.st_mtime_ns, stat.st_size)
        else:
            body = ("value", json.dumps(definition, sort_keys=True, default=str))
        return body + (json.dumps(options, sort_keys=True, default=repr),)
    except (TypeError, ValueError, OSError):
        return None


@pytest.fixture
def asl_definition(request: Any) -> Any:
    """The definition ``asl_machine`` loads: from ``@pytest.mark.asl_definition(...)``; override this
    fixture in a module or conftest to give one definition to many tests."""
    marker = request.node.get_closest_marker("asl_definition")
    if marker is None or not marker.args:
        raise pytest.UsageError("asl_machine needs a definition: mark the test with "
                                "@pytest.mark.asl_definition('flow.asl.json') or override the asl_definition fixture")
    return marker.args[0]


@pytest.fixture
def asl_machine(asl_load: Callable[..., Any], asl_definition: Any) -> Any:
    """The machine of ``asl_definition``, loaded (once per session)."""
    return asl_load(asl_definition)


@pytest.fixture
def asl_run(asl_load: Callable[..., Any], asl_lambdas: LambdaHandlers, asl_mocks: Any, asl_faults: FaultPlan,
            asl_seed: int, request: Any) -> Callable[..., Any]:
    """``asl_run(definition_or_machine, input=None, **overrides) -> RunResult``: run once with this
    test's ``asl_lambdas``, ``asl_mocks``, ``asl_faults`` (and ``asl_services`` when the test uses it),
    on a virtual clock, seeded with ``asl_seed``. Keyword overrides: ``lambdas``, ``mocks``, ``faults``,
    ``services``, ``resolvers``, ``seed``, ``clock``, ``name``. ``RunResult`` has ``status``, ``output``,
    ``error``, ``cause``, ``path``, ``history``, ``attempts(state)``, ``calls(state)``, ``sent(target)``
    and ``assert_*`` methods whose failure messages show the path and the differing values."""

    def run(definition: Any, input: Any = None, **overrides: Any) -> Any:
        from .harness import run as harness_run

        machine = definition if hasattr(definition, "execute") else asl_load(definition)
        options: dict[str, Any] = {
            "lambdas": dict(asl_lambdas), "mocks": asl_mocks,
            "faults": asl_faults.schedule if asl_faults else None, "seed": asl_seed,
        }
        if "asl_services" in request.fixturenames:
            options["services"] = request.getfixturevalue("asl_services")
        options.update(overrides)
        return harness_run(machine, input, **options)

    return run
