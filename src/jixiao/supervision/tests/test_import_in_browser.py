"""In a real browser: the office downloads nothing but uploads a filled workbook, sees the
imported matters; a bad file shows the table of problems."""

from __future__ import annotations

import pytest
from conftest import browser_login

from jixiao.supervision.models import Matter
from jixiao.supervision.tests.test_import_helpers import good_row, workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_imports_through_the_page(sv, page, tmp_path):
    good = tmp_path / "三月督办事项.xlsx"
    good.write_bytes(workbook([good_row(事项名称="修缮文化站", 立即交办="是"),
                               good_row(事项名称="整治河道", 主办单位="西镇")]))
    bad = tmp_path / "有错.xlsx"
    bad.write_bytes(workbook([good_row(事项名称="清理小广告", 主办单位="东正镇")]))
    browser_login(page, "office")
    page.goto(page.base + "/supervision/import/")
    assert page.locator("#template-link").get_attribute("href") == "/supervision/import/template.xlsx"

    page.set_input_files("input[name=file]", str(bad))
    page.click("#import-form button[type=submit]")
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 1
    assert "找不到单位“东正镇”" in errors.first.inner_text()
    assert not Matter.objects.filter(title="清理小广告").exists()

    page.set_input_files("input[name=file]", str(good))
    page.click("#import-form button[type=submit]")
    assert "导入 2 个事项：1 个已交办" in page.locator("#import-done").inner_text()
    assert page.locator("#imported tbody tr").count() == 2
    assert set(Matter.objects.filter(title__in=["修缮文化站", "整治河道"]).values_list("state", flat=True)) == {
        "assigned", "registered"}
