"""In a real browser (headless Chromium), the county leader opens the cockpit of the demo: every
chart is drawn from exactly the rows of its data table, the ranking table is the results' ranking,
a click on a bar drills down to the unit, then to an indicator's values and their evidence; the
PNG export, full-screen and the meeting-room display work; a screenshot is kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import browser_login

from jixiao.scoring.models import Result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART_DATA = """key => {
  const el = document.getElementById('chart-' + key);
  const opt = echarts.getInstanceByDom(el).getOption();
  return opt.series.map(s => s.data.map(d => (d !== null && typeof d === 'object') ? d.value : d));
}"""


def _table(page: Any, key: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"#data-{key} tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))")


def _number(text: str) -> float:
    return float(text)


def test_leader_reads_the_cockpit_and_drills_down_to_evidence(demo: Any, page: Any, tmp_path: Path) -> None:
    browser_login(page, "leader", demo.password)
    page.goto(page.base + "/cockpit/")
    page.wait_for_url("**/cockpit/zhengding-2024/xiangzhen/**")
    page.wait_for_function("document.querySelectorAll('.chart[data-drawn]').length === 5")

    # Each chart drew what its table lists, series by series.
    for key, series_cols in {"progress": [2, 3], "ranking": [2], "trend": [1, 2, 3, 4], "matters": [1, 2]}.items():
        drawn = page.evaluate(CHART_DATA, key)
        rows = _table(page, key)
        assert rows, key
        for s, col in enumerate(series_cols):
            assert drawn[s] == [_number(r[col]) for r in rows], (key, col)
    grades = page.evaluate(CHART_DATA, "grades")[0]
    assert grades == [int(r[1]) for r in _table(page, "grades")]
    assert sum(grades) == 7

    # The ranking table is the results' ranking (the year is over: progress is the final score).
    results = {r.object.name: r for r in Result.objects.filter(category="xiangzhen").select_related("object")}
    ranking = _table(page, "ranking")
    assert len(ranking) == 7
    for rank, name, _completion, secured, *_ in ranking:
        assert int(rank) == results[name].rank and float(secured) == results[name].total
    page.screenshot(path=str(tmp_path / "cockpit.png"), full_page=True)
    assert (tmp_path / "cockpit.png").stat().st_size > 50_000

    # PNG export of a chart.
    with page.expect_download() as dl:
        page.click("[data-png=ranking]")
    png = Path(dl.value.path()).read_bytes()
    assert png.startswith(b"\x89PNG") and dl.value.suggested_filename == "进度排名.png"

    # Drill: a click on 南牛乡's bar opens its page.
    index = next(i for i, row in enumerate(ranking) if row[1] == "南牛乡")
    page.locator("#chart-ranking").scroll_into_view_if_needed()
    x, y = page.evaluate("""i => {
        const el = document.getElementById('chart-ranking');
        const c = echarts.getInstanceByDom(el);
        const v = c.getOption().series[0].data[i].value;
        const [px, py] = c.convertToPixel({seriesIndex: 0}, [i, v / 2]);
        const box = el.getBoundingClientRect();
        return [box.left + px, box.top + py];
    }""", index)
    page.mouse.click(x, y)
    page.wait_for_url("**/unit/nanniu/**")
    assert page.locator("h2").first.inner_text() == "南牛乡"
    page.wait_for_function("document.querySelectorAll('.chart[data-drawn]').length === 2")
    drawn = page.evaluate(CHART_DATA, "indicators")
    rows = _table(page, "indicators")
    assert drawn[0] == [_number(r[1]) for r in rows]

    # … then the indicator the unit reports itself, with its values and the evidence behind them.
    page.click("#data-indicators a:text('农村生活垃圾集中处理覆盖村数')")
    page.wait_for_url("**/results/zhengding-2024/object/nanniu/#ind-ljcl")
    assert page.evaluate("document.querySelector(':target').dataset.node") == "ljcl"
    row = page.locator("#trace tr[data-node=ljcl]")
    link = row.locator("a", has_text="南牛乡村级保洁台账")
    assert link.count() == 1
    response = page.request.get(page.base + link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")


def test_full_screen_and_the_meeting_room_display(demo: Any, page: Any) -> None:
    browser_login(page, "leader", demo.password)
    page.goto(page.base + "/cockpit/zhengding-2024/bumen/")
    page.wait_for_function("document.querySelectorAll('.chart[data-drawn]').length === 5")
    assert page.locator("header.topbar").is_visible()
    page.click("#fullscreen")
    page.wait_for_selector(".cockpit.fullscreen")
    # The meeting-room display: no site chrome, dark, the same charts, refreshed every five minutes.
    page.goto(page.base + "/cockpit/zhengding-2024/bumen/?screen=1")
    page.wait_for_function("document.querySelectorAll('.chart[data-drawn]').length === 5")
    assert not page.locator("header.topbar").is_visible()
    assert page.locator("meta[http-equiv=refresh]").get_attribute("content") == "300"
    assert len(_table(page, "ranking")) == 32
    # Links keep the display mode.
    assert "screen=1" in page.locator("#data-ranking a").first.get_attribute("href")
