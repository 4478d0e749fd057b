"""On the demo county: the 考核汇总表 and 考核结果兑现表 of the 32 departments agree row by row with
the stored results, the vetoed departments' remarks and coefficients included."""

from __future__ import annotations

import io

import openpyxl
import pytest

from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.flags import flag_label
from jixiao.scoring.models import Result

pytestmark = pytest.mark.django_db


def _sheet(client, url):
    r = client.get(url)
    assert r.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(r.content)).active


def test_bumen_tables_match_the_results(demo, client):
    from django.contrib.auth.models import User

    a = Assessment.objects.get(code="zhengding-2024")
    catalog = catalog_of(a)
    cat = catalog.scheme.category("bumen")
    comps = [n.code for n in cat.indicators]
    bands = {b.name: b for b in cat.results.grades.bands}
    results = list(Result.objects.filter(assessment=a, category="bumen").select_related("object")
                   .order_by("rank", "object__code"))
    assert len(results) == 32
    client.force_login(User.objects.get(username="office"))

    ws = _sheet(client, "/reports/zhengding-2024/summary/bumen.xlsx")
    assert ws["A1"].value == "正定县2024年度政府绩效管理评估考核汇总表"
    ncols = 2 + len(comps) + 4
    assert ws.max_column == ncols
    for i, res in enumerate(results):
        row = [ws.cell(5 + i, c).value for c in range(1, ncols + 1)]
        remarks = "；".join(flag_label(f, catalog, "bumen")[1] for f in res.flags) or None
        assert row == [i + 1, res.object.name, *(res.components[c] for c in comps), res.total, res.rank, res.grade,
                       remarks], res.object.name

    ws = _sheet(client, "/reports/zhengding-2024/rewards/bumen.xlsx")
    assert ws["A2"].value.endswith("兑现基数：在编人员月工资")
    for i, res in enumerate(results):
        assert [ws.cell(5 + i, c).value for c in (2, 5, 6)] == [res.object.name, res.grade,
                                                               bands[res.grade].coefficient]
    forced = [5 + i for i, res in enumerate(results) if "veto:sdbhg" in res.flags]
    assert forced and all(ws.cell(r, 6).value == 0 and ws.cell(r, 8).value.endswith("按“不合格”兑现")
                          for r in forced)
    assert sum(ws.cell(5 + i, 5).value == "先进" for i in range(32)) == sum(r.grade == "先进" for r in results) >= 8
