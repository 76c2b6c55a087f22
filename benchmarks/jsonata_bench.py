"""JSONata suite: the counting loop written with ``{% %}`` (Choice Condition, Assign, Output).

moto's interpreter cannot evaluate JSONata (it needs a JavaScript engine it does not ship: its executions
fail with States.Runtime), so only aslkit's rate is printed, beside the JSONPath loop's rate from the
run suite, which does have a moto ratio.
"""
from __future__ import annotations

from . import execution_bench
from .common import DATA_DIR, Report

JSONATA_LOOP = DATA_DIR / "jsonata_count_loop.asl.json"


def run(report: Report, *, quick: bool, jsonpath_rate: float | None = None,
        jsonpath_measured: bool = False) -> None:
    """``jsonpath_measured``: the run suite already timed the JSONPath loop (its rate may be None if it failed)."""
    n = 1500 if quick else 6000
    report.section(f"jsonata: counting loop in JSONata (Condition + Assign/Output), aslkit counts to {n}")
    workload = execution_bench.count_loop_workload(n)
    results = execution_bench.measure(execution_bench.load_definition(JSONATA_LOOP), {"aslkit": workload},
                                      rounds=1 if quick else 3, timeout=120 if quick else 600)
    rate = execution_bench.describe(report, "aslkit JSONata transitions", results["aslkit"], workload)
    report.value("moto JSONata", "not supported by moto (no JavaScript engine): no baseline")
    if not jsonpath_measured:
        jsonpath_rate = execution_bench.bench_count_loop(report, quick=quick)
        report.section("jsonata (continued)")
    if jsonpath_rate:
        report.value("aslkit JSONPath transitions", f"{jsonpath_rate:12,.0f} transitions/s (same loop, JSONPath)")
    if rate and jsonpath_rate:
        report.value("JSONata / JSONPath speed", f"{rate / jsonpath_rate:.2f} (1.0 = as fast as JSONPath)")
