"""Every rule is documented, has good and bad fixtures, and the fixtures behave; docs/rules.md is fresh."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import asl.lint.rules  # noqa: F401  (registration)
from asl.lint import docs, lint
from asl.lint.registry import RULES

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "lint"
CODES = sorted(RULES)
FAMILY_OF_PREFIX = {"ASL0": "structure", "ASL1": "graph", "ASL2": "paths", "ASL3": "errors", "ASL4": "resources",
                    "ASL5": "jsonata", "ASL9": "meta"}


def _options(code: str) -> dict:
    path = FIXTURES / code / "options.json"
    return json.loads(path.read_text()) if path.exists() else {}


@pytest.mark.parametrize("code", CODES)
def test_rule_is_documented(code):
    rule = RULES[code]
    assert re.fullmatch(r"ASL\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.name)
    assert rule.severity in ("error", "warning", "info")
    assert rule.family == FAMILY_OF_PREFIX[code[:4]]
    sections = docs.sections(rule)
    for title in docs.SECTIONS:
        assert sections.get(title), f"{code} lacks a '{title}' section"
    assert rule.summary().endswith(".")


@pytest.mark.parametrize("code", CODES)
def test_good_fixture_is_clean(code):
    good = FIXTURES / code / "good.asl.json"
    assert good.exists(), f"missing {good}"
    assert lint(str(good), **_options(code)) == []


@pytest.mark.parametrize("code", CODES)
def test_bad_fixture_draws_exactly_the_expected_findings(code):
    bad = FIXTURES / code / "bad.asl.json"
    expected = json.loads((FIXTURES / code / "bad.expected.json").read_text())
    found = [{"code": d.code, "pointer": d.pointer, "line": d.line} for d in lint(str(bad), **_options(code))]
    assert found == expected
    assert code in {e["code"] for e in expected}, f"{code}'s bad fixture does not show {code}"


@pytest.mark.parametrize("code", CODES)
def test_bad_fixture_is_silenced_by_selecting_other_rules(code):
    bad = FIXTURES / code / "bad.asl.json"
    assert code not in {d.code for d in lint(str(bad), ignore=[code], **_options(code))}


def test_no_fixture_directory_without_a_rule():
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == CODES


def test_docs_rules_md_is_fresh():
    """docs/rules.md is generated: `asl rules --format md > docs/rules.md`."""
    assert (ROOT / "docs" / "rules.md").read_text() == docs.render_markdown()


def test_rule_codes_and_names_are_unique_and_lookup_works():
    from asl.lint.registry import rule_for

    assert len({r.name for r in RULES.values()}) == len(RULES)
    for rule in RULES.values():
        assert rule_for(rule.code) is rule
        assert rule_for(rule.code.lower()) is rule
        assert rule_for(rule.name) is rule


def test_schema_constants_match_the_model():
    """The linter keeps its own copies (importing asl.model is slow); they must not drift."""
    from asl import model
    from asl.lint.rules import schema

    assert schema.STATE_TYPES == model.STATE_TYPES
    assert schema.COMPARISON_OPERATORS == model.COMPARISON_OPERATORS
    assert (schema.JSONPATH, schema.JSONATA) == (model.JSONPATH, model.JSONATA)
    assert set(schema.CHOICE_OPERATOR_TYPES) == set(model.CHOICE_OPERATORS)


def test_intrinsic_signatures_match_the_interpreter():
    from asl import intrinsics
    from asl.lint import _intrinsic_shape as shape

    assert {name: (lo, hi) for name, (lo, hi, _types) in shape.SIGNATURES.items()} == {
        name: (lo, hi) for name, (_f, lo, hi) in intrinsics.FUNCTIONS.items()}
    assert {name: types for name, (_lo, _hi, types) in shape.SIGNATURES.items()} == dict(intrinsics.PARAMETER_TYPES)
    assert tuple(shape.HASH_ALGORITHMS) == tuple(intrinsics.HASH_ALGORITHMS)
