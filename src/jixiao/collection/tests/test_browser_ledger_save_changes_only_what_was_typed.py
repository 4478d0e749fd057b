"""In a real browser: the office types one number on a ledger page and saves; only that value
changes, and a value it had returned stays returned with its reason."""

from decimal import Decimal

import pytest
from conftest import browser_login

from jixiao.collection.models import Value
from jixiao.collection.services import value_review, value_save
from jixiao.org.selectors import scope_for_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_save_changes_only_the_typed_value(cast, page):
    gdp = value_save(actor=cast.reporter, scope=scope_for_user(cast.reporter), period=cast.q1, obj=cast.east_obj,
                     indicator="gdp", variable="value", value=Decimal("70"), submit=True)
    value_review(actor=cast.office, scope=scope_for_user(cast.office), value=gdp, approve=False,
                 reason="与县城管局抽查台账不一致")
    browser_login(page, "office")
    page.goto(page.base + "/ledger/mini-2024/2024-Q1/east/")
    page.fill("input[name=v__tax__value]", "310")
    page.click("#ledger-form button[name=save]")
    page.wait_for_selector("text=已保存 1 项")
    gdp.refresh_from_db()
    assert (gdp.status, gdp.value, gdp.return_reason) == ("returned", Decimal("70"), "与县城管局抽查台账不一致")
    tax = Value.objects.get(object=cast.east_obj, indicator="tax")
    assert (tax.status, tax.value) == ("verified", Decimal("310"))
    assert page.locator("#row-gdp .status-returned").count() == 1
