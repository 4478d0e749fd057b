"""In a real browser (Chromium): 东镇's reporter creates a project and fills its target table (first
without a unit: refused at the row, nothing saved), submits it; the finance bureau (the office)
assesses it ex ante and approves it with its budget; the office imports a month of execution far
behind time and the project turns red on the board; 东镇 evaluates it at year end and the engine's
score and grade show on the project."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import time_machine
from conftest import browser_login
from openpyxl import Workbook

from jixiao.budget.models import Evaluation, Indicator, Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page: Any) -> None:
    page.click("form[action='/logout/'] button")
    page.wait_for_url(lambda url: "/login/" in url)


def fill_row(page: Any, n: int, part: str, sub: str, name: str, standard: str, target: str, unit: str) -> None:
    page.select_option(f"select[name=part_{n}]", label=part)
    page.select_option(f"select[name=sub_{n}]", label=sub)
    page.fill(f"input[name=name_{n}]", name)
    page.select_option(f"select[name=standard_{n}]", label=standard)
    page.fill(f"input[name=target_{n}]", target)
    page.fill(f"input[name=unit_{n}]", unit)


def test_targets_approval_red_light_and_evaluation(cast: Any, page: Any, settings: Any, tmp_path: Path) -> None:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    base = page.base
    with time_machine.travel("2025-10-15 09:00 +0800", tick=True):
        # 东镇 creates the project and fills the target table.
        browser_login(page, "east_reporter")
        page.click("a[data-nav=budget]")
        page.click("#new-project")
        page.fill("input[name=code]", "DZ-01")
        page.fill("input[name=name]", "东镇农村公路提质改造")
        page.fill("input[name=amount]", "1000000")
        page.fill("input[name=section]", "交通办")
        page.fill("input[name=start]", "2025-01-01")
        page.fill("input[name=end]", "2025-12-31")
        page.click("#project-form button[type=submit]")
        page.wait_for_selector("#targets-form")
        fill_row(page, 0, "产出指标", "数量指标", "新改建农村公路里程", "计划标准", "20", "")
        fill_row(page, 1, "满意度指标", "服务对象满意度指标", "群众满意度", "计划标准", "90", "%")
        page.click("#save")
        assert "请填写计量单位" in page.inner_text("#error-form")
        assert not Indicator.objects.exists()
        page.fill("input[name=unit_0]", "公里")
        page.click("#submit")
        page.wait_for_selector(".msg-success")
        assert page.inner_text("#project-state") == "目标已报送"
        logout(page)

        # The finance bureau assesses it ex ante and approves the targets with the budget.
        p = Project.objects.get()
        browser_login(page, "office")
        page.goto(f"{base}/budget/projects/{p.pk}/")
        page.click("#exante-link")
        for field, v in (("necessity", "22"), ("economy", "18"), ("targets", "17"), ("feasibility", "18"),
                         ("compliance", "14")):
            page.fill(f"input[name=c_{field}]", v)
        page.select_option("select[name=opinion]", label="予以支持")
        page.click("#exante-form button[type=submit]")
        page.wait_for_selector(".msg-success")
        page.select_option("#review-form select[name=decision]", label="批复目标并录入预算")
        page.click("#review-form button[type=submit]")
        page.wait_for_selector("#budget-entered")

        # A month of execution far behind time: the project turns red.
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(["项目编码", "月份", "累计支付金额"])
        ws.append(["DZ-01", "2025-09", 150000])
        path = tmp_path / "执行数.xlsx"
        buf = io.BytesIO()
        wb.save(buf)
        path.write_bytes(buf.getvalue())
        page.goto(f"{base}/budget/import/executions?year=2025")
        page.set_input_files("input[name=file]", str(path))
        page.click("#import-form button[type=submit]")
        page.wait_for_selector(".msg-success")
        page.goto(f"{base}/budget/monitoring/?year=2025&at=2025-09")
        assert page.get_attribute("tr[data-code='DZ-01'] [data-light]", "data-light") == "red"
        logout(page)

        # 东镇 evaluates it at year end; the engine scores it.
        browser_login(page, "east_reporter")
        page.goto(f"{base}/budget/projects/{p.pk}/")
        page.click("#evaluate-link")
        inds = list(Indicator.objects.filter(project=p))
        page.fill(f"input[name=a_{inds[0].pk}]", "12")
        page.fill(f"input[name=a_{inds[1].pk}]", "81")
        page.click("#evaluate-submit")
        page.wait_for_selector(".msg-success")
        e = Evaluation.objects.get(project=p, kind="self")
        # 1.5 of 10 for execution, 50 × 12/20 = 30 for outputs, no effect indicator, 10 × 81/90 = 9.
        assert e.score == 40.5 and e.grade == "差"
        assert "40.50" in page.inner_text("#evaluations")
