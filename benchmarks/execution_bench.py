"""Run suite: aslkit's interpreter against moto's Step Functions interpreter (derived from LocalStack's).

(a) transitions/second on a Pass/Choice/States.MathAdd counting loop, history on (``execute``'s default);
(b) items/second through a 1,000-item inline Map whose inner Pass builds an object with ``.$`` keys.
moto is much slower, so it gets a smaller workload; rates (not times) are compared. A "transition" is a
state entered (a ``*StateEntered`` history event), counted from each engine's own history. Each engine
lives in its own worker process, loads the machine once, runs a small warm-up, and then the engines take
turns run by run; the median run of each is reported.

The loop stays a STANDARD workflow: counting to n writes 4n + 8 history events, so n is kept under the
25,000-event limit that fails a Standard execution on AWS (and in aslkit).
"""
from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from typing import Any, Callable

from .common import DATA_DIR, EngineSession, Report, fmt_ms, fmt_rate

COUNT_LOOP = DATA_DIR / "count_loop.asl.json"
MAP_ITEMS = DATA_DIR / "map_items.asl.json"
ENGINES = ("aslkit", "moto")


def load_definition(path) -> dict:
    return json.loads(path.read_text())


def map_input(size: int) -> dict:
    return {"items": [{"id": i, "price": round(i * 1.25, 2), "tags": ["bench", f"t{i % 7}"]} for i in range(size)]}


@dataclass
class Workload:
    """What one engine runs: its input, the work it represents, and how to tell the answer is right."""

    value: Any
    warmup: Any
    work: Callable[[dict], float]  # from one answer: transitions or items done
    unit: str
    correct: Callable[[Any], bool]


def measure(definition: dict, workloads: dict[str, Workload], *, rounds: int, timeout: float) -> dict[str, dict]:
    """Each engine's answers; engines alternate for ``rounds`` rounds. A failed engine stops being asked."""
    sessions = {engine: EngineSession(engine, definition, warmup_input=w.warmup, timeout=timeout)
                for engine, w in workloads.items()}
    results: dict[str, dict] = {}
    try:
        for engine, session in sessions.items():
            results[engine] = {**session.ready, "answers": []}
        for _ in range(rounds):
            for engine, session in sessions.items():
                if not results[engine].get("ok"):
                    continue
                answer = session.execute(workloads[engine].value)
                if not answer.get("ok"):
                    results[engine].update(ok=False, reason=answer.get("reason"))
                    continue
                results[engine]["answers"].append(answer)
    finally:
        for session in sessions.values():
            session.close()
    return results


def describe(report: Report, label: str, result: dict, workload: Workload) -> float | None:
    """Print one engine's result; return its median rate, or None when it failed or got the answer wrong."""
    if not result.get("ok"):
        report.value(label, f"FAILED TO RUN: {result.get('reason')}")
        return None
    answers = result["answers"]
    wrong = [a for a in answers if a["status"] != "SUCCEEDED" or not workload.correct(a["output"])]
    if wrong:
        a = wrong[0]
        report.value(label, f"WRONG RESULT: status {a['status']} error {a.get('error')} "
                            f"cause {str(a.get('cause'))[:120]} output {json.dumps(a['output'])[:120]}")
        return None
    rate = statistics.median(workload.work(a) / a["seconds"] for a in answers)
    median_seconds = statistics.median(a["seconds"] for a in answers)
    report.value(label, f"{fmt_rate(rate, workload.unit)}   ({fmt_ms(median_seconds).strip()} per run, "
                        f"load {fmt_ms(result['load_seconds']).strip()}, {answers[-1]['history_events']} events)")
    return rate


def _transitions(n: int) -> Callable[[dict], float]:
    return lambda answer: answer.get("states_entered") or 2 * n + 3


def count_loop_workload(n: int) -> Workload:
    return Workload(value={"n": n}, warmup={"n": 10}, work=_transitions(n), unit="transitions",
                    correct=lambda out: out == {"count": n})


def bench_count_loop(report: Report, *, quick: bool) -> float | None:
    """Returns aslkit's JSONPath rate (the jsonata suite prints it beside the JSONata rate)."""
    n_aslkit, n_moto = (1500, 150) if quick else (6000, 600)
    report.section(f"run (a): counting loop (Pass/Choice/States.MathAdd), history on; "
                   f"aslkit counts to {n_aslkit}, moto to {n_moto}")
    workloads = {"aslkit": count_loop_workload(n_aslkit), "moto": count_loop_workload(n_moto)}
    rates = _measure_and_describe(report, load_definition(COUNT_LOOP), workloads, quick=quick)
    _ratio(report, "run counting loop (transitions/s vs moto)", rates, 200.0)
    return rates.get("aslkit")


def bench_map(report: Report, *, quick: bool) -> None:
    size_aslkit, size_moto = (1000, 100) if quick else (1000, 300)
    report.section(f"run (b): inline Map, inner Pass building objects; aslkit {size_aslkit} items, "
                   f"moto {size_moto} items")

    def workload(size: int) -> Workload:
        def correct(out) -> bool:
            return isinstance(out, dict) and out.get("count") == size and (out.get("first") or {}).get(
                "label") == "item-0"

        return Workload(value=map_input(size), warmup=map_input(5), work=lambda answer: size, unit="items",
                        correct=correct)

    workloads = {"aslkit": workload(size_aslkit), "moto": workload(size_moto)}
    rates = _measure_and_describe(report, load_definition(MAP_ITEMS), workloads, quick=quick)
    _ratio(report, "run inline Map (items/s vs moto)", rates, 100.0)


def _measure_and_describe(report: Report, definition: dict, workloads: dict[str, Workload], *,
                          quick: bool) -> dict[str, float | None]:
    results = measure(definition, workloads, rounds=1 if quick else 3, timeout=120 if quick else 600)
    rates = {}
    for engine in workloads:
        result = results[engine]
        if engine == "moto" and result.get("missing"):
            report.value("moto", "NOT INSTALLED (pip install 'moto[stepfunctions]'): baseline skipped")
            continue
        rates[engine] = describe(report, f"{engine} {workloads[engine].unit}", result, workloads[engine])
    return rates


def _ratio(report: Report, name: str, rates: dict, target: float) -> None:
    if rates.get("aslkit") and rates.get("moto"):
        report.ratio(name, rates["aslkit"] / rates["moto"], target)
    else:
        missing = [engine for engine in ENGINES if not rates.get(engine)]
        report.ratio(name, None, target, why_missing=f"no valid result from {', '.join(missing)}")


def run(report: Report, *, quick: bool) -> float | None:
    rate = bench_count_loop(report, quick=quick)
    bench_map(report, quick=quick)
    return rate
