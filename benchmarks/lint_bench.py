"""Lint suite: aslkit's ``asl lint`` against statelint (the reference linter), both as real processes.

(a) one file per process, the pre-commit case: start-up cost dominates, so this is what users feel;
(b) many files in ONE process per tool (the 542 labelled peer fixtures when ../shared is present, else the
    project's own fixtures/): throughput once started. statelint's CLI takes many paths and keeps going
    past files with problems, so both tools are timed through their command lines.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from .common import (DATA_DIR, PEER_FIXTURES, PROJECT_ROOT, Command, ProcessTiming, Report,
                     console_script, fmt_ms, time_process)

SINGLE_FILE = DATA_DIR / "order_fulfilment.asl.json"


def corpus_files() -> tuple[str, list[Path]]:
    """The many-files corpus: peer fixtures listed in INDEX.tsv, or the project's fixtures as a fallback."""
    index = PEER_FIXTURES / "INDEX.tsv"
    if index.exists():
        names = [line.split("\t", 1)[0] for line in index.read_text().splitlines()[1:] if line.strip()]
        files = [PEER_FIXTURES / "fixtures" / name for name in names]
        return "lint-peers fixtures (INDEX.tsv)", [f for f in files if f.exists()]
    files = [f for f in sorted((PROJECT_ROOT / "fixtures").rglob("*.json")) if _looks_like_definition(f)]
    return "project fixtures/ state machines (../shared absent)", files


def _looks_like_definition(path: Path) -> bool:
    """fixtures/ also holds inputs, mock configs and expectations: keep only state machine definitions."""
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError):
        return False
    return isinstance(value, dict) and "States" in value and "StartAt" in value


def _commands(asl_args: list[str], statelint_args: list[str], report: Report,
              cache_dir: str) -> dict[str, Command] | None:
    """The command lines, or None when aslkit itself cannot be run (a missing statelint is only noted).

    aslkit caches lint results by file content; statelint has no cache, so the compared run has aslkit's
    cache off, and a second aslkit run with a warm cache (in a private directory) shows what it saves.
    """
    asl_cmd, statelint_cmd = console_script("asl"), console_script("statelint")
    if asl_cmd is None:
        report.note("aslkit: no `asl` command in this environment (pip install -e .)")
        return None
    commands = {
        "aslkit": Command(asl_cmd + asl_args, {"ASL_NO_CACHE": "1"}),
        "aslkit, warm cache": Command(asl_cmd + asl_args, {"ASL_NO_CACHE": None, "ASL_CACHE_DIR": cache_dir}),
    }
    if statelint_cmd is None:
        report.note("statelint: NOT INSTALLED (pip install statelint==3.1.0): baseline skipped")
    else:
        commands["statelint"] = Command(statelint_cmd + statelint_args)
    return commands


def _time_interleaved(commands: dict[str, Command], runs: int, cwd: Path | None) -> dict[str, ProcessTiming]:
    """One warm-up each (byte-compiling, page cache, aslkit's result cache), then the commands alternate so
    that load drifts hit all alike."""
    timings = {name: ProcessTiming() for name in commands}
    for command in commands.values():
        time_process(command, ProcessTiming(), cwd=cwd)
    for _ in range(runs):
        for name, command in commands.items():
            time_process(command, timings[name], cwd=cwd)
    return timings


def _report_ratio(report: Report, name: str, timings: dict[str, ProcessTiming], target: float, *,
                  expect_clean: bool) -> None:
    """statelint's median over aslkit's (cache off; and, untargeted, with a warm cache), unless a tool is
    missing or did not really lint (bad exit code)."""
    valid = {tool: _explain_exit(report, tool, timing, expect_clean=expect_clean and tool != "statelint")
             for tool, timing in timings.items()}
    if not valid["aslkit"]:
        report.ratio(name, None, target, why_missing="aslkit lint failed")
    elif "statelint" not in timings:
        report.ratio(name, None, target, why_missing="statelint missing")
    elif not valid["statelint"]:
        report.ratio(name, None, target, why_missing="statelint failed")
    else:
        report.ratio(name, timings["statelint"].median / timings["aslkit"].median, target)
        if valid["aslkit, warm cache"]:
            report.ratio(name.replace("aslkit time", "aslkit warm-cache time"),
                         timings["statelint"].median / timings["aslkit, warm cache"].median, None)


def bench_single_file(report: Report, runs: int) -> None:
    report.section(f"lint (a): one file per process, {SINGLE_FILE.name}, median of {runs} runs each")
    with tempfile.TemporaryDirectory() as cache_dir:
        commands = _commands(["lint", str(SINGLE_FILE)], [str(SINGLE_FILE)], report, cache_dir)
        if commands is None:
            return
        timings = _time_interleaved(commands, runs, cwd=None)
    for name, timing in timings.items():
        report.value(name,
                     f"{fmt_ms(timing.median)}   (min {fmt_ms(min(timing.seconds)).strip()}, exit {timing.returncode})")
    _report_ratio(report, "lint single file (statelint time / aslkit time)", timings, 1.0, expect_clean=True)


def bench_many_files(report: Report, runs: int) -> None:
    title, files = corpus_files()
    report.section(f"lint (b): {len(files)} files in ONE process per tool, {title}, median of {runs} runs")
    if not files:
        report.note("no files to lint")
        return
    cwd = files[0].parent
    relative = [str(f.relative_to(cwd)) if f.parent == cwd else str(f) for f in files]
    with tempfile.TemporaryDirectory() as cache_dir:
        commands = _commands(["lint", *relative], relative, report, cache_dir)
        if commands is None:
            return
        timings = _time_interleaved(commands, runs, cwd=cwd)
    for name, timing in timings.items():
        per_file = timing.median / len(files)
        report.value(name, f"{fmt_ms(timing.median)}   ({per_file * 1e3:.3f} ms/file,"
                     f" exit {timing.returncode})")
    _report_ratio(report, f"lint {len(files)} files (statelint time / aslkit time)", timings, 2.0,
                  expect_clean=False)


def _explain_exit(report: Report, name: str, timing: ProcessTiming, *, expect_clean: bool) -> bool:
    """A benchmark of a crashing linter is meaningless: say so, and return False, when the exit code shows it.

    Exit 0 (clean) and 1 (findings) are both real lint runs; anything else is a usage or internal error.
    """
    if timing.returncode not in (0, 1):
        tail = (timing.stderr.strip() or timing.stdout.strip()).splitlines()[-1:] or ["no output"]
        report.note(f"INVALID: {name} exited {timing.returncode}: {tail[0][:160]}")
        return False
    if expect_clean and timing.returncode != 0:
        first = (timing.stdout.strip().splitlines() or [""])[0]
        report.note(f"note: {name} reported findings on the clean benchmark file: {first[:160]}")
    return True


def run(report: Report, *, quick: bool) -> None:
    bench_single_file(report, runs=5 if quick else 15)
    bench_many_files(report, runs=1 if quick else 5)
