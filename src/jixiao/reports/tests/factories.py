"""Scheme categories and entries for the DB-free table tests."""

from __future__ import annotations

from typing import Any

import yaml

from jixiao.engine.scheme.model import Category
from jixiao.reports.tables import Context, Entry

TOWNS = """
code: town
name: 乡镇
indicators:
  - {code: zbpg, name: 指标评估, points: 90, rule: {method: manual}}
  - {code: ldpg, name: 领导评估, points: 10, rule: {method: manual}}
  - code: jianfen
    name: 减分
    rule: {method: deduction, base: zero, items: [{code: tb, per: 1}]}
results:
  ranking: category
  grades:
    reward_basis: 在编人员月工资
    bands:
      - {name: 先进, min: 90, coefficient: 1, reward: 奖励在编人员一个月工资}
      - {name: 合格, min: 60, coefficient: 0}
      - {name: 不合格, coefficient: 0, reward: 给予批评}
  vetoes:
    - {code: aqsg, name: 重大安全事故, effect: force_grade, grade: 不合格}
    - {code: tdsg, name: 特大事故, effect: no_top}
"""


def category(text: str = TOWNS, **results: Any) -> Category:
    data = yaml.safe_load(text)
    data["results"].update(results)
    return Category.model_validate(data)


def context(cat: Category | None = None, *, person: bool = False, name: str = "乡镇") -> Context:
    return Context(assessment="测试县2024年度考核", category=cat or category(), category_name=name, person=person,
                   results_at="2024年12月31日 18:00")


def entry(name: str, total: float | None, rank: int, grade: str = "合格", **kw: Any) -> Entry:
    return Entry(**{"name": name, "unit": kw.pop("unit", name), "group": "town", "total": total, "rank": rank,
                    "group_size": 3, "grade": grade, **kw})
