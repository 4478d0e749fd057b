"""Formula injection (item 27): names starting with = + - @, a tab or a carriage return land in the
official tables' XLSX cells as text behind an apostrophe — never as a formula."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from jixiao.org.models import AssessedObject, Unit

pytestmark = pytest.mark.django_db
EVIL = {"p1": "=cmd|' /C calc'!A0", "p2": "+1+1", "p3": "\t=1+2"}


def test_item_27_every_trigger_is_neutralised_in_the_exports(people: Any, client: Any) -> None:
    Unit.objects.filter(code="west").update(name="\r=HYPERLINK(\"http://x\")")
    for code, name in EVIL.items():
        AssessedObject.objects.filter(code=code).update(name=name)
    client.force_login(people.cast.office)
    for url in ("/reports/people-2024/summary.xlsx", "/reports/people-2024/rewards/ganbu.xlsx"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        book = openpyxl.load_workbook(io.BytesIO(resp.content))
        cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert not [c.value for c in cells if c.value.startswith(("=", "+", "-", "@", "\t", "\r"))], url
        assert not [c for c in cells if c.data_type == "f"], url  # no formula cell at all
        texts = {c.value for c in cells}
        for name in EVIL.values():
            assert "'" + name in texts, (url, name)
