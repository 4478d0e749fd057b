"""The XLSX of a publication, reopened with openpyxl: the title and its line of number and times,
the headers with points, every row cell by cell from the snapshot (not the live results), text
that a spreadsheet would run as a formula neutralised, and the print set-up."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.utils import timezone

from jixiao.org import services as org
from jixiao.org.models import Category, Unit
from jixiao.scoring.models import Publication
from jixiao.scoring.services import publication_create, publication_withdraw

from .approving import make_publishable, reopen_periods
from .conftest import enter

pytestmark = pytest.mark.django_db


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def book(cast: Any, scope: Any, client: Any) -> tuple[Any, Publication]:
    # A town whose name a spreadsheet would read as a formula.
    unit = org.unit_create(actor=None, code="north", name="+北镇", kind=Unit.Kind.TOWN, parent=cast.county)
    north = org.object_create(actor=None, code="north", name="=北镇", category=Category.objects.get(code="town"),
                              unit=unit)
    enter(cast, scope, cast.west_obj, "90")
    enter(cast, scope, cast.east_obj, "60")
    enter(cast, scope, north, "50")
    enter(cast, scope, cast.east_obj, "400", indicator="tax")
    make_publishable(cast, scope)
    pub = publication_create(actor=cast.office, scope=scope(cast.office), assessment=cast.assessment,
                             category="town", note="公示期5个工作日")
    publication_withdraw(actor=cast.office, scope=scope(cast.office), publication=pub, reason="-数据有误")
    pub.refresh_from_db()
    reopen_periods(cast)
    enter(cast, scope, north, "100")  # after publishing: must not show in the file
    client.force_login(cast.stats)
    resp = client.get(f"/results/published/{pub.token}/result.xlsx")
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = resp["Content-Disposition"]
    assert f'filename="publication-{pub.token}.xlsx"' in disposition
    assert "filename*=UTF-8''" in disposition and "%E5%85%AC%E7%A4%BA" in disposition  # 公示
    return openpyxl.load_workbook(io.BytesIO(resp.content)), pub


def test_cells(book: tuple[Any, Publication]) -> None:
    wb, pub = book
    assert wb.sheetnames == ["考核结果公示"]
    ws = wb.active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:J1", "A2:J2", "A7:J7"} <= merged
    assert ws["A1"].value == "测试县2024年度考核 乡镇 考核结果公示" and ws["A1"].font.bold
    assert ws["A2"].value == (f"第1次公示    发布时间：{_when(pub.published_at)}"
                              f"    结果计算时间：{_when(pub.results_at)}"
                              f"    已撤回（{_when(pub.withdrawn_at)}）：-数据有误")
    assert [c.value for c in ws[3]] == ["名次", "考核对象", "所属单位", "地区生产总值（40分）", "税收收入（30分）",
                                        "领导评估（30分）", "通报批评", "综合得分", "等次", "标记"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=6)]
    assert rows == [
        # East: gdp 60/100 × 40 = 24, tax 400/500 × 30 = 24.
        [1, "东镇", "东镇", 24, 24, None, 0, 48, "不合格", "无数据按0分：领导评估"],
        [2, "西镇", "西镇", 36, None, None, 0, 36, "不合格", "无数据按0分：领导评估；无数据按0分：税收收入"],
        [3, "'=北镇", "'+北镇", 20, None, None, 0, 20, "不合格", "无数据按0分：领导评估；无数据按0分：税收收入"],
    ]
    assert ws.cell(6, 2).data_type == "s"  # text, not a formula
    assert ws["H4"].number_format == "0.00" and ws["D4"].number_format == "0.00"
    assert ws["A7"].value == "说明：公示期5个工作日"
    assert ws["A3"].border.left.style == "thin" and ws["J6"].border.bottom.style == "thin"
    assert ws["A7"].border.left.style is None  # the note is under the table, not in it
    assert ws.freeze_panes == "C4"


def test_print_setup(book: tuple[Any, Publication]) -> None:
    ws = book[0].active
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$3:$3"
