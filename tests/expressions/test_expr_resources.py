"""The grammar ships with the package and is found from the source tree or the installed wheel."""
import pytest

from asl._resources import ResourceNotFound, grammar_text


def test_the_intrinsic_grammar_is_found():
    text = grammar_text("intrinsics.lark")
    assert "FUNCTION_NAME" in text and "%ignore WS" in text


def test_a_missing_grammar_is_a_clear_error():
    with pytest.raises(ResourceNotFound, match="no-such.lark"):
        grammar_text("no-such.lark")
