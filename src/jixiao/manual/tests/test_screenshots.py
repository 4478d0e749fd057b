"""The manual's screenshots and the page gallery are made here, by the browser, from the demo: every
`make test` redraws them, so they never go stale (使用说明 shows them from DATA_DIR/manual).

The gallery (DATA_DIR/gallery/<role>/) keeps a picture of every page three roles reach from the
navigation, for a person to leaf through after a change; the crawl's checks are in
project/tests/test_clerks_day_crawl.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import browser_login
from django.conf import settings

from jixiao.manual.sections import CONTENT
from jixiao.project.tests.crawl import crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shots_named_in_the_manual() -> set[str]:
    return {m for f in CONTENT.glob("*.md") for m in re.findall(r"\(shot:([a-z0-9-]+)\)", f.read_text("utf-8"))}


def test_the_manuals_screenshots_are_taken_from_the_running_demo(demo: Any, page: Any) -> None:
    from django.db.models import Count, F

    from jixiao.collection.models import Value
    from jixiao.schemes.models import Assessment

    a = Assessment.objects.get(code="zhengding-2024")
    # The ledger page worth showing: the open period where the township has the most to fill in.
    busiest = (Value.objects.filter(assessment=a, object__code="nanniu").values("period__code", "period__closed_at")
               .annotate(n=Count("id")).order_by(F("period__closed_at").desc(nulls_first=True), "-n").first())
    assert busiest is not None
    period = a.periods.get(code=busiest["period__code"])
    shots = {  # name → (who, page, what must be on it)
        "start-office": ("office", "/", "待审核"),
        "ledger-object": ("nanniu_tb", f"/ledger/{a.code}/{period.code}/nanniu/", "南牛乡"),
        "results-object": ("office", f"/results/{a.code}/object/nanniu/", "南牛乡"),
        "cockpit": ("leader", "/cockpit/", "领导驾驶舱"),
        "supervision-list": ("office", "/supervision/", "督办"),
    }
    assert set(shots) == _shots_named_in_the_manual()
    folder = Path(settings.DATA_DIR) / "manual"
    folder.mkdir(parents=True, exist_ok=True)
    who = None
    for name, (user, url, expect) in shots.items():
        if user != who:
            page.context.clear_cookies()
            browser_login(page, user, demo.password)
            who = user
        page.goto(page.base + url)
        page.wait_for_load_state("networkidle")
        assert expect in page.content(), name
        page.screenshot(path=str(folder / f"{name}.png"), full_page=False)
        assert (folder / f"{name}.png").stat().st_size > 20_000, name
    # The manual now shows them.
    page.goto(page.base + "/manual/")
    for name in shots:
        img = page.locator(f'img[src="/manual/shots/{name}.png"]')
        assert img.count() == 1, name
        img.scroll_into_view_if_needed()  # the manual's images load lazily
        page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=img.element_handle())


@pytest.mark.parametrize("username", ["office", "nanniu_tb", "leader"])
def test_gallery_of_every_page_a_role_reaches(demo: Any, page: Any, username: str) -> None:
    browser_login(page, username, demo.password)
    folder = Path(settings.DATA_DIR) / "gallery" / username
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    taken: list[str] = []

    def get(url: str) -> tuple[int, str, str]:
        resp = page.goto(page.base + url)
        status = resp.status if resp else 0
        ctype = (resp.headers.get("content-type", "") if resp else "")
        if status == 200 and ctype.startswith("text/html"):
            slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"
            _screenshot(page, folder / f"{len(taken):03d}-{slug[:80]}.png")
            taken.append(url)
            return status, ctype, page.content()
        return status, ctype, ""

    result = crawl(get, ["/"], per_route=1, depth=2, limit=60)
    assert all(v.status < 500 for v in result.visits), [v.url for v in result.visits if v.status >= 500]
    assert len(taken) >= 8 and len(list(folder.glob("*.png"))) == len(taken)


def _screenshot(page: Any, path: Path) -> None:
    """Chromium now and then answers "Unable to capture screenshot" while a page is still settling
    (charts drawing); the page is waited for once more, then asked again."""
    from playwright.sync_api import Error

    try:
        page.screenshot(path=str(path))
    except Error as e:
        if "Unable to capture screenshot" not in str(e):
            raise
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(200)
        page.screenshot(path=str(path))
