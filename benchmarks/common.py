"""Shared helpers: where the tools are, how a process is timed, how a result line is printed.

Every suite measures aslkit and its baseline in the same run on the same machine, so the ratio is
meaningful even though the absolute numbers depend on the machine.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"
SHARED_DIR = PROJECT_ROOT.parent / "shared"
PEER_FIXTURES = SHARED_DIR / "conformance" / "lint-peers"


def console_script(name: str) -> list[str] | None:
    """The command that runs console script ``name`` from the interpreter's own environment.

    The script next to ``sys.executable`` is preferred (that is what pre-commit runs); PATH is the fallback.
    """
    local = Path(sys.executable).parent / name
    if local.exists():
        return [str(local)]
    found = shutil.which(name)
    return [found] if found else None


def project_env() -> dict[str, str]:
    """Environment for child processes: the working tree's ``asl`` wins over any installed copy."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    env.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    return env


@dataclass
class ProcessTiming:
    """Wall times of repeated runs of one command, and what the last run said."""

    seconds: list[float] = field(default_factory=list)
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class Command:
    """A command line plus environment changes (a value of None removes the variable)."""

    argv: list[str]
    env: dict[str, str | None] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        env = project_env()
        for key, value in self.env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env


def time_process(command: Command, timing: ProcessTiming, *, cwd: Path | None = None,
                 timeout: float = 300.0) -> ProcessTiming:
    """Run ``command`` once, adding its wall time (spawn to exit, output captured) to ``timing``."""
    start = time.perf_counter()
    proc = subprocess.run(command.argv, cwd=cwd, env=command.environment(), capture_output=True, text=True,
                          timeout=timeout)
    timing.seconds.append(time.perf_counter() - start)
    timing.returncode, timing.stdout, timing.stderr = proc.returncode, proc.stdout, proc.stderr
    return timing


class EngineSession:
    """A long-lived ``engine_worker.py`` process holding one loaded machine on one engine.

    A separate process per engine keeps imports, patches (moto) and crashes from affecting the other; being
    long-lived lets the suites alternate engines run by run. Every answer is a dict with ``ok``; failures
    (engine missing, crash, timeout) come back as ``{"ok": False, "reason": ...}``, never as exceptions.
    """

    def __init__(self, engine: str, definition: dict, *, warmup_input=None, timeout: float = 600.0) -> None:
        self.timeout = timeout
        self.stderr = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: chatty engines cannot block on it
        self.proc = subprocess.Popen([sys.executable, str(BENCH_DIR / "engine_worker.py")], env=project_env(),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                     text=True)
        setup = {"engine": engine, "definition": definition}
        if warmup_input is not None:
            setup["warmup_input"] = warmup_input
        self.ready = self._ask(setup)

    def execute(self, value) -> dict:
        if not self.ready.get("ok"):
            return self.ready
        return self._ask({"input": value})

    def _ask(self, request: dict) -> dict:
        if self.proc.poll() is not None:
            return {"ok": False, "reason": f"worker exited {self.proc.returncode}"}
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return {"ok": False, "reason": f"worker exited: {self._stderr_tail()}"}
        ready, _, _ = select.select([self.proc.stdout], [], [], self.timeout)
        if not ready:
            self.close(kill=True)
            return {"ok": False, "reason": f"no answer within {self.timeout:.0f}s"}
        line = self.proc.stdout.readline()
        if not line:
            return {"ok": False, "reason": f"worker exited: {self._stderr_tail()}"}
        return json.loads(line)

    def _stderr_tail(self) -> str:
        self.proc.wait(timeout=10)
        self.stderr.seek(0)
        return (self.stderr.read().strip().splitlines() or ["no output"])[-1]

    def close(self, *, kill: bool = False) -> None:
        if self.proc.poll() is None:
            if kill:
                self.proc.kill()
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()

    def __enter__(self) -> "EngineSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Report:
    """Collects results for the final summary (and ``--json``) while printing as it goes."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def section(self, title: str) -> None:
        print(f"\n== {title}", flush=True)

    def note(self, text: str) -> None:
        print(f"   {text}", flush=True)

    def value(self, label: str, text: str) -> None:
        print(f"   {label:<34} {text}", flush=True)

    def ratio(self, name: str, ratio: float | None, target: float | None, *, unit: str = "x",
              why_missing: str = "") -> None:
        """Print and record one headline ratio (bigger is better for aslkit) and whether it meets its target."""
        if ratio is None:
            verdict = f"n/a ({why_missing})" if why_missing else "n/a"
            print(f"   -> {name}: {verdict}", flush=True)
        else:
            meets = None if target is None else ratio >= target
            target_text = "" if target is None else f"   target >= {target:g}{unit}: " + (
                "MET" if meets else "NOT MET")
            print(f"   -> {name}: {ratio:.2f}{unit}{target_text}", flush=True)
        self.rows.append({"name": name, "ratio": ratio, "target": target,
                          "met": None if ratio is None or target is None else ratio >= target,
                          "missing": why_missing or None})

    def summary(self) -> None:
        print("\n== summary (aslkit speed-up over the baseline, measured in this run)")
        for row in self.rows:
            if row["ratio"] is None:
                print(f"   {row['name']:<60} n/a  {row['missing'] or ''}")
            else:
                target = "" if row["target"] is None else f"(target {row['target']:g}x: " + (
                    "met)" if row["met"] else "NOT met)")
                print(f"   {row['name']:<60} {row['ratio']:10.2f}x {target}")


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def fmt_rate(per_second: float, unit: str) -> str:
    return f"{per_second:12,.0f} {unit}/s"
