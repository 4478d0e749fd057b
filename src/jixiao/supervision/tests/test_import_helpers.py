"""Helpers for the matters import tests: real .xlsx files written with openpyxl, and the upload
through the test client. (Its one test checks the helper itself writes what the reader expects.)"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

URL = "/supervision/import/"
TEMPLATE_URL = "/supervision/import/template.xlsx"
HEADERS = ["类别", "事项名称*", "事项内容/问题描述", "来源", "来源文号", "重要程度", "紧急程度", "责任领导",
           "主办单位*", "协办单位", "联络员", "联系电话", "报送资料", "整改措施", "办结时限*", "阶段节点", "预警天数",
           "立即交办"]


def workbook(rows: Sequence[dict[str, Any]], headers: Sequence[str] | None = None, sheet: str = "事项") -> bytes:
    """A workbook with a header row and one row per dict (keys are headers without the *)."""
    heads = list(headers or HEADERS)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(heads)
    for row in rows:
        ws.append([row.get(h, row.get(h.rstrip("*"))) for h in heads])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def fill(template: bytes, rows: Sequence[dict[str, Any]]) -> bytes:
    """The downloaded template with ``rows`` written under its headers (as a clerk would)."""
    wb = load_workbook(io.BytesIO(template))
    ws = wb["事项"]
    where = {str(c.value).rstrip("*"): c.column for c in ws[1] if c.value}
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            ws.cell(r, where[header], value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def post(client: Any, data: bytes, name: str = "事项导入.xlsx", assign: str = "") -> Any:
    return client.post(URL, {"file": SimpleUploadedFile(name, data), "assign": assign})


def good_row(**kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"事项名称": "整治背街小巷", "主办单位": "east", "办结时限": dt.date(2026, 4, 30)}
    row.update(kw)
    return row


def test_helper_writes_the_headers_the_reader_knows() -> None:
    from jixiao.supervision.importing.columns import COLUMNS
    from jixiao.supervision.importing.template import header_text

    assert [header_text(c) for c in COLUMNS] == HEADERS
    wb = load_workbook(io.BytesIO(workbook([good_row()])), read_only=True)
    assert [c.value for c in next(wb["事项"].iter_rows(max_row=1))][:2] == ["类别", "事项名称*"]
