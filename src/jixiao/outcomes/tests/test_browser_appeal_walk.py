"""In a real browser: the office publishes the towns' results with a notice window; 东镇's
reporter appeals the 地区生产总值 score with a reason and a file; the office accepts it with the
corrected value; the corrected publication supersedes the first; the reporter sees every step."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import browser_login
from django.utils import timezone

from jixiao.collection.models import Value
from jixiao.outcomes.models import Appeal
from jixiao.scoring.models import Publication
from jixiao.scoring.tests.approving import make_publishable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_appeal_accept_corrected_publication(ranked: Any, scope: Any, page: Any, browser: Any,
                                                     tmp_path: Path) -> None:
    make_publishable(ranked, scope)
    today = timezone.localdate()
    browser_login(page, "office")
    page.goto(page.base + "/results/mini-2024/category/town/")
    page.fill("#publish-form input[name=notice_starts]", (today - dt.timedelta(days=1)).isoformat())
    page.fill("#publish-form input[name=notice_ends]", (today + dt.timedelta(days=4)).isoformat())
    page.check("#publish-form input[name=public]")
    page.on("dialog", lambda d: d.accept())
    page.click("#publish-form button")
    page.wait_for_selector("#publication")
    first = Publication.objects.get()
    assert "公示期" in page.locator("#notice-window").inner_text()

    context = browser.new_context(locale="zh-CN")
    reporter = context.new_page()
    reporter.base = page.base
    browser_login(reporter, "east_reporter")
    reporter.goto(f"{page.base}/results/published/{first.token}/")
    reporter.click("#appeal-link")
    reporter.select_option("#appeal-form select[name=indicator]", "gdp")
    reporter.fill("#appeal-form textarea[name=reason]", "一季度地区生产总值应为100亿元，见统计快报")
    evidence = tmp_path / "统计快报.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")
    reporter.set_input_files("#appeal-form input[name=evidence]", str(evidence))
    reporter.click("#appeal-form button")
    reporter.wait_for_selector("#appeal-status")
    assert "待答复" in reporter.locator("#appeal-status").inner_text()
    appeal = Appeal.objects.get()

    page.goto(f"{page.base}/outcomes/appeals/{appeal.pk}/")
    page.select_option("#decide-form select[name=accept]", "1")
    page.fill("#decide-form textarea[name=reason]", "核实统计快报，录入有误")
    page.select_option("#decide-form select[name=period]", label="2024年第一季度")
    page.fill("#decide-form input[name=value]", "100")
    page.click("#decide-form button")
    page.wait_for_selector("#republish-form")
    assert "申诉成立" in page.locator("#appeal-status").inner_text()
    assert Value.objects.get(object=ranked.east_obj, period=ranked.q1, indicator="gdp").value == 100
    page.click("#republish-form button")
    page.wait_for_selector("#supersedes")
    second = Publication.objects.get(number=2)
    assert page.url == f"{page.base}/results/published/{second.token}/"
    east = page.locator("#published tr[data-object=east] td.total").inner_text()
    first_east = next(r for r in first.snapshot["rows"] if r["object"] == "east")["total"]
    assert float(east) > first_east

    reporter.reload()
    steps = reporter.locator("#appeal-steps").inner_text()
    for words in ("提出申诉", "申诉成立", "台帐已更正", "第2次公示"):
        assert words in steps, words
    reporter.goto(f"{page.base}/results/published/{first.token}/")
    assert "本公示已被更正" in reporter.locator("#superseded").inner_text()
    context.close()
