"""The 个人得分记分手册 XLSX: a block per person with a page break between them, and each period's
component scores equal to the engine's per-period scores (a period without a score for a person
has no row; a part without data that period is blank), the period totals and ranks and the year's
row equal to the stored result."""

from __future__ import annotations

import io
import math

import openpyxl
import pytest

from jixiao.scoring.models import Result
from jixiao.scoring.services import score_assessment

pytestmark = pytest.mark.django_db


def _engine(assessment):
    """{person code: {period: {component: score or None}}} straight from the engine."""
    result, _ids, _ = score_assessment(assessment, {"ganbu"})
    cs = result.category("ganbu")
    out = {}
    for code in ("p1", "p2", "p3"):
        local = cs.local(result.objects, code)
        out[code] = {p: {cs.cc.nodes[i].code: (None if math.isnan(v := float(cs.scores.periods[i][pi, local]))
                                                else v) for i in cs.cc.root.children}
                     for pi, p in enumerate(result.scheme.periods)}
    return out


def test_period_by_period_equals_the_engine(people, client):
    engine = _engine(people.assessment)
    assert engine["p3"]["2024-Q3"] == {"shiji": 35.0, "pingyi": None}  # only 实绩 reported that quarter
    names = {p.code: p.name for p in people.assessment.periods.all()}
    client.force_login(people.cast.office)
    r = client.get("/reports/people-2024/handbook/ganbu.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["机关干部"]
    ws = wb.active
    assert ws["A1"].value == "测试县2024年度干部考核个人得分记分手册"
    assert ws.print_title_rows == "$1:$2" and ws.page_setup.orientation == "portrait"
    headings = [r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("姓名：")]
    assert len(headings) == 3
    # A manual page break after each person but the last, just before the next one's heading.
    assert [b.id for b in ws.row_breaks.brk] == [h - 1 for h in headings[1:]]
    results = {x.object.code: x for x in Result.objects.filter(category="ganbu").select_related("object")}
    for head, code in zip(headings, ("p1", "p2", "p3"), strict=True):
        res = results[code]
        assert ws.cell(head, 1).value == (f"姓名：{res.object.name}    所在单位：{'西镇' if code == 'p3' else '东镇'}"
                                          f"    类别：机关干部    参加排名3人")
        assert f"A{head}:F{head}" in {str(m) for m in ws.merged_cells.ranges}
        assert [ws.cell(head + 1, c).value for c in (1, 2, 4)] == ["考核期", "各项得分", "合计"]
        assert [ws.cell(head + 2, c).value for c in range(2, 7)] == [
            "工作实绩（70分）", "民主评议（30分）", "得分", "名次", "等次"]
        row = head + 3
        for period, stored in res.periods.items():
            comps = engine[code][period]
            assert [ws.cell(row, c).value for c in range(1, 7)] == [
                names[period], comps["shiji"], comps["pingyi"], stored["total"], stored["rank"], None]
            row += 1
        assert [ws.cell(row, c).value for c in range(1, 7)] == [
            "全年综合", res.components["shiji"], res.components["pingyi"], res.total, res.rank, res.grade]
        assert ws.cell(row, 1).font.bold
    assert [ws.cell(r, 1).value for r in range(headings[2] + 3, headings[2] + 7)] == [
        "2024年第一季度", "2024年第二季度", "2024年第三季度", "全年综合"]
    assert [ws.cell(r, 1).value for r in range(headings[0] + 3, headings[0] + 6)] == [
        "2024年第一季度", "2024年第二季度", "全年综合"]  # no Q3 row: nothing reported for 王东
