"""Run aslkit's benchmarks: ``python -m benchmarks [--suite lint|run|jsonata|all] [--quick] [--json FILE]``.

Each suite times aslkit and its baseline (statelint for lint, moto's Step Functions interpreter for runs)
in this same run and prints the ratio next to the target from the project's issues:
  lint single file: no slower than statelint (>= 1x); 542 peer fixtures in one process: >= 2x faster;
  counting loop transitions/s: >= 200x moto; inline Map items/s: >= 100x moto;
  JSONata loop: aslkit's rate beside the JSONPath loop (moto runs no JSONata).
A missing baseline is reported and skipped; aslkit's absolute numbers are still printed.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `benchmarks` importable as a package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import execution_bench, jsonata_bench, lint_bench  # noqa: E402
from benchmarks.common import Report  # noqa: E402

SUITES = ("lint", "run", "jsonata")


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"Python {platform.python_version()}"]
    for dist in ("aslkit", "statelint", "moto"):
        try:
            parts.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            parts.append(f"{dist} not installed")
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", choices=[*SUITES, "all"], action="append",
                        help="suite to run (repeatable; default all)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and smaller workloads")
    parser.add_argument("--json", metavar="FILE", help="also write the ratios as JSON")
    args = parser.parse_args(argv)
    chosen = set(args.suite or ["all"])
    suites = SUITES if "all" in chosen else [s for s in SUITES if s in chosen]

    print(f"aslkit benchmarks ({'quick' if args.quick else 'full'}): {_versions()}")
    report, started, jsonpath_rate = Report(), time.perf_counter(), None
    if "lint" in suites:
        lint_bench.run(report, quick=args.quick)
    if "run" in suites:
        jsonpath_rate = execution_bench.run(report, quick=args.quick)
    if "jsonata" in suites:
        jsonata_bench.run(report, quick=args.quick, jsonpath_rate=jsonpath_rate,
                          jsonpath_measured="run" in suites)
    report.summary()
    print(f"\nfinished in {time.perf_counter() - started:.1f}s")
    if args.json:
        Path(args.json).write_text(json.dumps(report.rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
