"""Progress against the schedule, by example: a mid-year/year-end 50/50 roll-up, a monthly
indicator in a scheme that also lists quarters, a group that adds its children, bonuses accruing,
a unit that has not reported, and the explanation in words."""

from __future__ import annotations

import numpy as np
import polars as pl

from jixiao.engine.data import DataSet
from jixiao.engine.progress import GREEN, LIGHTS, MISSING, NOT_DUE, RED, YELLOW, explain, progress
from jixiao.engine.scheme.loader import validate_scheme_data
from jixiao.engine.score import score

PERIODS = ["2024-01", "2024-02", "2024-03", "2024-Q1", "2024-mid", "2024-end"]
KINDS = ["month", "month", "month", "quarter", "half", "year"]

SCHEME = {
    "code": "t", "name": "t", "scale": 100, "rounding": {"decimals": 2},
    "periods": {"codes": PERIODS, "rollup": "mean"},
    "categories": [{
        "code": "town", "name": "乡镇", "indicators": [
            {"code": "zb", "name": "指标评估", "points": 60, "periods": {"mode": "weighted",
                                                                  "weights": {"2024-mid": 50, "2024-end": 50}},
             "children": [
                 {"code": "gdp", "name": "地区生产总值", "points": 40, "rule": {"method": "ratio", "target": 100}},
                 {"code": "tax", "name": "税收", "points": 20, "rule": {"method": "ratio", "target": 50}}]},
            {"code": "yd", "name": "月度工作", "points": 40, "children": [
                {"code": "rw", "name": "月度任务", "points": 40, "frequency": "month",
                 "rule": {"method": "ratio", "target": 10}}]},
            {"code": "jf", "name": "加分", "rule": {"method": "bonus", "cap": 4,
                                                  "items": [{"code": "bz", "name": "表彰", "per": 1}]}},
        ]}],
}


def _values(rows: list[tuple[str, str, str, float]]) -> pl.DataFrame:
    return pl.DataFrame([{"object": o, "indicator": i, "variable": "value", "period": p, "value": v}
                         for o, i, p, v in rows],
                        schema={"object": pl.String, "indicator": pl.String, "variable": pl.String,
                                "period": pl.String, "value": pl.Float64})


def _scored():  # type: ignore[no-untyped-def]
    scheme = validate_scheme_data(SCHEME, filename="t.yaml")
    values = _values([
        ("a", "gdp", "2024-mid", 80), ("a", "tax", "2024-mid", 50),   # a: 32 + 20 = 52 of 60 at mid-year
        ("b", "gdp", "2024-mid", 100), ("b", "tax", "2024-mid", 50),  # b: full marks at mid-year
        ("a", "rw", "2024-01", 10), ("a", "rw", "2024-02", 10), ("a", "rw", "2024-03", 5),
        ("b", "rw", "2024-01", 10), ("b", "rw", "2024-02", 10), ("b", "rw", "2024-03", 10),
        ("a", "gdp", "2024-end", 100), ("a", "tax", "2024-end", 50),
        ("b", "gdp", "2024-end", 100), ("b", "tax", "2024-end", 50),
    ])
    incidents = pl.DataFrame([{"object": "b", "indicator": "jf", "item": "bz", "period": "2024-02", "count": 2.0,
                               "level": None, "amount": None, "evidence": "文件", "note": None}],
                             schema={"object": pl.String, "indicator": pl.String, "item": pl.String,
                                     "period": pl.String, "count": pl.Float64, "level": pl.String,
                                     "amount": pl.Float64, "evidence": pl.String, "note": pl.String})
    objects = pl.DataFrame({"object": ["a", "b", "c"], "name": ["甲", "乙", "丙"], "group": ["town"] * 3,
                            "parent": [None] * 3},
                           schema={"object": pl.String, "name": pl.String, "group": pl.String, "parent": pl.String})
    empty = pl.DataFrame(schema={"object": pl.String, "indicator": pl.String, "period": pl.String,
                                 "rater": pl.String, "rating": pl.String, "count": pl.Float64, "score": pl.Float64})
    return score(scheme, DataSet(values=values, incidents=incidents, ratings=empty, objects=objects,
                                 has_objects=True))


def _at(result, last: str):  # type: ignore[no-untyped-def]
    elapsed = np.array([PERIODS.index(p) <= PERIODS.index(last) for p in PERIODS])
    return progress(result, "town", KINDS, elapsed)


def test_mid_year_of_a_fifty_fifty_rollup_is_half_the_year() -> None:
    p = _at(_scored(), "2024-mid")
    zb = p.node("zb")
    assert zb.expected == 0.5
    # a earned 52 of 60 at mid-year: half of that counts toward the year.
    assert list(zb.secured) == [26.0, 30.0, 0.0]
    assert round(float(zb.completion[0]), 4) == round(26 / 60, 4)
    # 43.3% against 50%: below 90% of the schedule (45%), so red.
    assert [LIGHTS[x] for x in zb.light] == ["red", "green", "missing"]
    # The leaves under the roll-up follow its schedule.
    assert p.node("gdp").expected == 0.5 and float(p.node("gdp").secured[0]) == 16.0


def test_a_monthly_indicator_counts_its_months_only() -> None:
    p = _at(_scored(), "2024-02")
    rw = p.node("rw")
    assert rw.schedule is not None
    np.testing.assert_allclose(rw.schedule, [1 / 3, 1 / 3, 1 / 3, 0, 0, 0])
    assert abs(rw.expected - 2 / 3) < 1e-9
    assert list(rw.secured) == [26.67, 26.67, 0.0]
    # Before mid-year the 50/50 part has nothing due: not yet a light.
    assert p.node("zb").light[0] == NOT_DUE


def test_a_group_adds_its_children_and_bonuses_accrue() -> None:
    p = _at(_scored(), "2024-03")
    root = p.root
    # root = 指标评估 (nothing due yet) + 月度工作 (a: 10+10+5 of 30 → 33.33) + 加分 (b: 2 in February)
    assert list(p.node("yd").secured) == [33.33, 40.0, 0.0]
    assert list(root.secured) == [33.33, 42.0, 0.0]
    # The root's schedule is the points-weighted mean of its parts: 60 × 0 + 40 × 1 over 100.
    assert abs(root.expected - 0.4) < 1e-9
    assert [LIGHTS[x] for x in root.light] == ["red", "green", "missing"]
    assert list(p.rank) == [2, 1, 3]


def test_at_the_end_progress_is_the_final_score() -> None:
    result = _scored()
    p = _at(result, "2024-end")
    cs = result.category("town")
    assert list(p.root.secured) == list(np.nan_to_num(cs.results.total, nan=0.0))
    assert abs(p.root.expected - 1.0) < 1e-9
    assert p.root.light[2] == MISSING
    assert {int(x) for x in p.root.light[:2]} <= {GREEN, YELLOW, RED}


def test_the_explanation_shows_the_arithmetic() -> None:
    p = _at(_scored(), "2024-mid")
    text = explain(p, p.node("zb"), 0)
    assert text == "已得 26 分（2024-mid 52 × 50%），全年 60 分，完成进度 43.33%，时序进度 50%"
    assert "2024-mid 未报" in explain(p, p.node("zb"), 2)
    assert explain(p, p.root, 0).startswith("已得 ")
