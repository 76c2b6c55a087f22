"""A run loads only what its machine uses: resolvers and services on the first Task, JSONata for JSONata
states, threads for real-clock concurrency. (Cold-start cost is most of a one-off `asl run`.)"""
from __future__ import annotations

import json
import subprocess
import sys
import threading

from .conftest import make_machine

PASS_ONLY = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": True}}}
TASK = {"StartAt": "T", "States": {"T": {"Type": "Task", "End": True,
                                         "Resource": "arn:aws:lambda:us-east-1:111111111111:function:f"}}}
HEAVY = ("asl.resolvers", "asl.services", "asl.jsonata_expr", "jsonata", "concurrent.futures")


def modules_after(definition: dict) -> set[str]:
    code = (
        "import json, sys, asl\n"
        f"ex = asl.load(json.loads({json.dumps(json.dumps(definition))})).execute("
        "{}, lambdas={'f': lambda event, context: 'done'})\n"
        "assert ex.status == 'SUCCEEDED', ex.cause\n"
        "print(json.dumps(sorted(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def loaded(modules: set[str], prefix: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for name in modules)


def test_a_machine_without_tasks_loads_no_resolvers_services_jsonata_or_threads():
    modules = modules_after(PASS_ONLY)
    assert [prefix for prefix in HEAVY if loaded(modules, prefix)] == []


def test_the_first_lambda_task_loads_the_lambda_service_but_not_jsonata():
    modules = modules_after(TASK)
    assert loaded(modules, "asl.resolvers.lambda_") and loaded(modules, "asl.services.lambda_")
    assert not loaded(modules, "asl.jsonata_expr")


def test_a_distributed_map_builds_its_parents_resolver_chain_once():
    machine = make_machine({"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": True,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "T", "States": {"T": {
                              "Type": "Task", "End": True,
                              "Resource": "arn:aws:lambda:us-east-1:111111111111:function:f"}}}}}})
    calls = []
    outcome = []

    def run():
        outcome.append(machine.execute([1, 2, 3], lambdas={"f": lambda event, context: calls.append(event) or event}))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(20)
    assert outcome, "the run did not finish"
    assert outcome[0].status == "SUCCEEDED" and outcome[0].output == [1, 2, 3] and calls == [1, 2, 3]
    assert outcome[0]._run.resolvers is not None      # built once, by the first iteration, for the parent
