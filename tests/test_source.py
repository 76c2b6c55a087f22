"""asl.source: values, positions, duplicate keys and every way a source can be unreadable."""
from __future__ import annotations

import io
import json
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asl.diagnostics import Diagnostic, pointer_join
from asl.source import (
    MAX_DEFINITION_BYTES,
    MAX_DEPTH,
    SOURCE_RULES,
    Document,
    iter_definition_files,
    read,
    read_all,
)


def at(document: Document, position: tuple[int, int], length: int = 1) -> str:
    """The text at a 1-based (line, column)."""
    line, column = position
    text_line = document.text.splitlines()[line - 1]
    return text_line[column - 1:column - 1 + length]


def codes(document: Document) -> list[str]:
    return [d.code for d in document.diagnostics]


def only(document: Document, code: str) -> Diagnostic:
    found = [d for d in document.diagnostics if d.code == code]
    assert len(found) == 1, document.diagnostics
    return found[0]


MACHINE = """{
  "Comment": "caf\u00e9 \\u00e9 \\"quoted\\"",
  "StartAt": "First",
  "States": {
    "First": {
      "Type": "Pass",
      "Result": [1, {"nested": [true, null]}, "x"],
      "Next": "a/b~c"
    },
    "a/b~c": {"Type": "Succeed"}
  }
}
"""


# ----------------------------------------------------------------------------------------------- JSON positions

def test_json_value_and_format():
    document = read(MACHINE)
    assert document.format == "json"
    assert document.diagnostics == []
    assert document.value == json.loads(MACHINE)
    assert document.text == MACHINE
    assert document.path is None


@pytest.mark.parametrize("pointer, expected", [
    ("", (1, 1)),
    ("/Comment", (2, 3)),
    ("/States", (4, 3)),
    ("/States/First", (5, 5)),
    ("/States/First/Result", (7, 7)),
    ("/States/First/Result/0", (7, 18)),
    ("/States/First/Result/1", (7, 21)),
    ("/States/First/Result/1/nested", (7, 22)),
    ("/States/First/Result/1/nested/1", (7, 39)),
    ("/States/First/Result/2", (7, 47)),
    ("/States/a~1b~0c", (10, 5)),
    ("/States/a~1b~0c/Type", (10, 15)),
])
def test_json_positions_point_at_keys_and_array_items(pointer, expected):
    assert read(MACHINE).locate(pointer) == expected


def test_json_value_positions():
    document = read(MACHINE)
    assert document.locate_value("/StartAt") == (3, 14)
    assert at(document, document.locate_value("/States/First/Next"), 7) == '"a/b~c"'


def test_missing_pointer_falls_back_to_nearest_existing_ancestor():
    document = read(MACHINE)
    assert document.locate("/States/First/Retry/0/ErrorEquals") == document.locate("/States/First")
    assert document.locate("/Nope") == (1, 1)
    assert document.locate("not-a-pointer") == (1, 1)


def test_escaped_and_unicode_keys():
    text = '{"q\\"k": 1, "\\u00e9t\\u00e9": {"\\/": 2}, "\u00fc\U0001F600": 3, "z": 4}'
    document = read(text)
    assert document.value == {'q"k': 1, "été": {"/": 2}, "ü😀": 3, "z": 4}
    assert at(document, document.locate('/q"k'), 6) == '"q\\"k"'
    assert at(document, document.locate("/été"), 15) == '"\\u00e9t\\u00e9"'
    assert at(document, document.locate("/été/~1"), 4) == '"\\/"'
    # columns count characters (code points), so what follows an emoji key is still found exactly
    assert at(document, document.locate("/z"), 3) == '"z"'


def test_crlf_and_cr_line_endings():
    document = read('{\r\n  "StartAt": "A",\r\n  "States": {\r\n    "A": {"Type": "Succeed"}\r\n  }\r\n}\r\n')
    assert document.locate("/StartAt") == (2, 3)
    assert document.locate("/States/A") == (4, 5)
    assert read('{\r"a": 1,\r"b": 2}').locate("/b") == (3, 1)


def test_bom_is_ignored():
    document = read(b"\xef\xbb\xbf" + MACHINE.encode())
    assert document.diagnostics == []
    assert document.locate("/Comment") == (2, 3)


def test_utf16_with_bom_is_decoded():
    document = read(MACHINE.encode("utf-16"))
    assert document.value == json.loads(MACHINE)


def test_object_source_has_no_positions():
    value = {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    document = read(value)
    assert document.format == "object"
    assert document.value == value
    assert document.text is None
    assert document.locate("/States/A") == (1, 1)


def test_tuples_in_objects_become_lists():
    document = read({"States": {"A": {"Result": (1, 2)}}})
    assert document.value["States"]["A"]["Result"] == [1, 2]


def test_locate_all_fills_positions_and_path(tmp_path):
    path = tmp_path / "flow.asl.json"
    path.write_text(MACHINE)
    document = read(path)
    missing = Diagnostic("ASL101", "unreachable", "/States/a~1b~0c")
    placed = Diagnostic("ASL102", "kept", "/States", line=9, column=9)
    located = document.locate_all([missing, placed])
    assert (located[0].line, located[0].column, located[0].path) == (10, 5, str(path))
    assert (located[1].line, located[1].column, located[1].path) == (9, 9, str(path))
    assert missing.line is None      # copies, the originals are untouched


# ----------------------------------------------------------------------------------------------- duplicates

def test_duplicate_state_is_reported_at_second_occurrence():
    text = '{\n "StartAt": "A",\n "States": {\n  "A": {"Type": "Pass", "End": true},\n  "A": {"Type": "Succeed"}\n }\n}'
    document = read(text)
    diagnostic = only(document, "ASL003")
    assert (diagnostic.line, diagnostic.column) == (5, 3)
    assert diagnostic.pointer == "/States/A"
    assert diagnostic.severity == "error"
    assert diagnostic.name == "duplicate-key"
    assert diagnostic.aws_code == "DUPLICATE_STATE_NAME"
    assert "line 4, column 3" in diagnostic.message
    assert document.value["States"]["A"] == {"Type": "Succeed"}     # json.loads semantics: the last wins
    assert document.locate("/States/A") == (5, 3)


def test_duplicate_keys_found_everywhere_even_spelled_differently():
    text = '[{"x": 1}, {"a": {"k": 1, "\\u006b": 2, "k": 3}}]'
    document = read(text)
    assert [d.pointer for d in document.diagnostics] == ["/1/a/k", "/1/a/k"]
    assert [d.column for d in document.diagnostics] == [27, 40]
    assert all(d.aws_code is None for d in document.diagnostics)


def test_same_key_in_sibling_objects_is_not_a_duplicate():
    assert read('{"a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 1}, {"k": 2}]}').diagnostics == []


def test_duplicate_yaml_key():
    document = read("StartAt: A\nStates:\n  A: {Type: Pass, End: true}\n  A:\n    Type: Succeed\n", path="x.asl.yaml")
    diagnostic = only(document, "ASL003")
    assert (diagnostic.line, diagnostic.column, diagnostic.pointer) == (4, 3, "/States/A")
    assert document.value["States"]["A"] == {"Type": "Succeed"}


# ----------------------------------------------------------------------------------------------- YAML

YAML_MACHINE = """\
# a comment
Comment: "caf\u00e9"
StartAt: First
States:
  First:
    Type: Pass
    Result:
      - 1
      - when: 2024-01-01T00:00:00Z
        date: 2024-01-01
        flag: yes
      - !GetAtt Fn.Arn
    Next: Last
  Last: {Type: Succeed, Comment: 'x'}
"""


def test_yaml_value_keeps_timestamps_as_strings_and_pyyaml_safe_scalars():
    document = read(YAML_MACHINE, path="m.asl.yaml")
    assert document.format == "yaml"
    assert document.diagnostics == []
    result = document.value["States"]["First"]["Result"]
    assert result[0] == 1
    assert result[1] == {"when": "2024-01-01T00:00:00Z", "date": "2024-01-01", "flag": True}
    assert result[2] == {"Fn::GetAtt": ["Fn", "Arn"]}
    assert document.value["States"]["Last"] == {"Type": "Succeed", "Comment": "x"}


@pytest.mark.parametrize("pointer, expected", [
    ("", (2, 1)),
    ("/Comment", (2, 1)),
    ("/States/First", (5, 3)),
    ("/States/First/Result/0", (8, 9)),
    ("/States/First/Result/1", (9, 9)),
    ("/States/First/Result/1/date", (10, 9)),
    ("/States/First/Result/2", (12, 9)),
    ("/States/First/Result/2/Fn::GetAtt", (12, 9)),
    ("/States/Last/Comment", (14, 25)),
])
def test_yaml_positions(pointer, expected):
    assert read(YAML_MACHINE, path="m.asl.yaml").locate(pointer) == expected


def test_yaml_is_detected_without_a_path():
    document = read("StartAt: A\nStates:\n  A:\n    Type: Succeed\n")
    assert document.format == "yaml"
    assert document.value == {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}


def test_yaml_merge_keys_aliases_and_key_spelling():
    text = "base: &b {Type: Pass, End: true}\nStates:\n  A:\n    <<: *b\n    End: false\n  B: *b\n200: x\n"
    document = read(text, path="m.yaml")
    assert document.value["States"] == {"A": {"Type": "Pass", "End": False}, "B": {"Type": "Pass", "End": True}}
    assert document.value["200"] == "x"
    assert document.locate("/States/A/End") == (5, 5)
    assert document.locate("/States/A/Type") == (1, 11)          # merged from the anchor
    assert document.diagnostics == []


def test_yaml_cloudformation_short_tags():
    text = ("a: !Ref X\nb: !Sub 'arn:${AWS::Region}'\nc: !Join [':', [a, b]]\nd: !GetAtt [R, Arn]\n"
            "e: !If [Cond, 1, 2]\n")
    assert read(text).value == {
        "a": {"Ref": "X"}, "b": {"Fn::Sub": "arn:${AWS::Region}"}, "c": {"Fn::Join": [":", ["a", "b"]]},
        "d": {"Fn::GetAtt": ["R", "Arn"]}, "e": {"Fn::If": ["Cond", 1, 2]},
    }


def test_yaml_json_looking_file_uses_the_json_parser():
    document = read('{"a": 1}', path="m.asl.yaml")
    assert (document.value, document.format) == ({"a": 1}, "json")
    flow = read("{a: 1, b: [x]}", path="m.asl.yaml")
    assert (flow.value, flow.format) == ({"a": 1, "b": ["x"]}, "yaml")


def test_non_scalar_yaml_key_and_non_json_number():
    document = read("? [a, b]\n: 1\nc: .inf\n")
    assert codes(document) == ["ASL000", "ASL000"]
    assert [(d.line, d.column) for d in document.diagnostics] == [(1, 3), (3, 4)]


# ----------------------------------------------------------------------------------------------- unreadable

@pytest.mark.parametrize("text, position, words", [
    ('{"a": 1,}', (1, 9), "property name"),
    ('{\n  "a": 1\n  "b": 2\n}', (3, 3), "delimiter"),
    ('{"a": "unterminated}', (1, 7), "Unterminated string"),
    ('{"a": 1} // comment', (1, 10), "Extra data"),
    ("{'a': 1}", (1, 2), "property name"),
    ('{"a": tru}', (1, 7), "'tru'"),
    ('[1, 2', (1, 6), "delimiter"),
    ("not a definition", (1, 1), "'not'"),
    ('{"a": "tab\there"}', (1, 11), "control character"),
    ("a: b: c", (1, 5), "mapping values"),
    ("a:\n\t- b", (2, 1), "YAML"),
    ("a: 1\n---\nb: 2\n", (2, 1), "another document"),
    ('a: "x', (1, 6), "YAML"),
])
def test_malformed_text_gets_asl000_with_the_parsers_position(text, position, words):
    document = read(text)
    assert document.value is None
    diagnostic = only(document, "ASL000")
    assert (diagnostic.line, diagnostic.column) == position
    assert words in diagnostic.message
    assert diagnostic.name == "unreadable-source" and diagnostic.severity == "error"


def test_malformed_json_named_json_is_not_read_as_yaml():
    document = read("StartAt: A\n", path="flow.asl.json")
    assert document.value is None
    assert codes(document) == ["ASL000"]


@pytest.mark.parametrize("source", ["", "   \n\t\n", b"", "# only a comment\n"])
def test_empty_source(source):
    document = read(source, path="x.yaml" if source == "# only a comment\n" else None)
    assert document.value is None
    diagnostic = only(document, "ASL000")
    assert "empty" in diagnostic.message
    assert (diagnostic.line, diagnostic.column) == (1, 1)


@pytest.mark.parametrize("source", ["null", None, "~"])
def test_null_document(source):
    document = read(source, path="n.yaml" if source == "~" else None)
    assert document.value is None
    assert "null" in only(document, "ASL000").message


@pytest.mark.parametrize("data, position", [
    (b'{"a": "\x00"}', (1, 8)),
    (b'{\n"a": "\xff\xfe"}', (2, 7)),
    (b"\x89PNG\r\n\x1a\n\x00\x00", (1, 1)),
])
def test_binary_content(data, position):
    document = read(data)
    assert document.value is None
    diagnostic = only(document, "ASL000")
    assert "binary" in diagnostic.message
    assert (diagnostic.line, diagnostic.column) == position


def test_integer_too_long_for_python_is_a_diagnostic():
    document = read('{\n  "a": ' + "1" * 5000 + "}")
    assert document.value is None
    diagnostic = only(document, "ASL000")
    assert (diagnostic.line, diagnostic.column) == (2, 8) and "digits" in diagnostic.message


def test_nan_and_infinity_are_not_json():
    document = read('{"a": NaN, "b": [-Infinity]}')
    assert [(d.code, d.column) for d in document.diagnostics] == [("ASL000", 7), ("ASL000", 18)]


def test_unreadable_files(tmp_path):
    missing = tmp_path / "missing.asl.json"
    document = read(missing)
    assert document.value is None and document.path == str(missing)
    assert "cannot read" in only(document, "ASL000").message
    assert only(document, "ASL000").path == str(missing)
    assert codes(read(tmp_path)) == ["ASL000"]          # a directory


def test_files_by_path_pathlike_and_open_file(tmp_path):
    path = tmp_path / "flow.asl.json"
    path.write_text(MACHINE, encoding="utf-8")
    for source in (path, str(path)):
        document = read(source)
        assert document.value == json.loads(MACHINE) and document.path == str(path)
    with open(path, "rb") as handle:
        assert read(handle).value == json.loads(MACHINE)
    assert read(io.StringIO("a: 1\n")).value == {"a": 1}
    # a one-line string naming a definition file that does not exist: the file is missing
    assert "cannot read nowhere.asl.json" in only(read("nowhere.asl.json"), "ASL000").message
    # other strings that are not files are text
    assert read("just text").diagnostics[0].message == "invalid JSON: unrecognized token 'just'"
    assert read("key: value.json").value == {"key": "value.json"}


def test_text_with_an_explicit_path_is_reported_under_that_path():
    document = read('{"a": 1,}', path="given.asl.json")
    assert document.path == "given.asl.json" and document.diagnostics[0].path == "given.asl.json"


def test_read_passes_documents_through():
    document = read(MACHINE)
    assert read(document) is document
    assert read_all(document) == [document]


# ----------------------------------------------------------------------------------------------- limits

def _big_definition(size: int) -> str:
    """A valid definition of exactly ``size`` bytes."""
    empty = json.dumps({"StartAt": "A", "Comment": "", "States": {"A": {"Type": "Succeed"}}})
    text = json.dumps({"StartAt": "A", "Comment": "x" * (size - len(empty)), "States": {"A": {"Type": "Succeed"}}})
    assert len(text) == size
    return text


def test_too_large_json_keeps_its_value():
    document = read(_big_definition(MAX_DEFINITION_BYTES + 10))
    diagnostic = only(document, "ASL004")
    assert diagnostic.name == "too-large" and "1,048,576" in diagnostic.message
    assert document.value["StartAt"] == "A"


def test_size_limit_counts_utf8_bytes():
    just_fits = _big_definition(MAX_DEFINITION_BYTES - 1000)
    assert "ASL004" not in codes(read(just_fits))
    multibyte = just_fits.replace("x" * 600_000, "\u00e9" * 600_000)    # 2 bytes each in UTF-8
    assert "ASL004" in codes(read(multibyte))


def test_too_large_yaml_and_object():
    value = json.loads(_big_definition(MAX_DEFINITION_BYTES + 10))
    assert "ASL004" in codes(read(yaml.safe_dump(value), path="big.yaml"))
    assert "ASL004" in codes(read(value))
    assert "ASL004" not in codes(read(json.loads(_big_definition(MAX_DEFINITION_BYTES - 1000))))


def test_yaml_alias_bomb_is_too_large_not_a_hang():
    lines = ["a0: &a0 [" + ", ".join(["xxxxxxxxxxxxxxxx"] * 10) + "]"]
    for level in range(1, 12):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    document = read("\n".join(lines) + "\n")
    assert document.value is None
    assert codes(document) == ["ASL004"]


def _nested(depth: int) -> str:
    return '{"a": ' * (depth - 1) + "[]" + "}" * (depth - 1)


def test_depth_limit_json():
    assert read(_nested(MAX_DEPTH)).diagnostics == []
    document = read(_nested(MAX_DEPTH + 1))
    assert document.value is None
    diagnostic = only(document, "ASL005")
    assert diagnostic.name == "too-deep" and (diagnostic.line, diagnostic.column) == (1, 6 * MAX_DEPTH + 1)


def test_extremely_deep_json_is_no_recursion_error():
    document = read("[" * 100_000 + "]" * 100_000)
    assert codes(document) == ["ASL005"]
    assert (document.diagnostics[0].line, document.diagnostics[0].column) == (1, MAX_DEPTH + 1)


def test_brackets_inside_strings_do_not_count_as_depth():
    text = json.dumps({"a": "[" * 500, "b": {"c": "{" * 500}})
    assert read(text).diagnostics == []


@pytest.mark.parametrize("text", [
    "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    "".join(" " * i + "a:\n" for i in range(MAX_DEPTH + 5)) + " " * (MAX_DEPTH + 5) + "b\n",
    "[" * 5000 + "]" * 5000,
    "&a [*a]",
    "a: &x\n  b: *x\n",
])
def test_depth_limit_yaml(text):
    document = read(text, path="deep.yaml")
    assert document.value is None
    assert codes(document) == ["ASL005"]


def test_depth_limit_and_cycles_in_objects():
    deep: dict = {}
    current = deep
    for _ in range(MAX_DEPTH + 5):
        current["a"] = {}
        current = current["a"]
    assert codes(read(deep)) == ["ASL005"]
    cyclic: dict = {"States": {}}
    cyclic["States"]["self"] = cyclic
    assert codes(read(cyclic)) == ["ASL005"]


@pytest.mark.parametrize("value, words", [
    ({"a": {1, 2}}, "set"),
    ({"a": float("nan")}, "nan"),
    ({1: "a"}, "key"),
    ({"a": object()}, "object"),
])
def test_objects_that_are_not_json(value, words):
    document = read(value)
    assert document.value is None
    assert words in only(document, "ASL000").message


def test_source_rules_are_described():
    assert {code: rule[0] for code, rule in SOURCE_RULES.items()} == {
        "ASL000": "unreadable-source", "ASL003": "duplicate-key", "ASL004": "too-large", "ASL005": "too-deep"}


# ----------------------------------------------------------------------------------------------- files to lint

def test_iter_definition_files(tmp_path):
    for name in ("a.asl.json", "b.asl.yaml", "c.asl.yml", "notes.json", "template.yaml", "api.template.json",
                 "sub/d.asl.json", "sub/deeper/e.ASL.JSON", ".hidden/f.asl.json", "node_modules/g.asl.json",
                 "sub/readme.md"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}")
    explicit = tmp_path / "notes.json"
    found = [p.relative_to(tmp_path).as_posix() for p in iter_definition_files([tmp_path, explicit, tmp_path / "a.asl.json"])]
    assert found == ["a.asl.json", "api.template.json", "b.asl.yaml", "c.asl.yml", "template.yaml",
                     "sub/d.asl.json", "sub/deeper/e.ASL.JSON", "notes.json"]
    missing = tmp_path / "missing.asl.json"
    assert list(iter_definition_files([missing])) == [missing]


# ----------------------------------------------------------------------------------------------- properties

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=25,
)


def _pointers(value, pointer=""):
    yield pointer, value
    if isinstance(value, dict):
        for key, member in value.items():
            yield from _pointers(member, pointer_join(pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _pointers(item, f"{pointer}/{index}")


def _text_from(document: Document, position) -> str:
    """The text from a (line, column) on; lines end at CRLF, CR or LF only (JSON's and editors' view)."""
    line, column = position
    starts = [0] + [m.end() for m in re.finditer(r"\r\n?|\n", document.text)]
    return document.text[starts[line - 1] + column - 1:]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values.filter(lambda v: v is not None), indent=st.none() | st.integers(0, 4) | st.just("\t"), ascii_only=st.booleans(),
       compact=st.booleans(), crlf=st.booleans())
def test_json_round_trip_and_every_pointer_locates_its_key_or_value(value, indent, ascii_only, compact, crlf):
    separators = (",", ":") if compact else None
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only, separators=separators)
    if crlf:
        text = text.replace("\n", "\r\n")
    document = read(text)
    assert document.value == value
    assert document.diagnostics == []
    containers = dict(_pointers(value))
    for pointer, member in _pointers(value):
        serialized = json.dumps(member, ensure_ascii=ascii_only)
        expected = serialized if not isinstance(member, (dict, list)) else serialized[0]
        if pointer and isinstance(containers[pointer[:pointer.rfind("/")]], dict):
            # an object member: the key is at locate(), the value at locate_value()
            key = pointer.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
            assert _text_from(document, document.locate(pointer)).startswith(json.dumps(key, ensure_ascii=ascii_only))
            assert _text_from(document, document.locate_value(pointer)).startswith(expected)
        else:
            assert _text_from(document, document.locate(pointer)).startswith(expected)


# YAML's line breaks include NEL and the Unicode separators, which PyYAML's dumper does not always escape
yaml_characters = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="\x85")
yaml_keys = st.text(yaml_characters, min_size=1, max_size=8)
yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(yaml_characters, max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(yaml_keys, children, max_size=3),
    max_leaves=15,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.dictionaries(yaml_keys, yaml_values, min_size=1, max_size=4), flow=st.none() | st.booleans(),
       indent=st.integers(2, 6))
def test_yaml_round_trip_and_keys_locate_to_their_text(value, flow, indent):
    text = yaml.safe_dump(value, default_flow_style=flow, indent=indent, allow_unicode=True, sort_keys=False)
    document = read(text, path="prop.yaml")
    assert document.diagnostics == []
    assert document.value == value
    containers = dict(_pointers(value))
    for pointer, _ in _pointers(value):
        if pointer and isinstance(containers[pointer[:pointer.rfind("/")]], dict):
            key = pointer.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
            rest = _text_from(document, document.locate(pointer))
            # the key as written: plain, or quoted the way the dumper quotes it
            assert any(rest.startswith(spelling) for spelling in (key, repr(key)[1:-1], "'", '"')), (pointer, rest[:30])


@settings(max_examples=300)
@given(st.text(max_size=60) | st.binary(max_size=60))
def test_arbitrary_input_never_raises_and_always_locates(source):
    for document in (read(source), read(source, path="x.yaml"), read(source, path="x.json")):
        if document.value is None:
            assert document.diagnostics, "an unreadable source always says why"
        for diagnostic in document.diagnostics:
            assert diagnostic.line >= 1 and diagnostic.column >= 1
            assert diagnostic.code in SOURCE_RULES
        document.locate("/a/0/b")


syntax_soup = st.lists(
    st.sampled_from(list('{}[]:,"\'!&*<-|>#~\\/ \n\t\r.$abAB01eE') +
                    ["true", "null", "<<", "!Ref ", "!GetAtt ", "&x ", "*x", "\\u00e9", "---", "? ", "${a}"]),
    max_size=60).map("".join)


@settings(max_examples=400)
@given(syntax_soup, st.sampled_from([None, "x.json", "x.yaml"]))
def test_json_and_yaml_syntax_soup_never_raises(text, path):
    document = read(text, path=path)
    assert document.value is not None or document.diagnostics
    for diagnostic in document.diagnostics:
        assert diagnostic.code in SOURCE_RULES and diagnostic.line >= 1 and diagnostic.column >= 1
    document.locate("/a/0")
    document.locate_value("/a/0")


@settings(max_examples=150)
@given(syntax_soup)
def test_template_soup_never_raises(text):
    header = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n"
    for body in ("    Properties:\n      DefinitionString: " + json.dumps(text) + "\n",
                 "    Properties:\n      Definition: " + json.dumps(text) + "\n",
                 "    Properties:\n      DefinitionSubstitutions: {a: " + json.dumps(text) + "}\n"
                 "      DefinitionString: !Sub '${a}'\n"):
        for document in read_all(header + body):
            document.locate("/States")
            assert all(d.line >= 1 for d in document.diagnostics)
