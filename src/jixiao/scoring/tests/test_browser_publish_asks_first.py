"""In a real browser: 发布结果 asks first, saying what will happen; cancelling publishes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import browser_login

from jixiao.scoring.models import Publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cancelling_the_question_publishes_nothing(ranked: Any, page: Any) -> None:
    browser_login(page, "office")
    page.goto(page.base + "/results/mini-2024/category/town/")
    asked: list[str] = []

    def cancel(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", cancel)
    page.click("#publish-form button")
    page.wait_for_timeout(300)
    assert asked and "将发布“乡镇”的考核结果" in asked[0] and "所有用户可以查看" in asked[0]
    assert page.url.endswith("/results/mini-2024/category/town/")
    assert not Publication.objects.exists()
