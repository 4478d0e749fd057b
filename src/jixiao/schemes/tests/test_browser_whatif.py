"""In a real browser: the office previews a draft version with other points; the what-if table shows
current and new totals, ranks and grades side by side, and nothing is written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from conftest import browser_login

from jixiao.audit.models import AuditEntry
from jixiao.collection.services import ballot_add, value_save
from jixiao.schemes.models import Assessment, SchemeVersion
from jixiao.schemes.services import scheme_version_create
from jixiao.scoring.models import Result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GDP = "      - code: gdp\n        name: 地区生产总值\n        points: 40\n"
TAX = "      - code: tax\n        name: 税收收入\n        points: 30\n"


def _snapshot() -> list[tuple[Any, ...]]:
    return sorted(Result.objects.values_list("object_id", "total", "rank", "grade", "computed_at"))


@pytest.fixture
def v2(cast: Any, scope: Any) -> SchemeVersion:
    """East strong on gdp, west on tax, both 10 from the leaders; a draft v2 moves 10 points from tax to gdp.

    v1: east 40 + 6 + 10 = 56 (不合格, 2nd), west 20 + 30 + 10 = 60 (合格, 1st)
    v2: east 50 + 4 + 10 = 64 (合格, 1st),  west 25 + 20 + 10 = 55 (不合格, 2nd)
    """
    office = scope(cast.office)
    for obj, gdp, tax in ((cast.east_obj, "100", "100"), (cast.west_obj, "50", "500")):
        value_save(actor=cast.office, scope=office, period=cast.q1, obj=obj, indicator="gdp", variable="value",
                   value=Decimal(gdp))
        value_save(actor=cast.office, scope=office, period=cast.q1, obj=obj, indicator="tax", variable="value",
                   value=Decimal(tax))
        ballot_add(actor=cast.office, scope=office, period=cast.q1, obj=obj, indicator="ldpg", rating="10")
    v1 = cast.assessment.version
    assert GDP in v1.text and TAX in v1.text
    text = v1.text.replace(GDP, GDP.replace("40", "50")).replace(TAX, TAX.replace("30", "20"))
    return scheme_version_create(actor=cast.office, based_on=v1, text=text, note="加大经济指标权重")


def _cells(row: Any) -> list[str]:
    return [t.strip() for t in row.locator("td").all_inner_texts()]


def test_whatif_preview_shows_the_changes_and_writes_nothing(cast: Any, page: Any, v2: SchemeVersion) -> None:
    before = _snapshot()
    ranking = [(r.object_id, r.rank, r.total) for r in Result.objects.order_by("rank")]
    assert ranking == [(cast.west_obj.pk, 1, 60.0), (cast.east_obj.pk, 2, 56.0)]
    browser_login(page, "office")  # a login is itself audited
    audits = AuditEntry.objects.count()
    page.goto(page.base + f"/schemes/v/{v2.pk}/")
    page.select_option("#whatif-assessment", "mini-2024")
    page.locator("form[action$='/whatif'] button[type=submit]").click()
    page.wait_for_selector("table.whatif[data-category=town]")
    assert f"/schemes/v/{v2.pk}/whatif?assessment=mini-2024" in page.url

    table = page.locator("table.whatif[data-category=town]")
    header = table.locator("thead").inner_text()
    assert "现用 v1" in header and "改用 v2" in header
    east = table.locator("tbody tr[data-object=east]")
    west = table.locator("tbody tr[data-object=west]")
    # object | current total, rank, grade | new total, rank, grade | total change | rank change
    assert _cells(east) == ["东镇", "56.00", "2", "不合格", "64.00", "1", "合格", "+8.00", "↑1"]
    assert _cells(west) == ["西镇", "60.00", "1", "合格", "55.00", "2", "不合格", "-5.00", "↓1"]
    assert east.locator("td.cur-total").inner_text() == "56.00"
    assert east.locator("td.new-total").inner_text() == "64.00"
    assert east.locator("td.delta-total .delta-up").inner_text() == "+8.00"
    assert east.locator("td.delta-rank .delta-up").inner_text() == "↑1"
    assert west.locator("td.delta-total .delta-down").inner_text() == "-5.00"
    assert west.locator("td.delta-rank .delta-down").inner_text() == "↓1"
    assert "grade-changed" in (east.get_attribute("class") or "")
    assert "grade-changed" in (west.get_attribute("class") or "")
    # sorted by the new ranking; two grades change
    assert table.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.object)") == ["east", "west"]
    assert page.locator("#grade-changes").inner_text() == "2"

    # A preview only: no result, audit entry, version or assessment changed.
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audits
    assert Assessment.objects.get(pk=cast.assessment.pk).version_id == cast.assessment.version_id
    assert SchemeVersion.objects.get(pk=v2.pk).status == SchemeVersion.Status.DRAFT
    # And the ranking page still shows the current version's order.
    page.goto(page.base + "/results/mini-2024/category/town/")
    assert page.locator("#ranking tr[data-object=west] td").first.inner_text() == "1"
    assert page.locator("#ranking tr[data-object=east] td.total").inner_text() == "56.00"
