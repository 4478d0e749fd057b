"""The XLSX of a bulletin, reopened with openpyxl: merged title, two-level headers, a unit row, the
overdue list, neutralised formula text, and the print set-up an office expects."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from jixiao.supervision.services.bulletins import bulletin_create
from jixiao.supervision.tests.conftest import assigned, make_input

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def book(sv, client):
    c = sv.cast
    # A title a spreadsheet would run as a formula, on a matter that falls overdue.
    evil = assigned(c, make_input(c, title="=HYPERLINK(\"http://x\",\"点我\")", lead=c.east, deadline=D(2026, 3, 3)))
    assigned(c, make_input(c, title="整改河道垃圾", lead=c.west, deadline=D(2026, 3, 20), kind="rectification",
                           source="audit", measures="清运并建立巡查制度"))
    sv.travel(D(2026, 3, 6))
    b = bulletin_create(actor=c.office, scope=sv.scope(c.office), date_from=D(2026, 3, 1), date_to=D(2026, 3, 6),
                        title="-督办通报 第1期")
    client.force_login(c.office)
    r = client.get(f"/supervision/bulletins/{b.pk}/bulletin.xlsx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in r["Content-Disposition"] and "%E7%9D%A3" in r["Content-Disposition"]  # 督
    return openpyxl.load_workbook(io.BytesIO(r.content)), b, evil


def test_summary_sheet(book):
    wb, b, _evil = book
    assert wb.sheetnames == ["单位汇总", "逾期事项", "未反馈单位", "整改事项"]
    ws = wb["单位汇总"]
    ncols = 13
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:M1" in merged and "A2:M2" in merged  # title and its line of number and window
    assert ws["A1"].value == "'-督办通报 第1期"  # user text starting with "-" is neutralised
    assert ws["A1"].font.bold and ws["A1"].alignment.horizontal == "center"
    assert ws["A2"].value == f"期号：{b.number}    统计时段：2026年03月01日至2026年03月06日    范围：督办事项和整改事项"
    # Two header rows: single headers span both; the groups sit over their parts.
    assert {"A3:A4", "B3:B4", "C3:C4", "D3:H3", "I3:K3", "L3:L4", "M3:M4"} <= merged
    assert [ws.cell(3, i).value for i in (1, 2, 3, 4, 9, 12, 13)] == [
        "序号", "单位", "事项总数", "办理状态", "灯色", "逾期事项", "本期是否反馈"]
    assert [ws.cell(4, i).value for i in range(4, 12)] == [
        "未签收", "办理中", "待核查", "已退回", "已办结", "红灯", "黄灯", "绿灯"]
    # 东镇: the green renovation task and the overdue formula-titled one, both unsigned.
    assert [ws.cell(5, i).value for i in range(1, ncols + 1)] == [1, "东镇", 2, 2, 0, 0, 0, 0, 1, 0, 1, 1, "否"]
    assert ws.cell(5, 9).fill.fgColor.rgb == "FFF8CBAD"  # red count highlighted (and labelled by its header)
    assert [ws.cell(6, i).value for i in range(1, ncols + 1)] == [2, "西镇", 2, 2, 0, 0, 0, 0, 1, 0, 1, 1, "否"]
    total = [ws.cell(7, i).value for i in range(1, ncols + 1)]
    assert total == [None, "合计", 4, 4, 0, 0, 0, 0, 2, 0, 2, 2, "0/2个单位"]
    assert ws["B7"].font.bold
    assert ws["A5"].border.left.style == "thin" and ws["M7"].border.bottom.style == "thin"
    assert ws.freeze_panes == "C5"
    assert ws.column_dimensions["B"].width >= 20


def test_print_setup(book):
    wb, _b, _evil = book
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert wb["单位汇总"].print_title_rows == "$3:$4"
    assert wb["逾期事项"].print_title_rows == "$3:$3"


def test_overdue_and_not_fed_back_sheets(book):
    wb, _b, evil = book
    ws = wb["逾期事项"]
    assert ws["A1"].value == "'-督办通报 第1期 逾期事项清单"
    assert [c.value for c in ws[3]] == ["序号", "编号", "事项名称", "类别", "主办单位", "责任领导", "办结时限",
                                        "逾期天数", "退回次数", "催办次数"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    first, second = rows
    # No leader: a blank cell.
    assert first[:6] == [1, evil.number, "'=HYPERLINK(\"http://x\",\"点我\")", "督办", "东镇", None]
    assert ws.cell(4, 3).data_type == "s"  # text, not a formula
    assert first[6].date() == D(2026, 3, 3) and first[7:] == [3, 0, 0]
    assert second[2] == "整治道路扬尘" and second[7] == 2
    ws = wb["未反馈单位"]
    assert [[c.value for c in r] for r in ws.iter_rows(min_row=3)] == [
        ["序号", "单位", "在办事项", "最近反馈日期"], [1, "东镇", 2, "从未反馈"], [2, "西镇", 2, "从未反馈"]]
    ws = wb["整改事项"]
    assert [c.value for c in ws[3]] == ["序号", "责任单位", "编号", "问题", "来源", "整改措施", "状态", "灯色",
                                        "整改时限", "逾期天数"]
    row = [c.value for c in ws[4]]
    assert row[:8] == [1, "西镇", row[2], "整改河道垃圾", "审计发现", "清运并建立巡查制度", "已交办", "绿灯"]
    assert row[2].startswith("ZG-2026-") and row[8].date() == D(2026, 3, 20) and row[9] == 0
