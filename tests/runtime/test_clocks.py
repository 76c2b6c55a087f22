"""One virtual clock for the runtime and the services; concurrent lines branch it, on any clock that can."""
from __future__ import annotations

import ast
from datetime import datetime, timezone
from pathlib import Path

import pytest

from asl.resolvers.environment import Environment
from asl.runtime import clock as clocks
from asl.runtime.clock import DEFAULT_START, RealClock, VirtualClock, branch_of, make_clock
from asl.services.scheduler import Scheduler

from .conftest import make_machine

PACKAGE = Path(__file__).resolve().parents[2] / "asl"


def waits(name: str, seconds: int) -> dict:
    return {"StartAt": name, "States": {name: {"Type": "Wait", "Seconds": seconds, "End": True}}}


def elapsed(execution) -> float:
    return execution.stop_time - execution.start_time


def test_a_branch_keeps_its_own_time_and_never_moves_its_parent():
    parent = VirtualClock(100.0)
    branch = parent.branch()
    later = parent.branch(150.0)
    branch.sleep(30)
    assert (parent.now(), branch.now(), later.now()) == (100.0, 130.0, 150.0)
    parent.advance_to(120.0)
    parent.advance_to(110.0)            # never backwards
    assert parent.now() == 120.0
    real = RealClock()
    assert branch_of(real) is real      # wall-clock time is shared, not branched


def test_the_duck_typed_helpers_accept_any_clock():
    class DatetimeClock:
        virtual = False

        def now(self):
            return datetime(2024, 1, 1, tzinfo=timezone.utc)

    assert clocks.now_of(DatetimeClock()) == DEFAULT_START
    assert not clocks.is_virtual(DatetimeClock()) and clocks.is_virtual(None) and clocks.is_virtual(VirtualClock())
    clock = VirtualClock(0.0)
    clocks.advance(clock, 5)
    clocks.advance_to(clock, 3)
    assert clock.now() == 5.0
    assert isinstance(make_clock("virtual"), VirtualClock) and make_clock(clock) is clock
    with pytest.raises(ValueError):
        make_clock("sundial")


def test_services_run_on_the_runtime_virtual_clock_from_a_fixed_start():
    assert isinstance(Scheduler().clock, VirtualClock)
    env = Environment()
    assert env.clock.now() == DEFAULT_START      # repeatable timestamps, as for a plain run


def test_parallel_branches_overlap_on_an_environment_clock():
    env = Environment()
    machine = make_machine({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        waits("A", 10), waits("B", 20), waits("C", 5)]}}})
    execution = machine.execute({}, clock=env.clock, resolvers=env.resolvers())
    assert execution.status == "SUCCEEDED"
    assert elapsed(execution) == 20          # not 35: the waits overlap, as on AWS
    assert env.clock.now() == DEFAULT_START + 20


def test_map_iterations_overlap_on_an_environment_clock_within_max_concurrency():
    env = Environment()
    machine = make_machine({"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 2, "End": True,
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$", "End": True}}}}}})
    execution = machine.execute([5, 5, 5, 5], clock=env.clock, resolvers=env.resolvers())
    assert execution.status == "SUCCEEDED"
    assert elapsed(execution) == 10          # two slots, two rounds of five seconds
    starts = [e["timestamp"].timestamp() - DEFAULT_START for e in execution.history
              if e["type"] == "MapIterationStarted"]
    assert starts == [0, 0, 5, 5]


def test_service_work_falls_due_while_a_branch_waits():
    env = Environment()
    ran = []
    env.scheduler.call_later(15, lambda: ran.append(env.scheduler.now() - DEFAULT_START), "probe")
    machine = make_machine({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        waits("Short", 1), waits("Long", 30)]}}})
    execution = machine.execute({}, clock=env.clock, resolvers=env.resolvers())
    assert execution.status == "SUCCEEDED" and elapsed(execution) == 30
    assert ran == [15]                       # ran during the long branch's wait, at its own time


def test_the_runtime_never_imports_the_services():
    for path in sorted((PACKAGE / "runtime").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                assert "services" not in module, f"{path.name} imports {module}"
    assert not (PACKAGE / "services" / "clock.py").exists()
