"""``asl lint`` without click: the plain command-line reader agrees with click, and both paths print alike."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asl.cli import lint_run, main
from asl.cli.lint_cmd import lint_command
from asl.cli.lint_run import parse_plain

ROOT = Path(__file__).resolve().parents[2]
BAD = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True, "Resultpath": "$.x"}}}

TOKENS = ["--format", "text", "json", "sarif", "github", "xml", "--format=json", "--format=", "--format=TEXT",
          "--select", "--ignore", "ASL1", "no-dollar", "--select=ASL2,ASL3", "--ignore=", "--workflow-type",
          "express", "Standard", "EXPRESS", "bogus", "--workflow-type=express", "--exit-zero", "--exit-zero=1",
          "--no-source", "--isolated", "--no-cache", "--config", "pyproject.toml", "--", "-", "-h", "--help",
          "-x", "--nope", "a.asl.json", "dir/", "", "--no-", "--format=sarif=x"]


def clicks_reading(args: list[str]):
    """What click passes to the command for ``asl lint ARGS`` (None when click refuses the line)."""
    try:
        return lint_command.make_context("lint", list(args)).params
    except (click.exceptions.Exit, click.UsageError):
        return None


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=7))
def test_whenever_the_plain_reader_answers_click_reads_the_same(args):
    plain = parse_plain(args)
    if plain is not None:
        assert clicks_reading(args) == plain


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(["a.asl.json", "dir", "-", "x y.json"]).map(lambda p: [p]),
    st.tuples(st.sampled_from(["--format", "--select", "--ignore", "--workflow-type"]), st.just(None)).map(list),
    st.sampled_from(["--exit-zero", "--no-source", "--isolated", "--no-cache"]).map(lambda f: [f])), max_size=6))
def test_the_command_lines_people_write_run_without_click(parts):
    values = {"--format": "json", "--select": "ASL1,no-dollar", "--ignore": "ASL106", "--workflow-type": "express"}
    args = [value for part in parts for value in ([part[0], values[part[0]]] if len(part) == 2 else part)]
    plain = parse_plain(args)
    assert plain is not None
    assert plain == clicks_reading(args)


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ASL_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "bad.asl.json").write_text(json.dumps(BAD, indent=2))
    (tmp_path / "pyproject.toml").write_text('[tool.asl]\nignore = ["ASL106"]\n')
    return tmp_path


@pytest.mark.parametrize("args", [
    ["bad.asl.json"], ["--format", "json", "bad.asl.json"], ["--format=sarif", "."], ["--select", "ASL0", "bad.asl.json"],
    ["--exit-zero", "--no-source", "bad.asl.json"], ["--isolated", "--no-cache", "bad.asl.json", "missing.asl.json"],
    ["--workflow-type", "express", "--", "bad.asl.json"],
])
def test_both_paths_print_the_same(files, capsys, monkeypatch, args):
    assert parse_plain(args) is not None
    code = main(["lint", *args])
    fast = capsys.readouterr()
    monkeypatch.setattr(lint_run, "run_plain", lambda args: None)
    assert main(["lint", *args]) == code
    assert capsys.readouterr() == fast


def test_usage_problems_are_left_to_click(files, capsys):
    assert parse_plain(["--select", "ASL999x", "bad.asl.json"]) is not None
    assert main(["lint", "--select", "ASL999x", "bad.asl.json"]) == 2
    assert "unknown rule(s): ASL999x" in capsys.readouterr().err
    (files / "pyproject.toml").write_text("[tool.asl]\nignore = 3\n")
    assert main(["lint", "bad.asl.json"]) == 2
    assert "Error:" in capsys.readouterr().err


def test_a_plain_lint_run_does_not_import_click():
    code = ("import sys\nfrom asl.cli import main\ncode = main(['lint', '--no-cache', '--format', 'json', "
            "'benchmarks/data/order_fulfilment.asl.json'])\nprint(code, 'click' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip().splitlines()[-1] == "0 False"
