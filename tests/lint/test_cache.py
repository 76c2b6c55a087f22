"""The ``asl lint`` result cache: a hit only when content, options and aslkit are all unchanged."""
from __future__ import annotations

import json

import pytest

import asl.lint
from asl.cli import main
from asl.lint import cache as cache_module

BAD = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True, "Resultpath": "$.x"}}}


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ASL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ASL_NO_CACHE", raising=False)
    (tmp_path / "bad.asl.json").write_text(json.dumps(BAD, indent=2))
    return tmp_path


@pytest.fixture
def lint_calls(monkeypatch):
    """Counts real lint runs (cache misses)."""
    calls = []
    real = asl.lint.lint_document

    def counting(document, **options):
        calls.append(document.path)
        return real(document, **options)
    monkeypatch.setattr(asl.lint, "lint_document", counting)
    return calls


def test_second_run_is_served_from_the_cache_with_the_same_output(workspace, lint_calls, capsys):
    assert main(["lint", "bad.asl.json"]) == 1
    first = capsys.readouterr().out
    assert main(["lint", "bad.asl.json"]) == 1
    assert capsys.readouterr().out == first          # same findings, same source excerpt
    assert len(lint_calls) == 1


def test_changed_content_or_options_miss(workspace, lint_calls, capsys):
    main(["lint", "bad.asl.json"])
    main(["lint", "--ignore", "ASL011", "bad.asl.json"])
    (workspace / "bad.asl.json").write_text(json.dumps(BAD))           # same value, new bytes
    main(["lint", "bad.asl.json"])
    main(["lint", "--workflow-type", "EXPRESS", "bad.asl.json"])
    capsys.readouterr()
    assert len(lint_calls) == 4


def test_changing_aslkit_invalidates_everything(workspace, lint_calls, capsys, monkeypatch):
    main(["lint", "bad.asl.json"])
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another aslkit")
    main(["lint", "bad.asl.json"])
    capsys.readouterr()
    assert len(lint_calls) == 2


def test_no_cache_flag_and_environment(workspace, lint_calls, capsys, monkeypatch):
    main(["lint", "--no-cache", "bad.asl.json"])
    assert not (workspace / "cache").exists()
    monkeypatch.setenv("ASL_NO_CACHE", "1")
    main(["lint", "bad.asl.json"])
    main(["lint", "bad.asl.json"])
    capsys.readouterr()
    assert len(lint_calls) == 3 and not (workspace / "cache").exists()


def test_a_corrupt_shard_is_ignored_and_rewritten(workspace, lint_calls, capsys):
    main(["lint", "bad.asl.json"])
    [shard] = [p for p in (workspace / "cache").rglob("*") if p.is_file()]
    shard.write_bytes(b"\x00garbage")
    assert main(["lint", "bad.asl.json"]) == 1
    [entry] = __import__("marshal").loads(shard.read_bytes()).values()
    assert entry[0][0] == "ASL011"
    assert len(lint_calls) == 2
    capsys.readouterr()


def test_entries_of_other_aslkit_versions_are_removed(workspace, capsys, monkeypatch):
    main(["lint", "bad.asl.json"])
    [old] = [p for p in (workspace / "cache").iterdir()]
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "f" * 32)
    main(["lint", "bad.asl.json"])
    assert [p.name for p in (workspace / "cache").iterdir()] == ["f" * 32]
    assert not old.exists()
    capsys.readouterr()


def test_templates_are_not_cached(workspace, lint_calls, capsys):
    (workspace / "template.yaml").write_text(
        "Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n"
        "      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Pass\n"
        "            End: true\n")
    main(["lint", "template.yaml"])
    main(["lint", "template.yaml"])
    capsys.readouterr()
    assert len(lint_calls) == 2


def test_an_unwritable_cache_location_only_disables_caching(workspace, capsys, monkeypatch):
    blocker = workspace / "file"
    blocker.write_text("")
    monkeypatch.setenv("ASL_CACHE_DIR", str(blocker / "sub"))
    assert main(["lint", "bad.asl.json"]) == 1
    assert "ASL011" in capsys.readouterr().out
