"""The snapshot of a publication, built without a database: components in scheme order with
their points, rows as given, flags in words (veto names from the scheme), grade counts in order
of appearance; plain JSON all through, so storing and reading it back changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from jixiao.schemes.catalog import catalog_for
from jixiao.scoring.snapshot import build, components_of, default_title

MINI = Path(__file__).resolve().parents[2] / "demo" / "schemes" / "mini.yaml"


def _result(code: str, name: str, unit: str, rank: int, total: float | None, grade: str, flags: list[str],
            components: dict[str, float | None]) -> Any:
    obj = SimpleNamespace(code=code, name=name, unit=SimpleNamespace(code=code, name=unit))
    return SimpleNamespace(object=obj, group="town", total=total, rank=rank, group_size=2, grade=grade,
                           eligible_top=not flags, vetoed="veto:aqsg" in flags, flags=flags, components=components)


def test_build() -> None:
    catalog = catalog_for(MINI.read_text(encoding="utf-8"))
    assert [tuple(c) for c in components_of(catalog, "town")] == [
        ("gdp", "地区生产总值", 40, None), ("tax", "税收收入", 30, None), ("ldpg", "领导评估", 30, None),
        ("jianfen", "通报批评", None, None)]
    assert components_of(catalog, "nosuch") == []
    results = [
        _result("west", "西镇", "西镇人民政府", 1, 92.5, "先进", [],
                {"gdp": 40, "tax": 25, "ldpg": 28, "jianfen": -0.5}),
        _result("east", "东镇", "东镇人民政府", 2, 30.0, "不合格", ["veto:aqsg", "missing:ldpg@2024-Q2"],
                {"gdp": 30}),
    ]
    snap = build(catalog=catalog, category="town", assessment={"code": "a", "name": "某县", "year": 2024},
                 results=results, group_names={"town": "乡镇"}, period_names={"2024-Q2": "2024年第二季度"})
    assert json.loads(json.dumps(snap)) == snap
    assert snap["category"] == {"code": "town", "name": "乡镇"}
    assert snap["groups"] == ["town"]
    assert [c["code"] for c in snap["components"]] == ["gdp", "tax", "ldpg", "jianfen"]
    west, east = snap["rows"]
    assert west == {"object": "west", "name": "西镇", "unit": "西镇人民政府", "group": "town", "group_name": "乡镇",
                    "total": 92.5,
                    "rank": 1, "group_size": 2, "grade": "先进", "components": [40, 25, 28, -0.5], "flags": [],
                    "eligible_top": True, "vetoed": False}
    assert east["components"] == [30, None, None, None]
    assert east["flags"] == [["veto", "一票否决：重大安全事故"], ["missing", "无数据按0分：领导评估（2024年第二季度）"]]
    assert east["vetoed"] and not east["eligible_top"]
    assert snap["grades"] == [["先进", 1], ["不合格", 1]]
    unnamed = build(catalog=catalog, category="town", assessment={"code": "a", "name": "某县", "year": 2024},
                    results=results)
    assert unnamed["rows"][0]["group_name"] == "town"  # no names given: the code, as before
    assert default_title("正定县2024年度政府绩效管理评估", "乡镇（承担日常工作）") == (
        "正定县2024年度政府绩效管理评估 乡镇（承担日常工作） 考核结果公示")
