"""The reports page lists the assessments a page at a time (they pile up year after year), and a
table nobody in the user's reach is in is refused with the reason."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.reports import views

pytestmark = pytest.mark.django_db


def test_the_assessments_come_a_page_at_a_time(towns: Any, people: Any, client: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(views, "ASSESSMENTS_PAGE", 1)
    client.force_login(towns.office)
    first = client.get("/reports/").content.decode()
    second = client.get("/reports/?page=2").content.decode()
    assert len(re.findall(r"<h3 data-assessment=", first)) == 1 and "第 1 / 2 页，共 2 条" in first
    names = {a for html in (first, second) for a in re.findall(r'<h3 data-assessment="([^"]+)"', html)}
    assert names == {"mini-2024", "people-2024"}


def test_a_table_out_of_reach_is_refused_with_the_reason(towns: Any, client: Any) -> None:
    client.force_login(towns.stats)
    resp = client.get("/reports/mini-2024/summary/town.xlsx")
    assert resp.status_code == 403
    assert "您的查看范围内没有这些报表的考核结果" in resp.content.decode()
