"""``asl: noqa`` markers, ASL900, and rule selection by code, name and prefix."""
from __future__ import annotations

import pytest

from asl.lint.registry import Selector
from asl.lint.suppress import parse_marker

from .helpers import found, machine, pass_, sub


@pytest.mark.parametrize("comment,entries", [
    ("asl: noqa", []), ("ASL: NOQA", []), ("kept on purpose. asl: noqa ASL101", ["ASL101"]),
    ("asl: noqa: ASL101, no-dollar ASL2", ["ASL101", "no-dollar", "ASL2"]), ("nothing here", None),
    ("a noqa without the prefix", None), (42, None),
])
def test_marker_parsing(comment, entries):
    assert parse_marker(comment) == entries


def test_state_marker_silences_only_that_state_and_what_is_inside_it():
    definition = machine({"A": pass_(),
                          "Spare": pass_(Comment="asl: noqa ASL101"),
                          "Other": pass_()})
    assert found(definition) == [("ASL101", "/States/Other")]


def test_marker_on_a_parallel_covers_its_branches():
    definition = machine({"P": {"Type": "Parallel", "End": True, "Comment": "asl: noqa unreachable-state",
                                "Branches": [sub({"B": pass_(), "Orphan": pass_()})]}})
    assert found(definition) == []


def test_top_level_marker_silences_the_file():
    definition = machine({"A": pass_(), "Orphan": pass_()}, Comment="legacy file. asl: noqa ASL1")
    assert found(definition) == []


def test_unused_markers_are_reported_precisely():
    definition = machine({"A": pass_(Comment="asl: noqa ASL101, ASL777")})
    assert found(definition) == [("ASL900", "/States/A/Comment"), ("ASL900", "/States/A/Comment")]
    definition = machine({"A": pass_(Comment="asl: noqa")})
    assert found(definition) == [("ASL900", "/States/A/Comment")]


def test_deselected_rules_do_not_make_a_marker_unused():
    definition = machine({"A": pass_(Comment="asl: noqa ASL101")})
    assert found(definition, ignore=["ASL101"]) == []
    assert found(definition, ignore=["ASL900"]) == []


def test_selector_specificity():
    s = Selector(select=["ASL1"], ignore=["ASL101"])
    assert s.enabled("ASL102") and not s.enabled("ASL101") and not s.enabled("ASL201")
    s = Selector(select=["ASL101"], ignore=["ASL1"])
    assert s.enabled("ASL101") and not s.enabled("ASL102")
    s = Selector(ignore=["unreachable-state"])
    assert not s.enabled("ASL101") and s.enabled("ASL102")
    s = Selector(select=["ALL"], ignore=["ASL9"])
    assert s.enabled("ASL000") and not s.enabled("ASL900")
    assert Selector(select="ASL1, ASL2").enabled("ASL201")


def test_unknown_selector_entries():
    import asl.lint.rules  # noqa: F401

    assert Selector.unknown(["ASL1", "no-dollar", "ALL", "ASL77", "nonsense"]) == ["ASL77", "nonsense"]
