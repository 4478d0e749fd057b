"""The Excel imports through the pages: a good workbook imports every row; a workbook with bad
cells or an unknown project code is refused whole, each problem named in Chinese by row and
column, nothing written; the monitoring import turns a project red."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from jixiao.budget.models import Execution, Project

from .world import progressed, project_in

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list[Any]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("导入.xlsx", buf.getvalue())


PROJECT_HEAD = ["年度", "项目编码", "项目名称", "预算单位", "类型", "资金来源", "预算金额", "责任科室", "开始日期",
                "结束日期"]
YEAR_SPAN = ["2025-01-01", "2025-12-31"]
X1 = [2025, "X1", "乡村学校改薄", "东镇", "项目支出", "一般公共预算", "300000", "教育办", *YEAR_SPAN]


def test_project_import_all_or_nothing(cast: Any, client: Any) -> None:
    client.force_login(cast.office)
    bad = xlsx([PROJECT_HEAD, X1,
                [2025, "X2", "卫生院设备", "北镇", "项目支出", "一般公共预算", "abc", "卫健办", *YEAR_SPAN]])
    resp = client.post("/budget/import/projects", {"file": bad})
    text = resp.content.decode()
    assert resp.status_code == 400
    assert "第 3 行“预算金额”列（G3）：不是有效的金额" in text
    assert not Project.objects.exists()
    good = xlsx([PROJECT_HEAD, X1,
                 [2025, "X2", "卫生院设备", "west", "部门整体支出", "上级转移支付", 1250000.5, "卫健办", *YEAR_SPAN]])
    resp = client.post("/budget/import/projects", {"file": good})
    assert resp.status_code == 302
    assert sorted(Project.objects.values_list("code", "amount")) == [("X1", 300000), ("X2", 1250000.5)]
    # Not an .xlsx at all.
    resp = client.post("/budget/import/projects", {"file": SimpleUploadedFile("x.csv", b"a,b")})
    assert resp.status_code == 400 and "请上传 .xlsx 文件" in resp.content.decode()


def test_execution_import_unknown_code_then_red(cast: Any, client: Any) -> None:
    p = project_in(cast, "approved")
    progressed(cast, p, ["5", "60", "3000", "80"])
    client.force_login(cast.office)
    head = ["项目编码", "月份", "累计支付金额"]
    resp = client.post("/budget/import/executions?year=2025",
                       {"file": xlsx([head, ["P001", "2025-06", 100000], ["P999", "2025-06", 5]])})
    assert resp.status_code == 400
    assert "第 3 行“项目编码”列：2025 年没有编码为 P999 的项目" in resp.content.decode()
    resp = client.post("/budget/import/executions?year=2025",
                       {"file": xlsx([head, ["P001", "2025-06", 2000000]])})
    assert "超过项目 P001 的预算" in resp.content.decode()
    assert not Execution.objects.exists()
    resp = client.post("/budget/import/executions?year=2025", {"file": xlsx([head, ["P001", "2025-09", 150000]])})
    assert resp.status_code == 302
    board = client.get("/budget/monitoring/?year=2025&at=2025-09").content.decode()
    assert 'data-code="P001"' in board and 'data-light="red"' in board
    assert "东镇农村公路提质改造" in client.get("/budget/cockpit/?year=2025&at=2025-09").content.decode()
