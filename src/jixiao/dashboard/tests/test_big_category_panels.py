"""Panels of a big category draw the best and the worst, not every object, and say so."""

from __future__ import annotations

from jixiao.dashboard.panels import ENDS, ends


def test_a_short_list_is_drawn_whole() -> None:
    items = list(range(2 * ENDS))
    assert ends(items) == (items, "")


def test_a_long_list_keeps_its_ends_and_says_how_many() -> None:
    items = list(range(32000))
    shown, note = ends(items)
    assert shown == list(range(ENDS)) + list(range(32000 - ENDS, 32000))
    assert "共 32000 个" in note and f"前 {ENDS} 名和后 {ENDS} 名" in note
