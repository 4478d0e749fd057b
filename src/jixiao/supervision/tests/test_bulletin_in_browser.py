"""In a real browser: the office drafts a bulletin, reads it (red items spelled out), publishes
it; a unit reporter then finds it in the list and downloads its XLSX."""

from __future__ import annotations

import pytest
from conftest import browser_login

from jixiao.supervision.models import Bulletin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_publish_and_read(sv, page, browser):
    browser_login(page, "office")
    page.goto(page.base + "/supervision/bulletins/")
    page.click("text=起草通报")
    assert page.input_value("input[name=date_from]") == "2026-03-01"
    assert page.input_value("input[name=date_to]") == "2026-03-02"
    page.fill("input[name=title]", "三月上旬督办通报")
    page.click("#bulletin-form button[type=submit]")
    page.wait_for_selector("#bulletin-units")
    rows = page.locator("#bulletin-units tbody tr")
    assert rows.count() == 3  # 东镇, 西镇, 合计
    assert "西镇" in rows.nth(1).inner_text() and "黄" in rows.nth(1).inner_text()
    assert "否（未反馈）" in rows.nth(1).inner_text()
    page.on("dialog", lambda d: d.accept())
    page.click("#publish-form button")
    page.wait_for_selector("text=通报已发布")
    assert Bulletin.objects.get().status == "published"

    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    other = context.new_page()
    other.base = page.base
    browser_login(other, "east_reporter")
    other.goto(other.base + "/supervision/bulletins/")
    assert other.locator("#bulletins tbody tr").count() == 1
    assert "起草通报" not in other.content()
    other.click("text=三月上旬督办通报")
    assert other.locator("#publish-form").count() == 0
    with other.expect_download() as got:
        other.click("text=下载 Excel")
    assert got.value.suggested_filename == "三月上旬督办通报-2026年第1期.xlsx"
    context.close()
