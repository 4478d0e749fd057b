"""The 考核汇总表 XLSX of a category, reopened with openpyxl and checked cell by cell against the
stored results: merged title and meta, the two-level header, each row, tied ranks, the A4 print
set-up; and the whole assessment's workbook with a sheet per category."""

from __future__ import annotations

import io

import openpyxl
import pytest

from jixiao.scoring.models import Result

pytestmark = pytest.mark.django_db


def _book(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.content[:300]
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    return r, openpyxl.load_workbook(io.BytesIO(r.content))


def test_category_sheet_cell_by_cell(towns, client):
    client.force_login(towns.office)
    r, wb = _book(client, "/reports/mini-2024/summary/town.xlsx")
    # 测试县2024年度考核 + 考核汇总表, with the category: a Chinese file name
    assert "filename*=UTF-8''" + "%E6%B5%8B%E8%AF%95%E5%8E%BF" in r["Content-Disposition"]  # 测试县
    assert r["Content-Disposition"].endswith(".xlsx") and 'filename="mini-2024-summary-town.xlsx"' in \
        r["Content-Disposition"]
    assert wb.sheetnames == ["乡镇"]
    ws = wb["乡镇"]
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:J1", "A2:J2", "A3:A4", "B3:B4", "C3:F3", "G3:I3", "J3:J4"} <= merged
    assert ws["A1"].value == "测试县2024年度考核汇总表"
    assert ws["A1"].font.name == "黑体" and ws["A1"].font.bold and ws["A1"].alignment.horizontal == "center"
    assert ws["A2"].value.startswith("考核：测试县2024年度考核    类别：乡镇    计算时间：2")
    assert [ws.cell(3, c).value for c in (1, 2, 3, 7)] == ["序号", "单位", "各项得分", "综合评定"]
    assert [ws.cell(4, c).value for c in range(3, 10)] == [
        "地区生产总值（40分）", "税收收入（30分）", "领导评估（30分）", "通报批评", "综合得分", "名次", "等次"]
    assert ws["J3"].value == "备注" and ws.max_column == 10
    results = list(Result.objects.filter(assessment=towns.assessment, category="town")
                   .select_related("object").order_by("rank", "object__code"))
    assert [x.rank for x in results] == [1, 1, 3]  # 东镇 and 西镇 tie
    for i, res in enumerate(results):
        row = [ws.cell(5 + i, c).value for c in range(1, 11)]
        c = res.components
        assert row == [i + 1, res.object.name, c["gdp"], c["tax"], c["ldpg"], c["jianfen"], res.total, res.rank,
                       res.grade, None]
        assert ws.cell(5 + i, 7).number_format == "0.00" and ws.cell(5 + i, 2).font.name == "宋体"
    assert [ws.cell(r, 8).value for r in (5, 6, 7)] == [1, 1, 3]
    assert ws["A5"].border.left.style == "thin" and ws["J7"].border.bottom.style == "thin"
    assert ws["A8"].value.startswith("说明：名次相同的为并列")
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"  # 9 = A4
    assert ws.print_title_rows == "$3:$4"
    assert ws.freeze_panes == "C5"


def test_whole_assessment_has_a_sheet_per_category(people, client):
    client.force_login(people.cast.office)
    _r, wb = _book(client, "/reports/people-2024/summary.xlsx")
    assert wb.sheetnames == ["机关干部"]
    ws = wb.active
    assert [ws.cell(4, c).value for c in (2, 3)] == [None, None]  # 姓名, 所在单位 span both header rows
    assert [ws.cell(3, c).value for c in (1, 2, 3)] == ["序号", "姓名", "所在单位"]
    assert [ws.cell(r, 2).value for r in (5, 6, 7)] == ["王东", "李东", "赵西"]
    assert [ws.cell(r, 3).value for r in (5, 6, 7)] == ["东镇", "东镇", "西镇"]
