"""In a real browser: the office publishes the towns' ranking from the ranking page, copies the
link with 复制链接, and a unit reporter opening that link reads the published table."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import browser_login

from jixiao.scoring.models import Publication
from jixiao.scoring.tests.approving import make_publishable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_copy_and_open(ranked: Any, scope: Any, page: Any, browser: Any) -> None:
    make_publishable(ranked, scope)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.base)
    browser_login(page, "office")
    page.goto(page.base + "/results/mini-2024/category/town/")
    page.fill("#publish-form input[name=note]", "公示期5个工作日")
    page.on("dialog", lambda d: d.accept())
    page.click("#publish-form button")
    page.wait_for_selector("#publication")
    pub = Publication.objects.get()
    link = f"{page.base}/results/published/{pub.token}/"
    assert page.url == link
    assert page.locator("#published-link").inner_text() == link
    assert "考核结果已发布" in page.locator(".messages").inner_text()
    page.click("button.copy-link")
    page.wait_for_selector("#copy-status:has-text('已复制')")
    assert page.evaluate("navigator.clipboard.readText()") == link

    context = browser.new_context(locale="zh-CN")
    other = context.new_page()
    other.base = page.base
    browser_login(other, "east_reporter")
    other.goto(link)
    assert other.locator("h1").inner_text() == "测试县2024年度考核 乡镇 考核结果公示"
    assert other.locator("#note").inner_text() == "说明：公示期5个工作日"
    rows = other.locator("#published tbody tr")
    assert [rows.nth(i).get_attribute("data-object") for i in range(rows.count())] == ["west", "east"]
    assert other.locator("#withdraw-form").count() == 0
    context.close()
