"""A project's performance evaluation (绩效评价) scored by the engine. Pure: no database.

The scoring scheme (评分方案) is built in memory for each project, since each project has its own
indicator table: one category worth the scheme's points, four parts —

- 预算执行率 (default 10): the engine's ratio rule, ``value`` = paid, ``target`` = budget;
- 产出指标 (50), 效益指标 (30), 满意度指标 (10): a weighted group whose children are the
  project's indicators of that kind with equal weights, each scored on 100 by the ratio rule
  against its own target (lower-is-better indicators inverted), mixed into the part's points.

A part without indicators (a table with no 满意度 indicator) scores nothing: its points are lost.
The data set holds one object (the project) and one period (``Y``). The engine rounds to two
places; its total is the evaluation score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from jixiao.engine.data import DataSet
from jixiao.engine.scheme.loader import validate_scheme_data
from jixiao.engine.scheme.model import Scheme
from jixiao.engine.score import score

PERIOD = "Y"
OBJECT = "P"
PARTS = ("execution", "output", "effect", "satisfaction")
PART_NAMES = {"execution": "预算执行率", "output": "产出指标", "effect": "效益指标", "satisfaction": "满意度指标"}


@dataclass(frozen=True)
class Weights:
    """The scoring scheme's points per part (default 10 / 50 / 30 / 10, editable)."""

    execution: Decimal = Decimal(10)
    output: Decimal = Decimal(50)
    effect: Decimal = Decimal(30)
    satisfaction: Decimal = Decimal(10)

    def of(self, part: str) -> Decimal:
        return Decimal(getattr(self, part))


@dataclass(frozen=True)
class IndicatorFact:
    """One indicator of the table with its actual value (None: not reported, scores 0)."""

    part: str  # output / effect / satisfaction
    target: Decimal
    actual: Decimal | None
    lower_is_better: bool = False


@dataclass(frozen=True)
class Scored:
    total: Decimal
    parts: dict[str, Decimal]


def scheme_for(indicators: Sequence[IndicatorFact], weights: Weights) -> Scheme:
    """The in-memory scoring scheme of one project's indicator table."""
    nodes: list[dict[str, Any]] = []
    if weights.execution > 0:
        nodes.append({"code": "execution", "name": PART_NAMES["execution"], "points": float(weights.execution),
                      "rule": {"method": "ratio"}})
    for part in PARTS[1:]:
        mine = [(k, f) for k, f in enumerate(indicators) if f.part == part]
        pts = weights.of(part)
        if not mine or pts <= 0:
            continue
        kids = [{"code": f"i{k}", "name": f"指标{k}", "points": 100.0, "weight": 1.0,
                 "rule": {"method": "ratio", "lower_is_better": f.lower_is_better}} for k, f in mine]
        nodes.append({"code": part, "name": PART_NAMES[part], "points": float(pts), "weight_total": float(len(mine)),
                      "children": kids})
    total = sum(float(n["points"]) for n in nodes)
    data = {"code": "budget-eval", "name": "绩效评价评分方案", "rounding": {"decimals": 2},
            "periods": {"codes": [PERIOD]},
            "categories": [{"code": "project", "name": "项目", "points": total or 1.0, "indicators": nodes}]}
    return validate_scheme_data(data, filename="<budget-eval>")


def dataset_for(indicators: Sequence[IndicatorFact], *, budget: Decimal, paid: Decimal) -> DataSet:
    rows: list[tuple[str, str, float]] = [("execution", "value", float(paid)),
                                          ("execution", "target", float(budget))]
    for k, f in enumerate(indicators):
        rows.append((f"i{k}", "target", float(f.target)))
        rows.append((f"i{k}", "value", float(f.actual) if f.actual is not None else 0.0))
    values = pl.DataFrame({"object": [OBJECT] * len(rows), "indicator": [r[0] for r in rows],
                           "variable": [r[1] for r in rows], "period": [PERIOD] * len(rows),
                           "value": [r[2] for r in rows]})
    objects = pl.DataFrame({"object": [OBJECT], "name": ["项目"], "group": ["project"], "parent": [None]},
                           schema={"object": pl.String, "name": pl.String, "group": pl.String, "parent": pl.String})
    return DataSet(values=values, objects=objects, has_objects=True)


def evaluate(indicators: Sequence[IndicatorFact], *, budget: Decimal, paid: Decimal, weights: Weights) -> Scored:
    """The engine's score of one project: its total and each part's points (two places)."""
    result = score(scheme_for(indicators, weights), dataset_for(indicators, budget=budget, paid=paid))
    row = result.rows()[0]
    parts = {p: Decimal(str(row.components.get(p) or 0)).quantize(Decimal("0.01")) for p in PARTS}
    return Scored(total=Decimal(str(row.total or 0)).quantize(Decimal("0.01")), parts=parts)
