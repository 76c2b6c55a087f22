"""asl.source positions: the on-demand JSON locator agrees with the full tokeniser, everywhere.

``_JsonPositions`` follows one pointer at a time (the linter needs a few positions per file);
``_scan_json`` tokenises the whole text (still used for duplicate keys). Both must give the same
offset for every member and item of any JSON text, however it is laid out, and both must say
"unknown" for pointers that do not exist.
"""
from __future__ import annotations

import bisect
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from asl.source import _JsonPositions, _Lines, _scan_json, parse_text

keys = st.text(alphabet=st.sampled_from(list("ab~/ \"\\é\n0")), max_size=4)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=5))
values = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)), max_leaves=25)
layouts = st.sampled_from([dict(), dict(indent=2), dict(indent="\t"), dict(separators=(",", ":")),
                           dict(indent=1, separators=(" ,  ", " :\r\n ")), dict(ensure_ascii=False)])


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def offsets_of(positions: _JsonPositions, pointer: str):
    found = positions._offsets(pointer)
    return None if found is None else found


@settings(max_examples=300, deadline=None)
@given(values, layouts, st.booleans(), st.randoms(use_true_random=False))
def test_every_pointer_found_where_the_tokeniser_finds_it(value, layout, complete, random):
    text = json.dumps(value, **layout)
    key_offsets, value_offsets, duplicates = _scan_json(text)
    assert duplicates == []
    positions = _JsonPositions(text, _Lines(text), has_duplicates=complete)
    pointers = list(key_offsets)
    random.shuffle(pointers)                  # listings are lazy: any order of lookups must work
    for pointer in pointers:
        assert offsets_of(positions, pointer) == (key_offsets[pointer], value_offsets[pointer]), pointer


@settings(max_examples=200, deadline=None)
@given(values, layouts, st.lists(st.one_of(keys.map(escape), st.sampled_from(["0", "1", "01", "-1", "9"])),
                                 min_size=1, max_size=4))
def test_missing_pointers_are_unknown(value, layout, tokens):
    text = json.dumps(value, **layout)
    key_offsets, _, _ = _scan_json(text)
    pointer = "/" + "/".join(tokens)
    for complete in (False, True):
        positions = _JsonPositions(text, _Lines(text), has_duplicates=complete)
        assert (offsets_of(positions, pointer) is not None) == (pointer in key_offsets)


def test_duplicate_keys_point_at_the_last_one_like_json_loads():
    text = '{"a": 1, "b": {"x": 1}, "a": {"c": 2}}'
    positions = _JsonPositions(text, _Lines(text), has_duplicates=True)
    assert positions.key("/a") == (1, 25)
    assert positions.value("/a/c") == (1, 36)
    assert positions.duplicates() == [("/a", (1, 25), (1, 2))]


@given(st.lists(st.sampled_from(["x", "\n", "\r\n", "\r", "é"]), max_size=30), st.data())
def test_line_positions_agree_with_a_table_of_line_starts(pieces, data):
    text = "".join(pieces)
    offset = data.draw(st.integers(0, len(text)))
    starts = [0] + [m.end() for m in re.finditer(r"\r\n?|\n", text)]
    line = bisect.bisect_right(starts, offset)
    assert _Lines(text).position(offset) == (line, offset - starts[line - 1] + 1)


def test_many_lookups_switch_to_a_table_and_stay_right():
    text = "\n".join(f'"k{i}"' for i in range(40))
    lines = _Lines(text)
    for i in range(40):
        assert lines.position(text.index(f'"k{i}"')) == (i + 1, 1)


def test_a_document_with_duplicates_locates_the_kept_member():
    document = parse_text('{"States": {"A": {"Type": "Pass"}, "A": {"Type": "Succeed"}}, "StartAt": "A"}')
    assert [d.code for d in document.diagnostics] == ["ASL003"]
    assert document.locate("/States/A/Type") == (1, 42)   # in the second "A"


def test_documents_locate_members_by_key_and_fall_back_to_ancestors():
    document = parse_text('{\n  "States": {\n    "A": {"Type": "Pass", "End": true}\n  }\n}')
    assert document.locate("/States/A/End") == (3, 27)
    assert document.locate_value("/States/A/End") == (3, 34)
    assert document.locate("/States/A/Next") == (3, 5)
    assert document.locate("/Nope/x") == (1, 1)
