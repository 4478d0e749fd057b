"""In a real browser: the office admin enters a value and sees the total and the ranking change."""

from decimal import Decimal

import pytest
from conftest import browser_login

from jixiao.collection.services import value_save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_enters_value_and_ranking_changes(cast, scope, page):
    # West leads with gdp 90 in Q1; east has nothing yet.
    value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.west_obj, indicator="gdp",
               variable="value", value=Decimal("90"))
    browser_login(page, "office")
    page.goto(page.base + "/results/mini-2024/category/town/")
    assert page.locator("#ranking tr[data-object=west] td").first.inner_text() == "1"
    assert page.locator("#ranking tr[data-object=east] td").first.inner_text() == "2"

    page.goto(page.base + "/ledger/mini-2024/2024-Q1/east/")
    page.fill("input[name=v__gdp__value]", "100")
    page.click("button[name=save]")
    page.wait_for_selector(".msg-success")
    assert page.input_value("input[name=v__gdp__value]") == "100"

    page.goto(page.base + "/results/mini-2024/category/town/")
    east = page.locator("#ranking tr[data-object=east]")
    assert east.locator("td").first.inner_text() == "1"
    assert east.locator("td.total").inner_text() == "40.00"  # 100/100 × 40 points
    assert page.locator("#ranking tr[data-object=west] td").first.inner_text() == "2"

    # The object's page explains the new number down to the indicator.
    east.locator("a").first.click()
    assert page.locator("#total").inner_text() == "40.00"
    assert "100" in page.locator("#trace tr[data-node=gdp]").inner_text()
