"""In a real browser: a matter from registration to a red light, a reminder, feedback and closure.

The office registers a matter for 东镇 through the form and assigns it; 东镇's reporter finds it in
his inbox and signs it; the clock passes the deadline and the list shows 红灯; the office runs
「立即催办」 and the reporter signs the notice, then sends progress and the completion report with
a PDF; the office passes the check and closes it: 已办结.

The clock: ``sv`` freezes it with time-machine (``tick=False``). That patches the wall clock
(``time.time``, ``datetime.now``) for the whole process, the live server's thread included, which
is what moves the server's "today"; Playwright waits on the monotonic clock, which time-machine
leaves alone, so its timeouts still run. What does break is cookies: Django stamps them with an
expiry computed from the frozen date (2026-03), which the browser's real clock may already have
passed, so it would drop them and the login would not stick. Session-length cookies (no expiry)
avoid that; the server still ends a session two weeks (of the moved clock) after login, so the
walk stays within that.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import browser_login
from django.urls import NoReverseMatch, reverse
from pypdf import PdfWriter

from jixiao.supervision.models import Matter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def small_pdf() -> bytes:
    """A real one-page PDF."""
    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    w.add_metadata({"/Title": "办结报告"})
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def logout(page: Any) -> None:
    page.click("form[action='/logout/'] button")
    page.wait_for_url(lambda url: "/login/" in url)


def test_matter_walk(sv: Any, page: Any, settings: Any, tmp_path: Path) -> None:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    base = page.base

    # The office registers and assigns.
    browser_login(page, "office")
    page.click("a[data-nav=supervision]")
    page.click("#register")
    page.fill("input[name=title]", "修复东镇供水管网")
    page.fill("textarea[name=content]", "3月6日前恢复东镇东片区供水")
    page.select_option("select[name=lead_unit]", label="东镇")
    # 协办单位: a list of names with a filter box; typing part of a name narrows it.
    page.fill("fieldset.field-choices input.picker-filter", "西")
    assert not page.is_visible("#id_co_units label:has-text('东镇')")
    page.check("#id_co_units label:has-text('西镇') input")
    page.select_option("select[name=leader]", label="leader")
    page.fill("textarea[name=materials]", "维修记录")
    page.fill("input[name=deadline]", "2026-03-06")
    page.fill("input[name=ms-0-title]", "完成抢修")
    page.fill("input[name=ms-0-due]", "2026-03-04")
    page.click("#save")
    page.wait_for_selector(".msg-success")
    m = Matter.objects.get(title="修复东镇供水管网")
    assert page.url == f"{base}/supervision/{m.pk}/"
    assert page.inner_text("#matter-state") == "已登记"
    page.click("form[data-action=assign] button")
    page.wait_for_selector(".msg-success")
    assert page.inner_text("#matter-state") == "已交办"
    logout(page)

    # 东镇 signs it from the inbox.
    browser_login(page, "east_reporter")
    page.goto(base + "/supervision/inbox/")
    row = page.locator(f"#to-sign-list tr[data-matter='{m.number}']")
    assert "修复东镇供水管网" in row.inner_text()
    row.locator("a").first.click()
    page.click("form[data-action=sign] button")
    page.wait_for_selector(".msg-success")
    assert page.inner_text("#matter-state") == "已签收"

    # Three days past the deadline: red, in words, on the list.
    sv.travel(dt.date(2026, 3, 9))
    page.goto(base + "/supervision/")
    listed = page.locator(f"#matter-list tr[data-matter='{m.number}']")
    assert listed.get_attribute("data-light") == "red"
    assert "红灯" in listed.inner_text() and "已签收" in listed.inner_text()
    assert listed.locator("td.num").inner_text() == "3"
    # Filtering swaps the table in place (htmx) and keeps the filter in the address.
    page.select_option("#filters select[name=state]", "signed")
    page.wait_for_url(lambda url: "state=signed" in url)
    page.wait_for_function("document.querySelectorAll('#matter-list tr[data-matter]').length === 1")
    assert page.locator("#matter-list tr[data-matter]").get_attribute("data-matter") == m.number
    assert page.inner_text("#light-counts a[data-light=red] strong") == "1"
    page.goto(f"{base}/supervision/{m.pk}/")
    assert page.inner_text("#light-reason") == "已逾期3天"
    logout(page)

    # The office sends the reminders now (the reminders part of the app provides the button).
    try:
        reverse("supervision:remind_run")
        remind = True
    except NoReverseMatch:  # pragma: no cover - before the reminders URLs exist
        remind = False
    if remind:
        browser_login(page, "office")
        page.goto(base + "/supervision/")
        asked: list[str] = []
        page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
        page.click("#remind-run button")
        page.wait_for_selector(".msg-success")
        assert asked and "确定立即催办？" in asked[0]
        logout(page)

    browser_login(page, "east_reporter")
    if remind:
        page.goto(base + "/supervision/inbox/")
        notice = page.locator("#notice-list tr[data-notice]").filter(has_text=m.number)
        assert notice.count() == 1
        assert "红灯" in notice.inner_text()
        notice.locator("button").click()  # 签收, swapped in place by htmx
        page.wait_for_selector(f"#notice-list tr[data-notice]:has-text('{m.number}'):has-text('已签收')")
        assert m.notices.get().read_at is not None

    # Progress, then the completion report with the materials.
    page.goto(f"{base}/supervision/{m.pk}/")
    page.fill("#feedback-form textarea[name=text]", "管网已抢修完毕，正在试压")
    page.fill("#feedback-form input[name=progress]", "80")
    page.select_option("#feedback-form select[name=milestone]", label="完成抢修 (2026-03-04)")
    page.click("#feedback-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert page.inner_text("#matter-state") == "办理中"
    page.fill("#feedback-form textarea[name=text]", "已恢复供水，报送办结报告")
    page.set_input_files("#feedback-form input[name=attachments]",
                         files=[{"name": "维修记录.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}])
    page.check("#feedback-form input[name=final]")
    page.click("#feedback-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert page.inner_text("#matter-state") == "待核查"
    assert page.locator("#feedback a.attachment").inner_text() == "维修记录.pdf"
    # Reported after the deadline: still red, and the page says why.
    assert page.inner_text("#light-reason") == "逾期3天报送办结报告，待核查"
    logout(page)

    # The office downloads the report, passes the check and closes the matter.
    browser_login(page, "office")
    page.goto(f"{base}/supervision/{m.pk}/")
    with page.expect_download() as dl:
        page.click("#feedback a.attachment")
    saved = tmp_path / "维修记录.pdf"
    dl.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    # Irreversible steps ask first (in Chinese); the walk accepts.
    page.on("dialog", lambda d: d.accept())
    page.click("form[data-action=check_pass] button")
    page.wait_for_selector(".msg-success")
    page.click("form[data-action=close] button")
    page.wait_for_selector(".msg-success")
    assert page.inner_text("#matter-state") == "已办结"
    assert page.get_attribute("#matter-light", "data-light") == "done"
    assert "已办结" in page.inner_text("#matter-light")
    steps = page.locator("#steps li").evaluate_all("els => els.map(e => e.dataset.action)")
    assert steps == ["register", "assign", "sign", *(["remind"] if remind else []), "feedback", "report",
                     "check_pass", "close"]
    page.screenshot(path=str(tmp_path / "matter-closed.png"), full_page=True)
    page.goto(base + "/supervision/")
    assert page.locator(f"#matter-list tr[data-matter='{m.number}']").get_attribute("data-light") == "done"
    assert re.search(r"已办结", page.locator(f"#matter-list tr[data-matter='{m.number}']").inner_text())
