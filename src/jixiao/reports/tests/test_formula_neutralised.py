"""Names a spreadsheet would run as formulas (a unit called ``=HYPERLINK(...)``, a person called
``@SUM(1)``) land in every table's cells as text with a leading apostrophe."""

from __future__ import annotations

import io

import openpyxl
import pytest

from jixiao.org.models import AssessedObject, Unit

pytestmark = pytest.mark.django_db
EVIL_UNIT = '=HYPERLINK("http://x","点我")'
EVIL_PERSON = "@SUM(1)"


def _cells(client, url):
    r = client.get(url)
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_formula_text_is_neutralised(people, client):
    # Renamed in place (as an admin could): the names come from the org tables, not the results.
    Unit.objects.filter(code="east").update(name=EVIL_UNIT)
    AssessedObject.objects.filter(code="p1").update(name=EVIL_PERSON)
    AssessedObject.objects.filter(code="p2").update(name="-1+1")
    client.force_login(people.cast.office)
    for url in ("/reports/people-2024/summary.xlsx", "/reports/people-2024/rewards/ganbu.xlsx",
                "/reports/people-2024/handbook.xlsx"):
        cells = _cells(client, url)
        assert not [v for v in cells if v.startswith(("=", "+", "-", "@"))], url
        assert "'" + EVIL_UNIT in cells or any(("所在单位：" + EVIL_UNIT) in v for v in cells), url
        if "handbook" in url:
            assert any(v.startswith("姓名：@SUM(1)") for v in cells)  # inside a heading: harmless as it stands
        else:
            assert "'" + EVIL_PERSON in cells and "'-1+1" in cells, url
