"""safe_cell: text a spreadsheet would run as a formula gets a leading apostrophe; everything else
passes unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.exports import FORMULA_TRIGGERS, GUARD, safe_cell


def test_triggers_are_guarded() -> None:
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert safe_cell("+86 138") == "'+86 138"
    assert safe_cell("-5") == "'-5"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\t=1") == "'\t=1"
    assert safe_cell("\r=1") == "'\r=1"


def test_ordinary_text_and_values_pass() -> None:
    assert safe_cell("东镇") == "东镇"
    assert safe_cell("a=b") == "a=b"
    assert safe_cell("") == ""
    for value in (None, 0, -5, 2.5, Decimal("-1.5"), dt.date(2026, 3, 1), True):
        assert safe_cell(value) is value


@given(st.text())
def test_output_never_starts_with_a_trigger(text: str) -> None:
    out = safe_cell(text)
    assert not out.startswith(FORMULA_TRIGGERS)
    # Nothing is lost: the original text follows the guard.
    assert out in (text, GUARD + text)


@given(st.text().filter(lambda t: not t.startswith(FORMULA_TRIGGERS)))
def test_safe_text_is_unchanged(text: str) -> None:
    assert safe_cell(text) == text


@given(st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.decimals(allow_nan=False),
                 st.dates(), st.booleans()))
def test_non_strings_pass(value: object) -> None:
    assert safe_cell(value) is value
