"""Serve executions of one state machine on one engine, one JSON line per request, for the run suites.

Started by ``EngineSession`` (benchmarks/common.py) as ``python benchmarks/engine_worker.py``. Protocol on
stdin/stdout, one JSON object per line:

    -> {"engine": "aslkit"|"moto", "definition": {...}, "workflow_type": "STANDARD", "warmup_input": ...}
    <- {"ok": true, "load_seconds": ...}            (or {"ok": false, "reason": ..., "missing": bool})
    -> {"input": ...}                               (any number of times)
    <- {"ok": true, "seconds": ..., "status": ..., "output": ..., "states_entered": ..., ...}

Only the executions are timed (start to terminal status); loading/compiling is reported apart, because a
user loads a machine once and runs it many times. A long-lived worker per engine lets the suite alternate
the engines run by run, so a machine whose load changes during the benchmark slows both alike.
"""
from __future__ import annotations

import json
import os
import sys
import time


def _states_entered(events) -> int:
    return sum(1 for event in events if str(event.get("type", "")).endswith("StateEntered"))


class AslkitEngine:
    def __init__(self, definition: dict, workflow_type: str) -> None:
        import asl

        self.machine = asl.load(definition, workflow_type=workflow_type)

    def execute(self, value) -> dict:
        start = time.perf_counter()
        execution = self.machine.execute(value)
        seconds = time.perf_counter() - start
        history = list(getattr(execution, "history", None) or [])
        return {"seconds": seconds, "status": execution.status, "output": execution.output,
                "error": execution.error, "cause": execution.cause, "history_events": len(history),
                "states_entered": _states_entered(history)}


class MotoEngine:
    """moto's Step Functions interpreter (derived from LocalStack's), driven through boto3 as a user would.

    ``execute_state_machine`` makes moto really interpret the definition (otherwise executions are static);
    each execution runs in a moto worker thread, so its end is found by polling ``describe_execution``.
    """

    def __init__(self, definition: dict, workflow_type: str) -> None:
        for key, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                           ("AWS_DEFAULT_REGION", "us-east-1")):
            os.environ.setdefault(key, value)
        import boto3
        from moto import mock_aws

        self.mock = mock_aws(config={"stepfunctions": {"execute_state_machine": True}})
        self.mock.start()
        self.client = boto3.client("stepfunctions", region_name="us-east-1")
        self.arn = self.client.create_state_machine(
            name="bench", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/bench",
            type=workflow_type)["stateMachineArn"]
        self.runs = 0

    def execute(self, value) -> dict:
        self.runs += 1
        start = time.perf_counter()
        execution_arn = self.client.start_execution(stateMachineArn=self.arn, name=f"run-{self.runs}",
                                                    input=json.dumps(value))["executionArn"]
        while True:
            description = self.client.describe_execution(executionArn=execution_arn)
            if description["status"] != "RUNNING":
                break
            time.sleep(0.002)
        seconds = time.perf_counter() - start
        events = []
        for page in self.client.get_paginator("get_execution_history").paginate(executionArn=execution_arn):
            events.extend(page["events"])
        output = description.get("output")
        return {"seconds": seconds, "status": description["status"],
                "output": json.loads(output) if output is not None else None, "error": description.get("error"),
                "cause": description.get("cause"), "history_events": len(events),
                "states_entered": _states_entered(events)}


ENGINES = {"aslkit": AslkitEngine, "moto": MotoEngine}


def _reply(answer: dict) -> None:
    sys.stdout.write(json.dumps(answer, default=str) + "\n")
    sys.stdout.flush()


def _failure(exc: Exception) -> dict:
    if isinstance(exc, ModuleNotFoundError):
        return {"ok": False, "missing": True, "reason": f"not installed: {exc.name}"}
    return {"ok": False, "reason": f"{type(exc).__name__}: {exc}"[:400]}


def main() -> int:
    setup = json.loads(sys.stdin.readline())
    try:
        start = time.perf_counter()
        engine = ENGINES[setup["engine"]](setup["definition"], setup.get("workflow_type", "STANDARD"))
        load_seconds = time.perf_counter() - start
        if "warmup_input" in setup:  # first-run costs (lazy imports, caches) are not the steady state
            engine.execute(setup["warmup_input"])
    except Exception as exc:  # report, do not crash: the suite prints the reason and carries on
        _reply(_failure(exc))
        return 0
    _reply({"ok": True, "load_seconds": load_seconds})
    for line in sys.stdin:
        try:
            _reply({"ok": True, **engine.execute(json.loads(line)["input"])})
        except Exception as exc:
            _reply(_failure(exc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
