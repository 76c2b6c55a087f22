"""What checking an expression imports: only the parser it needs (start-up time is the linter's budget).

Each check runs in a fresh interpreter, since this test process has long imported everything.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    env = dict(os.environ, PYTHONPATH=ROOT)
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_checking_a_well_formed_or_truncated_intrinsic_loads_no_parser_library():
    loaded = modules_after("from asl.intrinsics import check_intrinsic\n"
                           "assert check_intrinsic('States.Hash($.a, 1)')[0].startswith('Argument 2')\n"
                           "assert check_intrinsic('States.Nope($.a)')[0] == 'Unknown intrinsic function States.Nope'\n"
                           "assert check_intrinsic(\"States.Format('{}', $.a\")[0].startswith('Unexpected end')")
    assert not loaded & {"lark", "hashlib", "random", "base64", "decimal", "importlib.resources", "pathlib",
                         "asl.jsonata_syntax", "jsonpath_ng"}


def test_other_syntax_errors_are_lark_s_to_describe():
    loaded = modules_after("from asl.intrinsics import check_intrinsic\n"
                           "assert check_intrinsic('States.Format(1 2)') == ('Unexpected 2', 17)")
    assert "lark" in loaded


def test_analysing_jsonata_loads_the_parser_not_the_function_library():
    loaded = modules_after("from asl.jsonata_syntax import analyze\n"
                           "assert analyze('$foo($states.input)').unknown_functions == {'foo'}")
    assert "jsonata" in loaded
    assert "asl.jsonata_functions" not in loaded


def test_jsonata_function_names_agree_with_the_function_library():
    from asl.jsonata_functions import builtin_function_names
    from asl.jsonata_syntax import known_function_names

    assert known_function_names() == builtin_function_names()


def test_the_intrinsic_parser_tables_are_kept_between_processes(tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT, ASL_CACHE_DIR=str(tmp_path))
    code = "from asl.intrinsics import check_intrinsic\nprint(check_intrinsic('States.Format(1 2)'))"   # lark's to read
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    [kept] = list((tmp_path / "parsers").iterdir())
    written = kept.stat().st_mtime_ns
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout == second.stdout == "('Unexpected 2', 17)\n"
    assert kept.stat().st_mtime_ns == written            # loaded, not rebuilt


def test_a_corrupt_or_unwritable_parser_cache_only_costs_time(tmp_path):
    code = "from asl.intrinsics import check_intrinsic\nprint(check_intrinsic('States.Array(1 2)'))"
    (tmp_path / "parsers").mkdir()
    (tmp_path / "parsers" / f"intrinsics-py{sys.version_info[0]}{sys.version_info[1]}.lark-cache").write_bytes(
        b"not a parser\n\x00\x01")
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory should be")
    for cache in (tmp_path, blocked):
        env = dict(os.environ, PYTHONPATH=ROOT, ASL_CACHE_DIR=str(cache))
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert (run.returncode, run.stdout.strip(), run.stderr) == (0, "('Unexpected 2', 16)", "")
