"""The testing section of the README and docs/testing.md must work as written: the README's example test
file runs under pytest with the plugin, and the guide's example suite passes ``asl test``."""
from __future__ import annotations

import re
from pathlib import Path

from asl.cli import main

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "README.md", ROOT / "docs" / "testing.md")
_BLOCK = re.compile(r"<!-- (test-file|suite-file): (?P<name>[\w.-]+) -->\s*```\w*\n(?P<body>.*?)```", re.S)


def _blocks(kind: str) -> dict[str, str]:
    return {m["name"]: m["body"] for doc in DOCS for m in _BLOCK.finditer(doc.read_text(encoding="utf-8"))
            if m[1] == kind}


def test_the_documented_example_test_passes(pytester):
    files = _blocks("test-file")
    assert files, "README.md lost its example test"
    for name, body in files.items():
        pytester.makepyfile(**{Path(name).stem: body})
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_the_documented_example_suite_passes(tmp_path, capsys):
    suites = _blocks("suite-file")
    assert suites, "docs/testing.md lost its example suite"
    for name, body in suites.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    assert main(["test", str(tmp_path)]) == 0
    assert "2 passed" in capsys.readouterr().out
