"""grade_map values computed by a line within a band: 良好 = 8 + (得分 − 80) ÷ 10 × 1 (issue 17 item 5)."""

from __future__ import annotations

import polars as pl
import pytest

from jixiao.engine.data import DataError, DataSet
from jixiao.engine.reference import reference_score
from jixiao.engine.scheme.loader import SchemeError, parse_scheme_text
from jixiao.engine.score import score
from jixiao.engine.trace import explain

SCHEME = """\
code: g
name: 专项
periods: {codes: [Y]}
categories:
  - code: units
    points: 10
    indicators:
      - code: Z
        points: 10
        rule:
          method: grade_map
          basis: %s
          grades:
            优秀: %s
            良好: %s
            差: 0
"""
POINTS = ("points", "10", "{base: 8, from: 80, step: 10, per: 1, max: 9}")
SHARE = ("share", "1", "{base: 0.8, from: 80, step: 10, per: 0.1, max: 0.9}")
WHOLE = ("points", "10", "{base: 8, from: 80, step: 10, per: 1, whole: true}")


def run(kind: tuple[str, str, str], rows: list[tuple[str, str, float | None]]) -> dict[str, float | None]:
    ids = sorted({r[0] for r in rows})
    objects = pl.DataFrame({"object": ids, "name": ids, "group": ["units"] * len(ids), "parent": [None] * len(ids)},
                           schema={"object": pl.String, "name": pl.String, "group": pl.String, "parent": pl.String})
    ds = DataSet(objects=objects, has_objects=True, ratings=pl.DataFrame(
        {"object": [r[0] for r in rows], "indicator": ["Z"] * len(rows), "period": ["Y"] * len(rows),
         "rating": [r[1] for r in rows], "score": [r[2] for r in rows]},
        schema={"object": pl.String, "indicator": pl.String, "period": pl.String, "rating": pl.String,
                "score": pl.Float64}))
    scheme = parse_scheme_text(SCHEME % kind)
    result = score(scheme, ds)
    got = {r.object_id: r.total for r in result.rows()}
    assert got == {o: r.total for o, r in reference_score(scheme, ds).items()}
    run.result = result  # type: ignore[attr-defined]
    return got


@pytest.mark.parametrize("kind", [POINTS, SHARE], ids=["points", "share"])
def test_a_good_grade_gets_its_share_of_the_step(kind: tuple[str, str, str]) -> None:
    # 8 + (85 − 80) ÷ 10 × 1 = 8.5; 80 → 8; 89 → 8.9; 95 → 9.5 kept to the max 9; 优秀 10, 差 0.
    got = run(kind, [("a", "良好", 85), ("b", "良好", 80), ("c", "良好", 89), ("d", "良好", 95),
                     ("e", "优秀", None), ("f", "差", None), ("g", "良好", 60)])
    assert got == {"a": 8.5, "b": 8.0, "c": 8.9, "d": 9.0, "e": 10.0, "f": 0.0, "g": 6.0}


def test_whole_steps_only() -> None:
    # 每满 10 分加 1: 89 → 8, 90 → 9, 79 → 7 (a step below), never above the indicator's 10 points.
    got = run(WHOLE, [("a", "良好", 89), ("b", "良好", 90), ("c", "良好", 79), ("d", "良好", 150)])
    assert got == {"a": 8.0, "b": 9.0, "c": 7.0, "d": 10.0}


def test_the_trace_shows_the_arithmetic() -> None:
    run(SHARE, [("a", "良好", 85)])
    text = explain(run.result, "a").children[0].periods[0]["text"]  # type: ignore[attr-defined]
    assert "良好（得分 85）：80% + (85 − 80) ÷ 10 × 10% = 85% × 10分" in text, text
    assert text.endswith("→ 8.5分")


def test_a_line_grade_without_its_score_is_refused_with_its_row() -> None:
    with pytest.raises(DataError) as e:
        run(POINTS, [("a", "良好", None)])
    assert "ratings, row 2, column score: the grade 良好 is computed from the score: give the score" in str(e.value)


@pytest.mark.parametrize(("line", "where"), [
    ("{base: 12, from: 80, step: 10, per: 1}", "grades.良好.base: must be within 0 and 10"),
    ("{base: 8, from: 80, step: 10, per: 1, max: 11}", "grades.良好.max: must be within 0 and 10"),
    ("{base: 8, from: 80, step: 0, per: 1}", "grades.良好.step:"),
    ("{base: 8, from: 80, step: 10, pre: 1}", "grades.良好.pre:"),
])
def test_a_bad_line_is_refused_at_its_place(line: str, where: str) -> None:
    with pytest.raises(SchemeError) as e:
        parse_scheme_text(SCHEME % ("points", "10", line), filename="s.yaml")
    assert f"s.yaml:15: categories.0.indicators.0.rule.{where}" in str(e.value), str(e.value)
