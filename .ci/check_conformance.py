#!/usr/bin/env python3
"""Conformance regression guard: no case that passed before may fail now.

    python .ci/check_conformance.py            # compare with .ci/conformance_passing.txt; exit 1 on regressions
    python .ci/check_conformance.py --update   # rewrite the list from the current results
    python .ci/check_conformance.py --what run # only the execution cases (or: lint)

It scores the working tree with the shared scorer (``../shared/tools/conformance.py``), exactly as a
developer would: ``run --json FILE`` gives one verdict per recorded execution; the lint scorer has no
``--json``, so its ``FAIL`` lines (``--show`` everything) are matched against the case names the scorer's
own ``lint_cases()`` yields. The list holds one passing case id per line: ``run:<case name>`` or
``lint:<case name>``. When ../shared is absent (a clone outside the workspace) there is nothing to score
against: say so and exit 0.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = PROJECT_ROOT.parent / "shared"
DEFAULT_BASELINE = Path(__file__).resolve().parent / "conformance_passing.txt"
KINDS = ("run", "lint")
SCORER_TIMEOUT = 3600
HEADER = (
    "# Conformance cases aslkit passes; .ci/check_conformance.py fails when one of them stops passing.\n"
    "# Regenerate with: python .ci/check_conformance.py --update   (one id per line: run:<case> / lint:<case>)\n"
)


class ScorerError(RuntimeError):
    """The scorer itself could not produce results (crashed, timed out, printed nothing usable)."""


@dataclass
class Results:
    """What one scoring produced: the ids that pass, and every id the corpus has (to tell removed cases)."""

    passing: set[str] = field(default_factory=set)
    known: set[str] = field(default_factory=set)


@dataclass
class Comparison:
    regressions: list[str]
    newly_passing: list[str]
    gone: list[str]


def read_baseline(path: Path) -> set[str]:
    """The recorded passing ids; blank lines and ``#`` comments are ignored."""
    lines = (line.strip() for line in path.read_text().splitlines())
    return {line for line in lines if line and not line.startswith("#")}


def write_baseline(path: Path, ids: set[str]) -> None:
    path.write_text(HEADER + "".join(f"{case_id}\n" for case_id in sorted(ids)))


def compare(baseline: set[str], results: Results) -> Comparison:
    """Regressions are baseline ids the corpus still has that do not pass now; removed cases are not."""
    return Comparison(
        regressions=sorted((baseline & results.known) - results.passing),
        newly_passing=sorted(results.passing - baseline),
        gone=sorted(baseline - results.known),
    )


def run_results(verdicts: list[dict]) -> Results:
    """From the run scorer's ``--json`` verdicts (``name``, ``ok``)."""
    return Results(passing={f"run:{v['name']}" for v in verdicts if v.get("ok") is True},
                   known={f"run:{v['name']}" for v in verdicts})


def lint_results(scorer_output: str, names: list[str]) -> Results:
    """From the lint scorer's printed ``  FAIL <name>: <why>`` lines and the full list of case names.

    Names contain colons (``peer:<peer>:<file>``), so each FAIL line is matched against the known names at
    every ``": "`` boundary (longest match wins) rather than split at the first colon.
    """
    known = set(names)
    failed = set()
    for line in scorer_output.splitlines():
        if not line.startswith("  FAIL "):
            continue
        rest = line[len("  FAIL "):]
        boundaries = [i for i in range(len(rest)) if rest.startswith(": ", i)] + [len(rest)]
        matching = [rest[:i] for i in boundaries if rest[:i] in known]
        # the longest known prefix: a name may itself be another name followed by ": ..."
        failed.add(max(matching, key=len) if matching else rest)
    headline = re.search(r"^lint conformance: (\d+)/(\d+)", scorer_output, re.M)
    if headline is None:
        raise ScorerError("the lint scorer printed no headline:\n" + scorer_output[-2000:])
    passing = known - failed
    scored_ok, scored_total = int(headline.group(1)), int(headline.group(2))
    if (scored_ok, scored_total) != (len(passing), len(known)):
        # e.g. "import asl failed" scores 0/0 and prints no FAIL line: that is not "everything passes"
        raise ScorerError(f"the lint scorer scored {scored_ok}/{scored_total} but its FAIL lines give "
                          f"{len(passing)}/{len(known)}:\n" + scorer_output[-2000:])
    return Results(passing={f"lint:{n}" for n in passing}, known={f"lint:{n}" for n in known})


def load_scorer(scorer: Path):
    spec = importlib.util.spec_from_file_location("shared_conformance_scorer", scorer)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as a normal import would (dataclasses and pickling need it)
    spec.loader.exec_module(module)
    return module


def _run_scorer(scorer: Path, project: Path, *args: str) -> str:
    try:
        # a guard must not be fooled by a stale cache: aslkit's lint result cache is off while scoring
        env = {**os.environ, "ASL_NO_CACHE": "1"}
        proc = subprocess.run([sys.executable, str(scorer), *args], cwd=project, env=env, capture_output=True,
                              text=True, timeout=SCORER_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise ScorerError(f"scorer {' '.join(args)} did not finish in {SCORER_TIMEOUT}s") from exc
    if proc.returncode != 0:
        raise ScorerError(f"scorer {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    headline = [line for line in proc.stdout.splitlines() if "conformance:" in line]
    print(f"  {headline[-1] if headline else 'no headline printed'}", flush=True)
    return proc.stdout


def score(kind: str, scorer: Path, project: Path) -> Results:
    print(f"scoring {kind} ...", flush=True)
    if kind == "run":
        with tempfile.TemporaryDirectory() as tmp:
            verdict_file = Path(tmp) / "verdicts.json"
            _run_scorer(scorer, project, "run", "--show", "0", "--json", str(verdict_file))
            if not verdict_file.exists():
                raise ScorerError("the run scorer wrote no --json file")
            return run_results(json.loads(verdict_file.read_text()))
    names = [name for name, *_ in load_scorer(scorer).lint_cases()]
    output = _run_scorer(scorer, project, "lint", "--show", str(len(names) + 1))
    return lint_results(output, names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="rewrite the list from the current results")
    parser.add_argument("--what", choices=[*KINDS, "all"], default="all", help="which scorer(s) to run")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (../shared)")
    parser.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE, help="the list of passing ids")
    parser.add_argument("--project", type=Path, default=PROJECT_ROOT, help="project root the scorer runs in")
    args = parser.parse_args(argv)

    scorer = args.shared / "tools" / "conformance.py"
    if not scorer.exists():
        print(f"{scorer} not found (no ../shared next to this clone): conformance regression check skipped")
        return 0
    kinds = KINDS if args.what == "all" else (args.what,)
    if not args.update and not args.baseline.exists():
        print(f"{args.baseline} is missing: create it with  python .ci/check_conformance.py --update")
        return 1

    results = Results()
    try:
        for kind in kinds:
            part = score(kind, scorer, args.project)
            results.passing |= part.passing
            results.known |= part.known
    except ScorerError as exc:
        print(f"conformance check could not score: {exc}")
        return 1

    baseline = read_baseline(args.baseline) if args.baseline.exists() else set()
    # ids of a kind that was not scored this time are neither checked nor dropped
    scored = {f"{kind}:" for kind in kinds}
    in_scope = {case_id for case_id in baseline if case_id.startswith(tuple(scored))}

    if args.update:
        kept = baseline - in_scope
        write_baseline(args.baseline, kept | results.passing)
        print(f"wrote {len(kept | results.passing)} passing case ids to {args.baseline} "
              f"({len(results.passing)} from {', '.join(kinds)}; was {len(in_scope)})")
        return 0

    outcome = compare(in_scope, results)
    print(f"passing now: {len(results.passing)} of {len(results.known)}; recorded as passing: {len(in_scope)}")
    if outcome.gone:
        print(f"{len(outcome.gone)} recorded case(s) are no longer in the corpus (ignored): "
              + ", ".join(outcome.gone[:10]) + (" ..." if len(outcome.gone) > 10 else ""))
    if outcome.newly_passing:
        print(f"{len(outcome.newly_passing)} case(s) pass that the list does not record yet; "
              "record them with: python .ci/check_conformance.py --update")
    if outcome.regressions:
        print(f"REGRESSION: {len(outcome.regressions)} case(s) passed before and fail now:")
        for case_id in outcome.regressions:
            print(f"  {case_id}")
        return 1
    print("no conformance regressions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
