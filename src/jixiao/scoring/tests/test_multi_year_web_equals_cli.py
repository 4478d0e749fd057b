"""Multi-year rules (多年规则) in the web app: the prior years' stored totals given to the engine
(:func:`jixiao.scoring.history.history_frame`) decide the same as the command line given the same
data as files."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.cli import main as cli
from jixiao.collection.services import value_save
from jixiao.engine.score import score
from jixiao.schemes import services as sch
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.dataset import load_dataset
from jixiao.scoring.history import history_frame
from jixiao.scoring.models import Result

pytestmark = pytest.mark.django_db
RULE = """    results:
      multi_year:
        label: 评优资格（近两年均≥30分，或两年总分在前二分之一）
        years: 2
        min_each: 30
        or_top_share: 0.5
      grades:"""


def test_history_and_rule_match_the_cli(cast: Any, scope: Any, tmp_path: Path) -> None:
    from conftest import MINI

    text = MINI.read_text(encoding="utf-8").replace("    results:\n      grades:", RULE)
    assert "multi_year" in text
    years = {}
    for year, gdp in ((2022, {"east": "95", "west": "70"}), (2023, {"east": "90", "west": "80"})):
        text = text.replace("year: 2024", f"year: {year}").replace("year: 2022", f"year: {year}")
        version = sch.scheme_create(actor=None, code=f"mini-my-{year}", name=f"{year}年方案", text=text)
        sch.scheme_version_adopt(actor=None, version=version)
        a = sch.assessment_create(actor=None, code=f"my-{year}", name=f"{year}年度考核", year=year, version=version)
        q1 = a.periods.get(code=f"{year}-Q1")
        for obj in (cast.east_obj, cast.west_obj):
            value_save(actor=cast.office, scope=scope(cast.office), period=q1, obj=obj, indicator="gdp",
                       variable="value", value=Decimal(gdp[obj.code]))
        years[year] = a
    a = years[2023]
    hist = history_frame(a, ["east", "west"])
    stored = {r.object.code: r.total for r in Result.objects.filter(assessment=years[2022])}
    assert sorted(hist.rows()) == sorted((code, "2022", total) for code, total in stored.items())

    catalog = catalog_of(a)
    # The web app's recompute loads that history itself (load_dataset), for the objects it scores.
    loaded = load_dataset(a, catalog, {"town"}).data
    assert sorted(loaded.history.rows()) == sorted(hist.rows())
    data = dataclasses.replace(loaded, history=hist)
    web = {r.object_id: r for r in score(catalog.compiled, data).rows()}

    (tmp_path / "data").mkdir()
    data.values.write_csv(tmp_path / "data" / "values.csv")
    data.objects.write_csv(tmp_path / "data" / "objects.csv")
    hist.write_csv(tmp_path / "data" / "history.csv")
    (tmp_path / "scheme.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out.json"
    assert cli(["score", str(tmp_path / "scheme.yaml"), str(tmp_path / "data"), "--format", "json",
                "--out", str(out)]) == 0
    got = json.loads(out.read_text(encoding="utf-8"))
    rows = got if isinstance(got, list) else got.get("rows", got.get("results"))
    by_code = {r["object_id"] if "object_id" in r else r["object"]: r for r in rows}
    assert set(by_code) == set(web) == {"east", "west"}
    for code, r in web.items():
        assert by_code[code]["multi_year"] == r.multi_year, code
        assert by_code[code]["total"] == pytest.approx(r.total)
    # east ≥ 30 both years (38, 36); west 28 in 2022 but the two-year sum in the top half? No:
    # the top half of two is east alone, so west fails the rule.
    assert web["east"].multi_year is True and web["west"].multi_year is False
