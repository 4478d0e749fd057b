"""A chart's XLSX is its data table: reopened cell by cell it holds the title, the header and the
same rows as the page, laid out for A4, with text that would start a formula neutralised."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.dashboard.tests.conftest import COCKPIT
from jixiao.dashboard.tests.helpers import specs
from jixiao.org.models import AssessedObject

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", ["progress", "ranking", "grades", "trend"])
def test_xlsx_reopens_to_the_chart_rows(filled: Any, client: Any, key: str) -> None:
    client.force_login(filled.office)
    spec = specs(client.get(COCKPIT).content.decode())[key]
    r = client.get(COCKPIT + f"?asof=2024-12-31&export={key}")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "filename*=UTF-8''" in r["Content-Disposition"] and r["Content-Disposition"].endswith(".xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == f"领导驾驶舱 · {spec['title']}"
    last = chr(ord("A") + len(spec["columns"]) - 1)
    assert {str(m) for m in ws.merged_cells.ranges} == {f"A1:{last}1", f"A2:{last}2"}
    assert "截至 2024年12月31日" in ws["A2"].value
    assert [c.value for c in ws[3]] == spec["columns"]
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert body == spec["rows"]
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4  # "9": A4
    assert ws.print_title_rows == "$3:$3"


def test_formula_text_is_neutralised(filled: Any, client: Any) -> None:
    # Written past the services on purpose: names came in from older systems before any check.
    AssessedObject.objects.filter(code="west").update(name="=HYPERLINK(\"http://x\",\"点我\")")
    client.force_login(filled.office)
    r = client.get(COCKPIT + "?export=ranking")
    ws = load_workbook(io.BytesIO(r.content)).active
    names = [row[1].value for row in ws.iter_rows(min_row=4)]
    assert "'=HYPERLINK(\"http://x\",\"点我\")" in names
    assert all(not str(n).startswith("=") for n in names)
