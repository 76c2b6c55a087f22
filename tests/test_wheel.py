"""The "fresh clone installs" proof: build the wheel, install it in a brand-new venv, use it from elsewhere.

Nothing from the working tree may leak in: the venv has no system site-packages, the commands run from a
temporary directory with PYTHONPATH cleared, and ``asl`` is imported from the venv's site-packages. The
grammar must ship inside the wheel (hatchling force-includes ``grammar/`` as ``asl/grammar``), and ``asl run``
evaluates an intrinsic function, so a missing grammar fails here and not on a user's machine.

Slow (a build, a venv, a pip install; pip's cache keeps it well under a minute) but run in CI.
"""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 300

GOOD_DEFINITION = {
    "Comment": "Greets and adds: exercises payload templates and intrinsic functions (the shipped grammar).",
    "StartAt": "Greet",
    "States": {
        "Greet": {
            "Type": "Pass",
            "Parameters": {
                "greeting.$": "States.Format('Hello, {}!', $.name)",
                "sum.$": "States.MathAdd($.a, $.b)",
            },
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}
GOOD_INPUT = {"name": "wheel", "a": 2, "b": 3}
GOOD_OUTPUT = {"greeting": "Hello, wheel!", "sum": 5}

BAD_DEFINITION = {
    "StartAt": "Missing",
    "States": {"Only": {"Type": "Pass", "Next": "Nowhere"}},
}


def _clean_env(venv: Path) -> dict[str, str]:
    """The environment a user has after activating the venv: no PYTHONPATH pointing at our sources."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(venv)
    env["ASL_CACHE_DIR"] = str(venv.parent / "asl-lint-cache")  # keep the user's ~/.cache out of the test
    env.pop("ASL_NO_CACHE", None)
    return env


def _run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)


def _must(proc: subprocess.CompletedProcess, what: str) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, f"{what} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel from the working tree (hatchling; without build isolation when it is installed)."""
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", str(PROJECT_ROOT), "--no-deps", "-w", str(out), "-q"]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")
    _must(_run(command, cwd=out), "building the wheel")
    wheels = sorted(out.glob("aslkit-*.whl"))
    assert len(wheels) == 1, f"expected one aslkit wheel, found {wheels}"
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv (no system site-packages) with the wheel and its dependencies installed."""
    venv = tmp_path_factory.mktemp("venv")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    _must(_run([sys.executable, "-m", "venv", str(venv)], cwd=elsewhere), "creating the venv")
    config = (venv / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = false" in config
    _must(_run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=elsewhere,
               env=_clean_env(venv)), "installing the wheel")
    return venv


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A directory far from the sources, holding the example files."""
    work = tmp_path_factory.mktemp("user-project")
    (work / "good.asl.json").write_text(json.dumps(GOOD_DEFINITION, indent=2))
    (work / "bad.asl.json").write_text(json.dumps(BAD_DEFINITION, indent=2))
    return work


def _asl(venv: Path, workdir: Path, *args: str) -> subprocess.CompletedProcess:
    return _run([str(venv / "bin" / "asl"), *args], cwd=workdir, env=_clean_env(venv))


def test_grammar_ships_inside_the_wheel(wheel):
    with zipfile.ZipFile(wheel) as archive:
        record_name = next(name for name in archive.namelist() if name.endswith(".dist-info/RECORD"))
        recorded = {line.split(",", 1)[0] for line in archive.read(record_name).decode().splitlines()}
        assert "asl/grammar/intrinsics.lark" in recorded
        assert archive.read("asl/grammar/intrinsics.lark").strip(), "the shipped grammar is empty"


def test_installed_package_is_the_wheel_not_the_sources(venv, workdir):
    proc = _must(_run([str(venv / "bin" / "python"), "-c", "import asl, sys; print(asl.__file__)"],
                      cwd=workdir, env=_clean_env(venv)), "importing asl")
    location = Path(proc.stdout.strip()).resolve()
    assert location.is_relative_to(venv.resolve()), f"asl imported from {location}, not from the venv"
    assert (location.parent / "grammar" / "intrinsics.lark").is_file()


def test_version(venv, workdir):
    proc = _must(_asl(venv, workdir, "--version"), "asl --version")
    assert "0." in proc.stdout or "1." in proc.stdout, proc.stdout
    assert proc.stdout.startswith("asl"), proc.stdout


def test_lint_good_example_exits_0(venv, workdir):
    proc = _asl(venv, workdir, "lint", "good.asl.json")
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr


def test_lint_bad_example_exits_1_and_names_the_file(venv, workdir):
    proc = _asl(venv, workdir, "lint", "bad.asl.json")
    assert proc.returncode == 1, f"{proc.stdout}\n{proc.stderr}"
    assert "bad.asl.json" in proc.stdout + proc.stderr
    assert "Nowhere" in proc.stdout + proc.stderr, "the finding should name the missing target"
    assert "Traceback" not in proc.stderr


def _json_documents(text: str):
    """Every JSON value ``asl run`` may have printed: the whole stdout, each line, and an ``output`` field."""
    candidates = [text, *text.splitlines()]
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        yield value
        if isinstance(value, dict) and "output" in value:
            yield value["output"]


def test_run_example_succeeds_with_the_expected_output(venv, workdir):
    proc = _asl(venv, workdir, "run", "good.asl.json", "--input", json.dumps(GOOD_INPUT))
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    assert GOOD_OUTPUT in list(_json_documents(proc.stdout)), proc.stdout
