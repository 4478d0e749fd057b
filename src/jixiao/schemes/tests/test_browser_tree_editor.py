"""In a real browser: the tree editor checks sums as you type, adds and deletes rows, saves a draft."""

import pytest
from conftest import browser_login

from jixiao.schemes.models import SchemeVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tree_editor_checks_as_you_type_and_saves(cast, page):
    v1 = cast.assessment.version
    browser_login(page, "office")
    page.goto(page.base + f"/schemes/v/{v1.pk}/edit/")
    assert "校验通过" in page.locator("#check").inner_text()

    page.fill("input[name=row-0-points]", "50")  # gdp 40 → 50: the category adds up to 110
    page.wait_for_selector("#check tr.sum-bad")
    assert "110" in page.locator("#check tr.sum-bad").inner_text()
    page.fill("input[name=row-1-points]", "20")  # tax 30 → 20: back to 100
    page.wait_for_selector("#check .msg-success")

    # add a child under tax: the row appears without a page reload, the check wants its code
    page.locator("#row-1 button", has_text="+下级").click()
    page.wait_for_selector("input[name=row-2-depth][value='1']", state="attached")
    assert page.input_value("input[name=row-0-points]") == "50"  # what was typed survives the re-render
    page.wait_for_selector("#check .problems")
    page.fill("input[name=row-2-code]", "tax_a")
    page.fill("input[name=row-2-points]", "20")
    page.wait_for_selector("#check .msg-success")
    # switch the new leaf to a manual score: its range inputs appear
    page.select_option("select[name=row-2-method]", "manual")
    page.wait_for_selector("input[name=row-2-range_high]")
    page.locator("#row-2 button", has_text="删除").click()
    page.wait_for_selector("input[name=row-2-code][value='ldpg']")

    page.fill("input[name=note]", "浏览器里改的")
    page.click("button[type=submit]:has-text('保存为新版本')")
    page.wait_for_selector(".msg-success")
    v2 = SchemeVersion.objects.get(number=2)
    assert v2.note == "浏览器里改的" and "points: 50" in v2.text and "tax_a" not in v2.text
