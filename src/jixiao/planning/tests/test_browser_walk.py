"""In a real browser (Chromium): 东镇 proposes a GDP target, the office returns it, 东镇 revises and
resubmits, the office passes it and records the negotiation, the leader in charge approves, and the
ledger shows the target with its history naming the negotiation. Then 张三 submits his Q2 work
plan, 党政办's head approves it, 张三 reports completion, the head confirms, and 张三's score
follows. The clock is frozen by ``pl`` (2025-01-06); cookies are session-length (see the
supervision walk for why)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import browser_login

from jixiao.collection.models import Value
from jixiao.planning.models import TargetProposal, WorkPlan
from jixiao.scoring.models import Result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page: Any) -> None:
    page.click("form[action='/logout/'] button")
    page.wait_for_url(lambda url: "/login/" in url)


def test_propose_return_revise_approve_and_a_plan_scored(pl: Any, page: Any, settings: Any) -> None:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    base = page.base

    # 东镇 proposes.
    browser_login(page, "east_reporter")
    page.click("a[data-nav=planning]")
    page.click("text=目标申报与磋商")
    page.click("#propose")
    page.select_option("select[name=object]", label="东镇")
    page.select_option("select[name=period]", label=pl.q1.name)
    page.select_option("select[name=indicator]", label="地区生产总值")
    page.fill("input[name=target]", "110")
    page.fill("input[name=challenge]", "120")
    page.fill("input[name=last_actual]", "100")
    page.fill("textarea[name=reason]", "去年完成100亿元，今年按10%增长安排")
    page.click("#proposal-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    p = TargetProposal.objects.get()
    assert page.inner_text("#proposal-state") == "草稿"
    page.click("text=返回目标申报列表")
    page.click("#submit-east-2025-Q1")
    page.wait_for_selector(".msg-success")
    logout(page)

    # The office returns it.
    browser_login(page, "office")
    page.goto(f"{base}/planning/targets/{p.pk}/")
    page.select_option("select[name=decision]", label="退回修改")
    page.fill("#review-form textarea[name=comment]", "目标偏低，请结合重点项目提高")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert page.inner_text("#proposal-state") == "已退回"
    logout(page)

    # 东镇 revises and resubmits.
    browser_login(page, "east_reporter")
    page.goto(f"{base}/planning/targets/{p.pk}/")
    page.click("#edit")
    assert "目标偏低" in page.inner_text("main")
    page.fill("input[name=target]", "118")
    page.fill("textarea[name=reason]", "按初审意见，计入新投产项目后提高到118亿元")
    page.click("#proposal-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    page.click("text=返回目标申报列表")
    page.click("#submit-east-2025-Q1")
    page.wait_for_selector(".msg-success")
    logout(page)

    # The office passes it and records the negotiation.
    browser_login(page, "office")
    page.goto(f"{base}/planning/targets/{p.pk}/")
    page.select_option("select[name=decision]", label="通过")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    page.fill("input[name=held_on]", "2025-01-06")
    page.fill("input[name=participants]", "分管副县长、东镇镇长、绩效办主任")
    page.fill("input[name=agreed]", "120")
    page.fill("#negotiation-form textarea[name=why]", "结合重点项目投产进度，确定为120亿元")
    page.click("#negotiation-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert page.inner_text("#proposal-state") == "已磋商"
    logout(page)

    # The leader in charge approves; the ledger shows the target with its history.
    browser_login(page, "leader")
    page.goto(f"{base}/planning/targets/{p.pk}/")
    page.fill("#approve-form input[name=note]", "同意")
    page.click("#approve-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert page.inner_text("#proposal-state") == "已审定"
    history = page.inner_text("#history")
    for step in ("单位自报", "退回修改", "修改申报", "初审通过", "磋商", "领导审定"):
        assert step in history
    page.click("#ledger-link")
    page.wait_for_url(lambda url: "/history" in url)
    text = page.inner_text("main")
    assert "120" in text and "目标磋商审定" in text
    v = Value.objects.get(indicator="gdp", variable="target")
    assert (v.value, v.status) == (120, "verified")
    logout(page)

    # 张三 submits his Q2 plan; 党政办's head approves it.
    browser_login(page, "zhangsan")
    page.goto(f"{base}/planning/plan-2025/plans/")
    page.click("#plan-new")
    page.select_option("select[name=period]", label=pl.q2.name)
    page.select_option("select[name=items-0-category]", label="日常基础工作")
    page.fill("input[name=items-0-title]", "公文办理")
    page.fill("input[name=items-0-planned]", "60")
    page.select_option("select[name=items-1-category]", label="中心工作")
    page.fill("input[name=items-1-title]", "乡村振兴专项")
    page.fill("input[name=items-1-planned]", "40")
    page.click("#plan-submit")
    page.wait_for_selector(".msg-success")
    plan = WorkPlan.objects.get()
    logout(page)
    browser_login(page, "dzb_head")
    page.goto(f"{base}/planning/plans/{plan.pk}/")
    page.select_option("#decide-form select[name=decision]", label="同意")
    page.click("#decide-submit")
    page.wait_for_selector(".msg-success")
    assert page.inner_text("#plan-state") == "已批准"
    logout(page)

    # 张三 reports completion; the head confirms; the score follows.
    browser_login(page, "zhangsan")
    page.goto(f"{base}/planning/plans/{plan.pk}/")
    items = list(plan.items.order_by("position"))
    page.fill(f"input[name=actual_{items[0].pk}]", "60")
    page.fill(f"input[name=actual_{items[1].pk}]", "30")
    page.click("#report-submit")
    page.wait_for_selector(".msg-success")
    logout(page)
    browser_login(page, "dzb_head")
    page.goto(f"{base}/planning/plans/{plan.pk}/")
    page.select_option("#decide-form select[name=decision]", label="同意")
    page.click("#decide-submit")
    page.wait_for_selector(".msg-success")
    assert page.inner_text("#plan-state") == "已确认完成"
    result = Result.objects.get(assessment=pl.assessment, object=pl.staff_obj)
    assert result.periods["2025-Q2"]["total"] == 90.0
