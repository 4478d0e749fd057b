"""Grades by rank alone (一等奖 1 名、二等奖 2 名 …, 后 n 名为不合格) and quota-only top bands."""

from __future__ import annotations

import polars as pl
import pytest

from jixiao.engine.data import DataSet
from jixiao.engine.reference import reference_score
from jixiao.engine.scheme.loader import SchemeError, parse_scheme_text
from jixiao.engine.score import score
from jixiao.engine.trace import headline

HEAD = """\
code: r
name: 名次
periods: {codes: [Y]}
categories:
  - code: towns
    indicators:
      - {code: A, points: 100, rule: {method: manual}}
    results:
      grades:
        bands:
"""
VETOES = """\
      vetoes:
        - {code: F, effect: force_grade, grade: %s}
        - {code: N, effect: no_top}
"""
PRIZES = """\
          - {name: 一等奖, count: 1}
          - {name: 二等奖, count: 2}
          - {name: 三等奖, count: 3}
          - {name: 优秀奖}
"""


def run(bands: str, scores: dict[str, float], vetoes: dict[str, str] | None = None,
        forced: str = "优秀奖") -> dict[str, str]:
    vetoes = vetoes or {}
    ids = list(scores)
    ds = DataSet(
        values=pl.DataFrame({"object": ids, "group": ["towns"] * len(ids), "indicator": ["A"] * len(ids),
                             "period": ["Y"] * len(ids), "value": [scores[i] for i in ids]}),
        incidents=pl.DataFrame({"object": list(vetoes), "indicator": list(vetoes.values()),
                                "period": ["Y"] * len(vetoes)}, schema={"object": pl.String,
                                                                        "indicator": pl.String, "period": pl.String}),
    )
    scheme = parse_scheme_text(HEAD + bands + VETOES % forced)
    result = score(scheme, ds)
    got = {r.object_id: r.grade or "" for r in result.rows()}
    ref = reference_score(scheme, ds)
    assert got == {o: r.grade for o, r in ref.items()}
    run.result = result  # type: ignore[attr-defined]
    return got


SEVEN = {"a": 99, "b": 95, "c": 92, "d": 90, "e": 88, "f": 80, "g": 70}


def test_prizes_by_rank_alone() -> None:
    got = run(PRIZES, SEVEN)
    assert [got[o] for o in "abcdefg"] == ["一等奖", "二等奖", "二等奖", "三等奖", "三等奖", "三等奖", "优秀奖"]


def test_a_tie_across_the_line_gets_the_better_band_and_the_next_band_starts_after_it() -> None:
    # a and b tie for first: both 一等奖; they hold places 1–2, so 二等奖 has place 3 only (c).
    got = run(PRIZES, {"a": 99, "b": 99, "c": 92, "d": 90, "e": 88, "f": 80, "g": 70})
    assert [got[o] for o in "abcdefg"] == ["一等奖", "一等奖", "二等奖", "三等奖", "三等奖", "三等奖", "优秀奖"]
    # c, d, e tie for places 2–4: all 二等奖 (places 1–3 and one more), 三等奖 gets places 5–6.
    got = run(PRIZES, {"a": 99, "c": 92, "d": 92, "e": 92, "f": 80, "g": 70, "h": 60})
    assert [got[o] for o in "acdefgh"] == ["一等奖", "二等奖", "二等奖", "二等奖", "三等奖", "三等奖", "优秀奖"]
    flags = {r.object_id: r.flags for r in run.result.rows()}  # type: ignore[attr-defined]
    assert "rank_tie:二等奖" in flags["c"]


def test_a_vetoed_or_ineligible_top_scorer_passes_the_place_on() -> None:
    got = run(PRIZES, SEVEN, {"a": "N"})
    assert [got[o] for o in "abcdefg"] == ["二等奖", "一等奖", "二等奖", "三等奖", "三等奖", "三等奖", "优秀奖"]
    got = run(PRIZES, SEVEN, {"a": "F"})
    assert [got[o] for o in "abcdefg"] == ["优秀奖", "一等奖", "二等奖", "二等奖", "三等奖", "三等奖", "三等奖"]


LAST = """\
          - {name: 优秀, min: 90}
          - {name: 合格}
          - {name: 基本合格, last: 1}
          - {name: 不合格, last: 1}
"""


def test_the_last_places_whatever_their_score() -> None:
    got = run(LAST, {"a": 99, "b": 95, "c": 92, "d": 91}, forced="不合格")
    assert [got[o] for o in "abcd"] == ["优秀", "优秀", "基本合格", "不合格"]


def test_a_tie_at_the_bottom_line_stays_in_the_better_band() -> None:
    # c and d tie for last: neither is 不合格 alone, so both go up to 基本合格 (places 1–2 from the bottom).
    got = run(LAST, {"a": 99, "b": 80, "c": 70, "d": 70}, forced="不合格")
    assert [got[o] for o in "abcd"] == ["优秀", "合格", "基本合格", "基本合格"]
    flags = {r.object_id: r.flags for r in run.result.rows()}  # type: ignore[attr-defined]
    assert "rank_tie:不合格" in flags["c"]
    # b, c, d all tie: none fits in two places from the bottom.
    got = run(LAST, {"a": 99, "b": 70, "c": 70, "d": 70}, forced="不合格")
    assert [got[o] for o in "abcd"] == ["优秀", "合格", "合格", "合格"]


def test_score_bands_below_a_quota_only_band() -> None:
    bands = """\
          - {name: 优秀, quota: {share: 0.3}}
          - {name: 良好, min: 85}
          - {name: 合格, min: 60}
          - {name: 不合格}
"""
    # 30 % of 7 is 2.1 → 2 places, whatever the score; then the score lines.
    got = run(bands, {"a": 80, "b": 79, "c": 70, "d": 60, "e": 59, "f": 50, "g": 40}, forced="不合格")
    assert [got[o] for o in "abcdefg"] == ["优秀", "优秀", "合格", "合格", "不合格", "不合格", "不合格"]
    got = run(bands, SEVEN, forced="不合格")
    assert [got[o] for o in "abcdefg"] == ["优秀", "优秀", "良好", "良好", "良好", "合格", "合格"]


def test_the_headline_says_the_places() -> None:
    run(PRIZES, SEVEN)
    lines = headline(run.result, "b")  # type: ignore[attr-defined]
    assert "等次 二等奖（按名次：第 2–3 名）" in lines[1]
    run(LAST, {"a": 99, "b": 95, "c": 92, "d": 91}, forced="不合格")
    assert "等次 基本合格（按名次：倒数 2 名以内）" in headline(run.result, "c")[1]  # type: ignore[attr-defined]
    run(LAST, {"a": 99, "b": 95, "c": 92, "d": 91}, {"a": "F"}, forced="不合格")
    assert "等次 不合格，" in headline(run.result, "a")[1]  # type: ignore[attr-defined]  # forced, not by place


@pytest.mark.parametrize(("bands", "where", "message"), [
    ("          - {name: 优秀, min: 90}\n          - {name: 一等奖, count: 1}\n          - {name: 优秀奖}\n",
     ":12: categories.0.results.grades.bands.1.count:", "must come before the other bands"),
    ("          - {name: 一等奖, count: 1}\n          - {name: 不合格, last: 1}\n          - {name: 优秀奖}\n",
     ":12: categories.0.results.grades.bands.1.last:", "must come after the band that takes everything else"),
    ("          - {name: 一等奖, count: -1}\n          - {name: 优秀奖}\n",
     ":11: categories.0.results.grades.bands.0.count:", "greater than or equal to 1"),
    ("          - {name: 一等奖, count: 1, last: 1}\n          - {name: 优秀奖}\n",
     ":11: categories.0.results.grades.bands.0:", "not both"),
    ("          - {name: 一等奖, count: 1, min: 90}\n          - {name: 优秀奖}\n",
     ":11: categories.0.results.grades.bands.0:", "takes no min or quota"),
    ("          - {name: 一等奖, count: 1}\n          - {name: 二等奖, count: 2}\n",
     ":12: categories.0.results.grades.bands.1.count:", "one band must take everything else"),
    ("          - {name: 不合格, last: 1}\n",
     ":10: categories.0.results.grades.bands:", "one band must take everything else"),
])
def test_bad_rank_bands_are_refused_with_their_place(bands: str, where: str, message: str) -> None:
    with pytest.raises(SchemeError) as e:
        parse_scheme_text(HEAD + bands + VETOES % "优秀奖", filename="s.yaml")
    text = str(e.value)
    assert "s.yaml" + where in text and message in text, text
