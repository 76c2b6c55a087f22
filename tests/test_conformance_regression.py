"""The conformance regression guard (.ci/check_conformance.py), driven against a stand-in scorer.

The stand-in speaks the shared scorer's interface (``run --json FILE``, ``lint --show N`` printing
``  FAIL <name>: <why>``, importable ``lint_cases()``) and reads which cases pass from a JSON file, so each
test can make cases pass, fail or vanish and check the guard's verdict in well under a second.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

CHECKER_PATH = Path(__file__).resolve().parent.parent / ".ci" / "check_conformance.py"
spec = importlib.util.spec_from_file_location("check_conformance", CHECKER_PATH)
checker = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = checker  # dataclasses look their module up while the class is being built
spec.loader.exec_module(checker)

FAKE_SCORER = '''
import json, sys
from pathlib import Path

STATE = json.loads((Path(__file__).parent / "state.json").read_text())


def lint_cases():
    for name in STATE["lint_names"]:
        yield name, "{}", False, "peer-label"


def main():
    if STATE.get("crash"):
        sys.exit(3)
    what, args = sys.argv[1], sys.argv[2:]
    if what == "run":
        verdicts = [{"name": n, "area": n.split("__")[0], "ok": n in STATE["run_pass"]} for n in STATE["run_names"]]
        Path(args[args.index("--json") + 1]).write_text(json.dumps(verdicts))
        print(f"run conformance: {len(STATE['run_pass'])}/{len(verdicts)}")
    else:
        for name in STATE["lint_names"]:
            if name not in STATE["lint_pass"]:
                print(f"  FAIL {name}: false alarm: ASL102 no state named 'x': see /States")
        scored = [] if STATE.get("import_failed") else STATE["lint_names"]
        print(f"lint conformance: {len(set(STATE['lint_pass']) & set(scored))}/{len(scored)} = 0.0%")


if __name__ == "__main__":
    main()
'''

RUN_NAMES = ["base__pass_result", "choice_operators__string_equals_1", "scenarios__map_inline"]
LINT_NAMES = ["peer:asl-validator:invalid-choice.json", "aws-accepted:base__pass_result",
              "peer:odd:name: with colon-space.json"]


@pytest.fixture
def workspace(tmp_path):
    """A shared/ folder with the stand-in scorer, and a helper to set which cases pass."""
    shared = tmp_path / "shared"
    (shared / "tools").mkdir(parents=True)
    (shared / "tools" / "conformance.py").write_text(FAKE_SCORER)
    baseline = tmp_path / "passing.txt"

    def set_state(run_pass, lint_pass, *, run_names=RUN_NAMES, lint_names=LINT_NAMES, crash=False,
                  import_failed=False):
        (shared / "tools" / "state.json").write_text(json.dumps({
            "run_names": run_names, "run_pass": run_pass, "lint_names": lint_names, "lint_pass": lint_pass,
            "crash": crash, "import_failed": import_failed}))

    def check(*extra):
        return checker.main(["--shared", str(shared), "--baseline", str(baseline), "--project", str(tmp_path),
                             *extra])

    set_state(RUN_NAMES[:2], LINT_NAMES[1:])
    return set_state, check, baseline


def test_absent_shared_is_a_skip_not_a_failure(tmp_path, capsys):
    assert checker.main(["--shared", str(tmp_path / "nowhere"), "--baseline", str(tmp_path / "b.txt")]) == 0
    assert "skipped" in capsys.readouterr().out


def test_update_records_exactly_the_passing_ids(workspace):
    _, check, baseline = workspace
    assert check("--update") == 0
    assert checker.read_baseline(baseline) == {
        "run:base__pass_result", "run:choice_operators__string_equals_1",
        "lint:aws-accepted:base__pass_result", "lint:peer:odd:name: with colon-space.json"}
    assert baseline.read_text().startswith("#")


def test_unchanged_results_pass(workspace, capsys):
    _, check, _ = workspace
    check("--update")
    assert check() == 0
    assert "no conformance regressions" in capsys.readouterr().out


def test_every_case_that_stops_passing_is_listed_and_fails(workspace, capsys):
    set_state, check, _ = workspace
    check("--update")
    set_state(RUN_NAMES[:1], LINT_NAMES[1:2])
    capsys.readouterr()
    assert check() == 1
    out = capsys.readouterr().out
    assert "REGRESSION: 2 case(s)" in out
    assert "  run:choice_operators__string_equals_1" in out
    assert "  lint:peer:odd:name: with colon-space.json" in out


def test_newly_passing_cases_are_suggested_for_update_not_failed(workspace, capsys):
    set_state, check, _ = workspace
    check("--update")
    set_state(RUN_NAMES, LINT_NAMES)
    capsys.readouterr()
    assert check() == 0
    assert "2 case(s) pass that the list does not record yet" in capsys.readouterr().out


def test_a_case_removed_from_the_corpus_is_not_a_regression(workspace, capsys):
    set_state, check, _ = workspace
    check("--update")
    set_state(RUN_NAMES[:1], LINT_NAMES[1:], run_names=RUN_NAMES[:1] + RUN_NAMES[2:])
    assert check() == 0
    assert "no longer in the corpus" in capsys.readouterr().out


def test_missing_baseline_fails_with_the_command_to_create_it(workspace, capsys):
    _, check, _ = workspace
    assert check() == 1
    assert "--update" in capsys.readouterr().out


def test_partial_update_keeps_the_other_kind(workspace):
    set_state, check, baseline = workspace
    check("--update")
    set_state(RUN_NAMES, [])
    assert check("--update", "--what", "run") == 0
    ids = checker.read_baseline(baseline)
    assert {f"run:{n}" for n in RUN_NAMES} <= ids
    assert "lint:aws-accepted:base__pass_result" in ids


def test_a_crashing_scorer_fails_the_check(workspace, capsys):
    set_state, check, _ = workspace
    check("--update")
    set_state(RUN_NAMES, LINT_NAMES, crash=True)
    assert check() == 1
    assert "could not score" in capsys.readouterr().out


def test_a_lint_scorer_that_scored_nothing_is_not_read_as_all_passing(workspace, capsys):
    set_state, check, _ = workspace
    check("--update")
    set_state(RUN_NAMES[:2], LINT_NAMES, import_failed=True)  # prints "0/0" and no FAIL line
    assert check() == 1
    assert "could not score" in capsys.readouterr().out


case_names = st.text(alphabet="ab:_ -.", min_size=1, max_size=12).filter(
    lambda s: s == s.strip() and not s.endswith(":"))


def test_a_name_that_extends_another_name_is_not_mistaken_for_it():
    names = ["peer:a", "peer:a: b"]
    results = checker.lint_results("  FAIL peer:a: b: missed\nlint conformance: 1/2 = 50.0%\n", names)
    assert results.passing == {"lint:peer:a"}


@given(st.lists(case_names, min_size=1, max_size=8, unique=True), st.data())
def test_fail_lines_map_back_to_exactly_the_failing_names(names, data):
    failing = data.draw(st.sets(st.sampled_from(names)))
    output = "".join(f"  FAIL {name}: missed: at {name}\n" for name in sorted(failing))
    output += f"lint conformance: {len(names) - len(failing)}/{len(names)} = 0.0%\n"
    results = checker.lint_results(output, names)
    assert results.passing == {f"lint:{n}" for n in names if n not in failing}
    assert results.known == {f"lint:{n}" for n in names}
