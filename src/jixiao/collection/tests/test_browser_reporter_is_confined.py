"""In a real browser: a unit reporter cannot open another unit's ledger or results."""

import pytest
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_sees_own_unit_only(cast, page):
    browser_login(page, "east_reporter")
    own = page.goto(page.base + "/ledger/mini-2024/2024-Q1/east/")
    assert own.status == 200
    assert page.locator("input[name=v__gdp__value]").is_editable()
    # tax comes from 县统计局: the town sees it as text, with no input to type it in.
    assert page.locator("input[name=v__tax__value]").count() == 0
    assert page.locator("#shown-tax-value").is_visible()

    other = page.goto(page.base + "/ledger/mini-2024/2024-Q1/west/")
    assert other.status == 403
    assert page.goto(page.base + "/results/mini-2024/object/west/").status == 403

    page.goto(page.base + "/ledger/mini-2024/2024-Q1/")
    names = page.locator("#objects tbody tr td:first-child").all_inner_texts()
    assert names == ["东镇"]
