"""``asl lint`` and ``asl rules`` as users and pre-commit call them: ``main([...])`` returns the exit code."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from asl.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
BAD = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True, "Resultpath": "$.x"}}}


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Each test gets its own result cache (never the user's ~/.cache/aslkit)."""
    directory = tmp_path_factory.mktemp("asl-cache")
    monkeypatch.setenv("ASL_CACHE_DIR", str(directory))
    monkeypatch.delenv("ASL_NO_CACHE", raising=False)
    return directory


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.asl.json").write_text(json.dumps(GOOD, indent=2))
    (tmp_path / "bad.asl.json").write_text(json.dumps(BAD, indent=2))
    return tmp_path


def test_pre_commit_hook_manifest():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks == [{
        "id": "asl-lint", "name": "asl lint", "entry": "asl lint", "language": "python",
        "types_or": ["json", "yaml"], "files": r"\.asl\.(json|ya?ml)$",
        "description": "Lint Amazon States Language (AWS Step Functions) state machine definitions.",
    }]


def test_pre_commit_style_call_reports_and_fails(files, capsys):
    assert main(["lint", "bad.asl.json"]) == 1
    out = capsys.readouterr().out
    assert "bad.asl.json:7:7: ASL011 [unsupported-field] Field 'Resultpath' is not supported in a Pass state" in out
    assert '\n        "Resultpath": "$.x"\n' in out            # the source line ...
    assert "\n  " + " " * 6 + "^" in out                      # ... and a caret under column 7
    assert "Found 1 error in 1 file." in out


def test_clean_file_exits_zero_and_prints_nothing(files, capsys):
    assert main(["lint", "good.asl.json"]) == 0
    assert capsys.readouterr().out == ""


def test_exit_zero(files, capsys):
    assert main(["lint", "--exit-zero", "bad.asl.json"]) == 0
    assert "ASL011" in capsys.readouterr().out


def test_several_files_and_directories_in_one_run(files, capsys):
    (files / "nested").mkdir()
    (files / "nested" / "deep.asl.yaml").write_text("StartAt: A\nStates:\n  A:\n    Type: Pass\n")
    (files / "nested" / "ignored.json").write_text("{not even json")
    assert main(["lint", "--format", "json", "."]) == 1
    found = json.loads(capsys.readouterr().out)
    assert sorted({(Path(f["path"]).name, f["code"]) for f in found}) == [
        ("bad.asl.json", "ASL011"), ("deep.asl.yaml", "ASL017"), ("deep.asl.yaml", "ASL103")]


def test_yaml_positions(files, capsys):
    (files / "flow.asl.yaml").write_text("StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Nope\n")
    assert main(["lint", "--format", "json", "flow.asl.yaml"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert {(f["line"], f["column"], f["code"]) for f in found} == {(5, 5, "ASL102"), (2, 1, "ASL103")}


def test_stdin(files, capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(BAD).encode())))
    assert main(["lint", "-"]) == 1
    assert "<stdin>:1:" in capsys.readouterr().out


def test_select_and_ignore_by_code_name_and_prefix(files, capsys):
    assert main(["lint", "--ignore", "ASL011", "bad.asl.json"]) == 0
    assert main(["lint", "--ignore", "unsupported-field", "bad.asl.json"]) == 0
    assert main(["lint", "--ignore", "ASL0", "bad.asl.json"]) == 0
    assert main(["lint", "--select", "ASL2,ASL3", "bad.asl.json"]) == 0
    assert main(["lint", "--select", "ASL0", "--ignore", "ASL010", "bad.asl.json"]) == 1
    assert main(["lint", "--select", "ASL01", "--ignore", "ASL0", "bad.asl.json"]) == 1   # longer prefix wins
    capsys.readouterr()


def test_unknown_rule_is_a_usage_error(files, capsys):
    assert main(["lint", "--select", "ASL777", "bad.asl.json"]) == 2
    assert "unknown rule" in capsys.readouterr().err


def test_missing_file_is_reported_not_a_crash(files, capsys):
    assert main(["lint", "missing.asl.json"]) == 1
    assert "ASL000" in capsys.readouterr().out


def test_pyproject_config_is_found_upwards(files, capsys, monkeypatch):
    (files / "pyproject.toml").write_text('[tool.asl]\nignore = ["unsupported-field"]\n')
    sub = files / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    assert main(["lint", "../bad.asl.json"]) == 0
    assert main(["lint", "--isolated", "../bad.asl.json"]) == 1
    capsys.readouterr()


def test_per_file_ignores(files, capsys):
    (files / "pyproject.toml").write_text('[tool.asl.per-file-ignores]\n"bad.*" = ["ASL011"]\n')
    assert main(["lint", "bad.asl.json"]) == 0
    capsys.readouterr()


def test_broken_config_is_a_usage_error(files, capsys):
    (files / "pyproject.toml").write_text('[tool.asl]\nignore = 5\n')
    assert main(["lint", "good.asl.json"]) == 2
    (files / "pyproject.toml").write_text('[tool.asl]\nbogus = 1\n')
    assert main(["lint", "good.asl.json"]) == 2
    assert "bogus" in capsys.readouterr().err


def test_workflow_type_option(files, capsys):
    sync = {"StartAt": "R", "States": {"R": {"Type": "Task", "End": True,
                                             "Resource": "arn:aws:states:::states:startExecution.sync"}}}
    (files / "sync.asl.json").write_text(json.dumps(sync))
    assert main(["lint", "sync.asl.json"]) == 0
    assert main(["lint", "--workflow-type", "express", "sync.asl.json"]) == 1
    assert "ASL403" in capsys.readouterr().out


def test_github_format(files, capsys):
    assert main(["lint", "--format", "github", "bad.asl.json"]) == 1
    line = capsys.readouterr().out.strip()
    assert line.startswith("::error file=bad.asl.json,line=7,col=7,title=asl (ASL011)::Field 'Resultpath' is not")


def test_sarif_format(files, capsys):
    assert main(["lint", "--format", "sarif", "bad.asl.json"]) == 1
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["ASL011"]
    [result] = run["results"]
    assert result["ruleId"] == "ASL011" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 7, "startColumn": 7}


def test_rules_list_and_explain(capsys):
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "ASL101  unreachable-state" in listing
    assert main(["rules", "unreachable-state"]) == 0
    explained = capsys.readouterr().out
    assert explained.startswith("ASL101 unreachable-state (error; AWS MISSING_TRANSITION_TARGET)")
    assert "## Why is this bad?" in explained
    assert main(["rules", "ASL999"]) == 2
    capsys.readouterr()


def test_rules_markdown_is_the_docs_file(capsys):
    assert main(["rules", "--format", "md"]) == 0
    assert capsys.readouterr().out == (ROOT / "docs" / "rules.md").read_text()


def test_rules_json(capsys):
    assert main(["rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert {"code": "ASL900", "name": "unused-noqa"}.items() <= next(r for r in rules if r["code"] == "ASL900").items()


def test_lint_command_module_imports_nothing_heavy():
    """pre-commit start-up time: importing the command must not import the parsers."""
    import subprocess
    import sys

    code = ("import sys, asl.cli.lint_cmd; heavy = [m for m in ('lark', 'jsonata', 'jsonpath_ng', 'jsonschema',"
            " 'asl.model', 'asl.lint.rules') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_templates_are_linted_with_positions_in_the_template(files, capsys):
    (files / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Resources:\n"
        "  Flow:\n"
        "    Type: AWS::StepFunctions::StateMachine\n"
        "    Properties:\n"
        "      DefinitionSubstitutions:\n"
        "        WorkerArn: arn:aws:lambda:us-east-1:123456789012:function:worker\n"
        "      Definition:\n"
        "        StartAt: Call\n"
        "        States:\n"
        "          Call:\n"
        "            Type: Task\n"
        "            Resource: ${WorkerArn}\n"
        "            End: true\n"
        "            Retry: {}\n")
    assert main(["lint", "--format", "json", "template.yaml"]) == 1
    [finding] = json.loads(capsys.readouterr().out)
    assert (Path(finding["path"]).name, finding["line"], finding["code"]) == ("template.yaml", 15, "ASL012")
