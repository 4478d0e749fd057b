"""Checklist item 29 in a real browser: with the Content-Security-Policy enforced (no inline
script), the pages run without a violation and their behaviours still work from the static
script: a confirmation asked before a write, a select that submits its form."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_item_29_pages_work_under_the_strict_policy(cast: Any, browser: Any, live_server: Any) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})  # CSP enforced
    page = context.new_page()
    page.set_default_timeout(15000)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    for path in ("/", "/ledger/mini-2024/2024-Q1/", "/ledger/incidents/", "/schemes/", "/cockpit/", "/results/"):
        page.goto(live_server.url + path)
    # A write asks first (data-confirm): dismissed, nothing is sent.
    page.goto(live_server.url + "/schemes/")
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    close = page.locator("form[data-confirm] button[type=submit]").first
    close.click()
    assert asked and "关闭" in asked[0]
    assert page.url.endswith("/schemes/")
    # A select that submits its form (data-autosubmit).
    page.goto(live_server.url + "/ledger/incidents/")
    with page.expect_navigation():
        page.select_option("select[name=status]", index=1)
    assert "status=" in page.url
    assert not violations, violations
    context.close()
