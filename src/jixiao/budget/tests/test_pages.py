"""The finance bureau's configuration pages and the board's cost: the checklist and the settings
saved through the pages (refusals in Chinese at the field), a target table filled from the indicator
library, and the board's queries not growing with the number of projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.budget import selectors
from jixiao.budget.models import BudgetSettings, Criterion, LibraryIndicator

from .world import YEAR, executed, progressed, project_in, scope

pytestmark = pytest.mark.django_db

SETTINGS = {"warn_gap": "0.1", "red_gap": "0.3", "execution_points": "10", "output_points": "50",
            "effect_points": "30", "satisfaction_points": "10", "grade_excellent": "90", "grade_good": "80",
            "grade_fair": "60", "recheck_share": "0.2", "cut_share": "0.15", "assessment": "", "period": "",
            "indicator": ""}


def test_settings_and_checklist_pages(cast: Any, client: Any) -> None:
    client.force_login(cast.office)
    resp = client.post(f"/budget/settings/?year={YEAR}", {**SETTINGS, "output_points": "60"})
    assert resp.status_code == 200 and "分值之和须为 100（现为 110）" in resp.content.decode()
    assert not BudgetSettings.objects.exists()
    resp = client.post(f"/budget/settings/?year={YEAR}", SETTINGS)
    assert resp.status_code == 302 and BudgetSettings.objects.get().red_gap == Decimal("0.3")
    resp = client.post(f"/budget/settings/?year={YEAR}", {"action": "criteria", "criteria": "必要性 60\n经济性"})
    assert "第 2 行应为“名称 分值”两项" in resp.content.decode() and not Criterion.objects.exists()
    resp = client.post(f"/budget/settings/?year={YEAR}",
                       {"action": "criteria", "criteria": "必要性 60\n经济性 40"})
    assert resp.status_code == 302 and list(Criterion.objects.values_list("code", flat=True)) == ["item1", "item2"]
    # names, never codes, on the page; an item kept by name keeps its code (and its scores)
    page = client.get(f"/budget/settings/?year={YEAR}").content.decode()
    assert "必要性 60" in page and "item1" not in page
    client.post(f"/budget/settings/?year={YEAR}", {"action": "criteria", "criteria": "合规性 50\n必要性 50"})
    assert list(Criterion.objects.order_by("position").values_list("code", "name")) == [("item3", "合规性"),
                                                                                         ("item1", "必要性")]
    p = project_in(cast, "submitted")
    assert "必要性（50 分）" in client.get(f"/budget/projects/{p.pk}/exante").content.decode()


def test_library_row_fills_the_table(cast: Any, client: Any) -> None:
    p = project_in(cast, "draft")
    client.force_login(cast.office)
    client.post("/budget/library/", {"sector": "交通运输", "part": "output", "sub": "quality",
                                     "name": "工程验收合格率", "unit": "%", "standard": "industry",
                                     "direction": "higher"})
    li = LibraryIndicator.objects.get()
    client.force_login(cast.reporter)
    page = client.get(f"/budget/projects/{p.pk}/targets?q=合格率").content.decode()
    assert "工程验收合格率" in page and f"add={li.pk}" in page
    page = client.get(f"/budget/projects/{p.pk}/targets?add={li.pk}").content.decode()
    assert 'name="name_0" value="工程验收合格率"' in page and 'name="unit_0" value="%"' in page


def test_board_queries_do_not_grow(cast: Any) -> None:
    off = scope(cast.office)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.lights(off, YEAR, dt.date(YEAR, 6, 30))
        return len(ctx.captured_queries)

    p = project_in(cast, "approved", code="Q1")
    executed(cast, p, "1000.00")
    one = queries()
    for n in range(2, 6):
        q = project_in(cast, "approved", code=f"Q{n}")
        executed(cast, q, "1000.00")
        progressed(cast, q, ["1", "2", "3", "4"])
    assert queries() == one
