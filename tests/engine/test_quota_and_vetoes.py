"""Quota places go to eligible objects: a vetoed or force-graded object's place passes on."""

from __future__ import annotations

import polars as pl
import pytest

from jixiao.engine.data import DataSet
from jixiao.engine.scheme.loader import parse_scheme_text
from jixiao.engine.score import score

SCHEME = """\
code: q
name: 名额
periods: {codes: [Y]}
categories:
  - code: towns
    indicators:
      - {code: A, points: 100, rule: {method: manual}}
    results:
      grades:
        bands:
          - {name: 先进, min: 90, quota: {share: 0.25, ties: %s}}
          - {name: 合格, min: 60}
          - {name: 不合格}
      vetoes:
        - {code: F, effect: force_grade, grade: 不合格}
        - {code: N, effect: no_top}
"""


def run(scores: dict[str, float], vetoes: dict[str, str], ties: str = "include") -> dict[str, tuple[str, int]]:
    ids = list(scores)
    ds = DataSet(
        values=pl.DataFrame({"object": ids, "group": ["towns"] * len(ids), "indicator": ["A"] * len(ids),
                             "period": ["Y"] * len(ids), "value": [scores[i] for i in ids]}),
        incidents=pl.DataFrame({"object": list(vetoes), "indicator": list(vetoes.values()),
                                "period": ["Y"] * len(vetoes)}, schema={"object": pl.String,
                                                                        "indicator": pl.String, "period": pl.String}),
    )
    rows = score(parse_scheme_text(SCHEME % ties), ds).rows()
    return {r.object_id: (r.grade or "", r.rank) for r in rows}


@pytest.mark.parametrize("veto", ["F", "N"])
def test_the_place_of_a_vetoed_top_scorer_passes_to_the_next(veto: str) -> None:
    got = run({"a": 99, "b": 95, "c": 92, "d": 70}, {"a": veto})
    assert got["b"] == ("先进", 2)
    assert got["a"][0] == ("不合格" if veto == "F" else "合格")
    assert got["c"][0] == "合格"


def test_a_tie_at_the_quota_line_is_included_or_excluded_as_stated() -> None:
    assert [run({"a": 95, "b": 95, "c": 80, "d": 70}, {}, ties)["a"][0] for ties in ("include", "exclude")] == [
        "先进", "合格"]


def test_the_minimum_score_holds_even_with_places_left() -> None:
    got = run({"a": 89.99, "b": 80, "c": 70, "d": 60}, {})
    assert got["a"] == ("合格", 1)
