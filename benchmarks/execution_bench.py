"""Run suite: aslkit's interpreter against moto's Step Functions interpreter (derived from LocalStack's).

(a) transitions/second on a Pass/Choice/States.MathAdd counting loop, history on (``execute``'s default);
(b) items/second through a 1,000-item inline Map whose inner Pass builds an object with ``.$`` keys.
moto is much slower, so it gets a smaller workload; rates (not times) are compared. A "transition" is a
state entered (a ``*StateEntered`` history event), counted from each engine's own history.

The loop stays a STANDARD workflow: counting to n writes 4n + 8 history events, so n is kept under the
25,000-event limit that fails a Standard execution on AWS (and in aslkit).
"""
from __future__ import annotations

import json
import statistics

from .common import DATA_DIR, Report, fmt_ms, fmt_rate, run_worker

COUNT_LOOP = DATA_DIR / "count_loop.asl.json"
MAP_ITEMS = DATA_DIR / "map_items.asl.json"


def load_definition(path) -> dict:
    return json.loads(path.read_text())


def map_input(size: int) -> dict:
    return {"items": [{"id": i, "price": round(i * 1.25, 2), "tags": ["bench", f"t{i % 7}"]} for i in range(size)]}


def measure(engine: str, definition: dict, value, *, repeat: int, timeout: float) -> dict:
    """One worker process: load once, execute ``repeat`` times; adds the median execution time."""
    answer = run_worker({"engine": engine, "definition": definition, "input": value, "repeat": repeat},
                        timeout=timeout)
    if answer.get("ok"):
        answer["median"] = statistics.median(answer["seconds"])
    return answer


def describe(report: Report, label: str, answer: dict, *, work: float, unit: str, expect_output) -> float | None:
    """Print one engine's result; return its rate, or None when it failed or computed the wrong answer."""
    if not answer.get("ok"):
        report.value(label, f"FAILED TO RUN: {answer.get('reason')}")
        return None
    if answer["status"] != "SUCCEEDED" or not expect_output(answer["output"]):
        report.value(label, f"WRONG RESULT: status {answer['status']} error {answer.get('error')} "
                            f"cause {str(answer.get('cause'))[:120]} output {json.dumps(answer['output'])[:120]}")
        return None
    rate = work / answer["median"]
    report.value(label, f"{fmt_rate(rate, unit)}   ({fmt_ms(answer['median']).strip()} per run, "
                        f"load {fmt_ms(answer['load_seconds']).strip()}, {answer['history_events']} events)")
    return rate


def bench_count_loop(report: Report, *, quick: bool) -> float | None:
    """Returns aslkit's JSONPath rate (the jsonata suite prints it beside the JSONata rate)."""
    definition = load_definition(COUNT_LOOP)
    n_aslkit, n_moto = (1500, 150) if quick else (6000, 600)
    repeat = 1 if quick else 3
    report.section(f"run (a): counting loop (Pass/Choice/States.MathAdd), history on; "
                   f"aslkit counts to {n_aslkit}, moto to {n_moto}")
    results = {}
    for engine, n in (("aslkit", n_aslkit), ("moto", n_moto)):
        answer = measure(engine, definition, {"n": n}, repeat=repeat, timeout=120 if quick else 600)
        if engine == "moto" and answer.get("missing"):
            report.value("moto", "NOT INSTALLED (pip install 'moto[stepfunctions]'): baseline skipped")
            continue
        transitions = answer.get("states_entered") or 2 * n + 3
        results[engine] = describe(report, f"{engine} transitions", answer, work=transitions,
                                   unit="transitions", expect_output=lambda out, n=n: out == {"count": n})
    _ratio(report, "run counting loop (transitions/s vs moto)", results, 200.0)
    return results.get("aslkit")


def bench_map(report: Report, *, quick: bool) -> None:
    definition = load_definition(MAP_ITEMS)
    size_aslkit, size_moto = (1000, 100) if quick else (1000, 300)
    repeat = 1 if quick else 3
    report.section(f"run (b): inline Map, inner Pass building objects; aslkit {size_aslkit} items, "
                   f"moto {size_moto} items")
    results = {}
    for engine, size in (("aslkit", size_aslkit), ("moto", size_moto)):
        answer = measure(engine, definition, map_input(size), repeat=repeat, timeout=120 if quick else 600)
        if engine == "moto" and answer.get("missing"):
            report.value("moto", "NOT INSTALLED (pip install 'moto[stepfunctions]'): baseline skipped")
            continue

        def expected(out, size=size):
            return isinstance(out, dict) and out.get("count") == size and (out.get("first") or {}).get(
                "label") == "item-0"

        results[engine] = describe(report, f"{engine} items", answer, work=size, unit="items",
                                   expect_output=expected)
    _ratio(report, "run inline Map (items/s vs moto)", results, 100.0)


def _ratio(report: Report, name: str, rates: dict, target: float) -> None:
    if rates.get("aslkit") and rates.get("moto"):
        report.ratio(name, rates["aslkit"] / rates["moto"], target)
    else:
        missing = [engine for engine in ("aslkit", "moto") if not rates.get(engine)]
        report.ratio(name, None, target, why_missing=f"no valid result from {', '.join(missing)}")


def run(report: Report, *, quick: bool) -> float | None:
    rate = bench_count_loop(report, quick=quick)
    bench_map(report, quick=quick)
    return rate
