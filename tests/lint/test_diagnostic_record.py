"""``asl.diagnostics.Diagnostic`` behaves as the frozen, slotted dataclass it replaces (written out so that
``asl lint`` does not import ``dataclasses``/``inspect``)."""
from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from dataclasses import FrozenInstanceError, dataclass, replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asl.diagnostics import ERROR, Diagnostic

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class Reference:
    code: str
    message: str
    pointer: str = ""
    severity: str = ERROR
    name: str = ""
    line: int | None = None
    column: int | None = None
    path: str | None = None
    aws_code: str | None = None


texts = st.text(max_size=6)
optional_ints = st.none() | st.integers(0, 99)
optional_texts = st.none() | texts
values = st.tuples(texts, texts, texts, texts, texts, optional_ints, optional_ints, optional_texts, optional_texts)


def named(values_):
    return dict(zip(Reference.__match_args__, values_))


@given(values, values)
def test_equality_hash_and_repr_are_the_dataclasses(a, b):
    da, db, ra, rb = Diagnostic(*a), Diagnostic(*b), Reference(*a), Reference(*b)
    assert (da == db) == (ra == rb)
    assert hash(da) == hash(ra) and da == Diagnostic(**named(a))
    assert repr(da) == repr(ra).replace("Reference(", "Diagnostic(", 1)
    assert da != ra and Diagnostic.__match_args__ == Reference.__match_args__


@given(values, st.data())
def test_with_is_replace(a, data):
    changes = data.draw(st.dictionaries(st.sampled_from(Reference.__match_args__), optional_texts, max_size=3))
    expected = replace(Reference(*a), **changes)
    assert Diagnostic(*a).with_(**changes) == Diagnostic(*(getattr(expected, f) for f in Reference.__match_args__))


def test_defaults_keywords_and_refusals():
    d = Diagnostic("ASL101", "m")
    assert (d.pointer, d.severity, d.name, d.line, d.column, d.path, d.aws_code, d.symbol) == \
        ("", ERROR, "", None, None, None, None, "")
    assert Diagnostic(code="ASL101", message="m", line=3) == Diagnostic("ASL101", "m", "", ERROR, "", 3)
    with pytest.raises(AttributeError):
        d.line = 4
    with pytest.raises(AttributeError):
        del d.code
    with pytest.raises(AttributeError):
        d.other = 1
    with pytest.raises(TypeError):
        d.with_(colour="red")
    with pytest.raises(TypeError):
        Diagnostic("ASL101")
    assert issubclass(FrozenInstanceError, AttributeError)      # what callers of the dataclass caught


def test_copies_and_pickles_and_matches():
    d = Diagnostic("ASL101", "m", "/States/A", line=2, column=5, path="x.json")
    assert copy.copy(d) == d == copy.deepcopy(d) == pickle.loads(pickle.dumps(d))
    match d:
        case Diagnostic(code, _message, pointer):
            assert (code, pointer) == ("ASL101", "/States/A")


def test_linting_one_file_imports_neither_dataclasses_nor_click():
    code = ("import sys\nfrom asl.cli import main\nmain(['lint', '--no-cache', 'benchmarks/data/order_fulfilment.asl.json'])\n"
            "print(sorted(m for m in ('dataclasses', 'inspect', 'click', 'pathlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
