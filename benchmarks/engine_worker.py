"""Run one state machine to completion on one engine and print timings as one JSON line.

Invoked by the suites as ``python benchmarks/engine_worker.py`` with a JSON request on stdin:
``{"engine": "aslkit"|"moto", "definition": {...}, "input": ..., "repeat": N, "workflow_type": "STANDARD"}``.
Only the executions are timed (start to terminal status); loading/compiling is reported apart, because a
user loads a machine once and runs it many times.
"""
from __future__ import annotations

import json
import os
import sys
import time


def _states_entered(events) -> int:
    return sum(1 for event in events if str(event.get("type", "")).endswith("StateEntered"))


def run_aslkit(request: dict) -> dict:
    import asl

    start = time.perf_counter()
    machine = asl.load(request["definition"], workflow_type=request.get("workflow_type", "STANDARD"))
    load_seconds = time.perf_counter() - start
    seconds, execution = [], None
    for _ in range(request.get("repeat", 1)):
        start = time.perf_counter()
        execution = machine.execute(request["input"])
        seconds.append(time.perf_counter() - start)
    history = list(getattr(execution, "history", None) or [])
    return {"ok": True, "seconds": seconds, "load_seconds": load_seconds, "status": execution.status,
            "output": execution.output, "error": execution.error, "cause": execution.cause,
            "history_events": len(history), "states_entered": _states_entered(history)}


def run_moto(request: dict) -> dict:
    """moto's Step Functions interpreter (derived from LocalStack's), driven through boto3 as a user would.

    ``execute_state_machine`` makes moto really interpret the definition (otherwise executions are static);
    the execution runs in a moto worker thread, so the end is found by polling ``describe_execution``.
    """
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    import boto3
    from moto import mock_aws

    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        client = boto3.client("stepfunctions", region_name="us-east-1")
        start = time.perf_counter()
        arn = client.create_state_machine(
            name="bench", definition=json.dumps(request["definition"]),
            roleArn="arn:aws:iam::123456789012:role/bench",
            type=request.get("workflow_type", "STANDARD"))["stateMachineArn"]
        load_seconds = time.perf_counter() - start
        seconds, description, execution_arn = [], {}, None
        for attempt in range(request.get("repeat", 1)):
            start = time.perf_counter()
            execution_arn = client.start_execution(stateMachineArn=arn, name=f"run-{attempt}",
                                                   input=json.dumps(request["input"]))["executionArn"]
            while True:
                description = client.describe_execution(executionArn=execution_arn)
                if description["status"] != "RUNNING":
                    break
                time.sleep(0.002)
            seconds.append(time.perf_counter() - start)
        events = []
        for page in client.get_paginator("get_execution_history").paginate(executionArn=execution_arn):
            events.extend(page["events"])
    output = description.get("output")
    return {"ok": True, "seconds": seconds, "load_seconds": load_seconds, "status": description["status"],
            "output": json.loads(output) if output is not None else None, "error": description.get("error"),
            "cause": description.get("cause"), "history_events": len(events),
            "states_entered": _states_entered(events)}


ENGINES = {"aslkit": run_aslkit, "moto": run_moto}


def main() -> int:
    request = json.loads(sys.stdin.read())
    try:
        answer = ENGINES[request["engine"]](request)
    except ModuleNotFoundError as exc:
        answer = {"ok": False, "missing": True, "reason": f"not installed: {exc.name}"}
    except Exception as exc:  # report, do not crash: the suite prints the reason and carries on
        answer = {"ok": False, "reason": f"{type(exc).__name__}: {exc}"[:400]}
    print(json.dumps(answer, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
