"""The 考核结果兑现表 XLSX: each row's coefficient and standard equal the scheme's band for the
stored grade; a town vetoed to 不合格 gets that band's coefficient and a remark saying so; the count
per grade at the bottom; the reward basis in the meta line."""

from __future__ import annotations

import io

import openpyxl
import pytest

from jixiao.collection.services import incident_create, incident_decide
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.models import Result

pytestmark = pytest.mark.django_db


def test_coefficients_equal_the_schemes(towns, scope, client):
    office = scope(towns.office)
    inc = incident_create(actor=towns.office, scope=office, period=towns.q2, obj=towns.east_obj, indicator="aqsg",
                          document="安委〔2024〕3号")
    incident_decide(actor=towns.office, scope=office, incident=inc, approve=True)
    bands = {b.name: b for b in catalog_of(towns.assessment).scheme.category("town").results.grades.bands}
    results = list(Result.objects.filter(category="town").select_related("object").order_by("rank", "object__code"))
    assert {r.object.code: r.grade for r in results} == {"east": "不合格", "west": "先进", "north": "合格"}

    client.force_login(towns.office)
    r = client.get("/reports/mini-2024/rewards/town.xlsx")
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "测试县2024年度考核结果兑现表"
    assert ws["A2"].value.endswith("兑现基数：在编人员月工资")
    assert {str(m) for m in ws.merged_cells.ranges} >= {"A3:A4", "B3:B4", "C3:E3", "F3:G3", "H3:H4"}
    assert [ws.cell(4, c).value for c in range(3, 8)] == ["综合得分", "名次", "等次", "兑现系数", "兑现标准"]
    for i, res in enumerate(results):
        row = [ws.cell(5 + i, c).value for c in range(1, 9)]
        band = bands[res.grade]
        assert row[:7] == [i + 1, res.object.name, res.total, res.rank, res.grade, band.coefficient,
                           band.reward or None]
    east = next(5 + i for i, res in enumerate(results) if res.object.code == "east")
    assert ws.cell(east, 6).value == 0 and ws.cell(east, 8).value == "一票否决：重大安全事故，按“不合格”兑现"
    west = next(5 + i for i, res in enumerate(results) if res.object.code == "west")
    assert ws.cell(west, 6).value == 1 and ws.cell(west, 7).value == "奖励在编人员一个月工资"
    # 等次统计 under the table: a title line, its header, a row per band, the total
    start = next(r for r in range(8, ws.max_row + 1) if ws.cell(r, 1).value == "等次统计")
    rows = [[ws.cell(r, c).value for c in (1, 3, 5, 7)] for r in range(start + 1, start + 6)]
    assert rows == [["等次", "单位数", "兑现系数", "兑现标准"], ["先进", 1, 1, "奖励在编人员一个月工资"],
                    ["合格", 1, 0, None], ["不合格", 1, 0, "给予批评"], ["合计", 3, None, None]]
    assert f"A{start + 1}:B{start + 1}" in {str(m) for m in ws.merged_cells.ranges}
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$4"
