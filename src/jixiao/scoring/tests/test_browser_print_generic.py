"""print.css on any page, not only the results: on paper the controls go (top bar, .no-print and
the older .noprint, forms, buttons, messages), a .print-only element appears, a chart prints at a
fixed width with its canvas scaled to it, and a chart's data table folded in
<details class="chart-data-wrap"> prints open."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = """<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">
<link rel="stylesheet" href="{base}/static/vendor/pico.min.css">
<link rel="stylesheet" href="{base}/static/jixiao/app.css">
<link rel="stylesheet" href="{base}/static/jixiao/print.css" media="print"></head>
<body><header class="topbar"><nav><a href="/">绩效考核督办系统</a></nav></header>
<main class="container-fluid">
<div class="messages"><p class="msg">已保存</p></div>
<h2 id="title">驾驶舱</h2>
<p class="no-print" id="a">屏幕上的说明</p><p class="noprint" id="b">旧写法</p>
<p class="print-only" id="c" hidden>打印时间：2024-12-31</p>
<form id="filters"><select name="x"><option>全部</option></select><button>筛选</button></form>
<div class="chart" id="chart" style="width: 1200px; height: 400px">
  <div style="position: relative; width: 1200px; height: 400px">
    <canvas width="1200" height="400"
            style="position: absolute; left: 0; top: 0; width: 1200px; height: 400px"></canvas>
  </div>
</div>
<details class="chart-data-wrap" id="wrap"><summary>数据表</summary>
<table class="chart-data" id="data"><thead><tr><th>单位</th><th>得分</th></tr></thead>
<tbody><tr><td>东镇</td><td>88.5</td></tr></tbody></table></details>
</main></body></html>"""


def test_generic_print_rules(page: Any) -> None:
    page.set_content(PAGE.format(base=page.base), wait_until="load")
    assert not page.locator("#data").is_visible()  # folded on screen
    assert page.locator("#a").is_visible() and not page.locator("#c").is_visible()

    page.emulate_media(media="print")
    for hidden in ("header.topbar", ".messages", "#a", "#b", "#filters", "button"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("#title", "#c", "#chart", "#wrap", "#data", "#data td >> nth=0"):
        assert page.locator(shown).is_visible(), shown
    # The chart takes its fixed 170 mm (A4 portrait leaves 186 mm between the margins), the canvas
    # fills it and keeps the 3:1 shape it was drawn with.
    chart = page.locator("#chart").bounding_box()
    canvas = page.locator("#chart canvas").bounding_box()
    assert chart is not None and canvas is not None
    assert abs(chart["width"] - 170 / 25.4 * 96) < 2
    assert abs(canvas["width"] - chart["width"]) < 2
    assert abs(canvas["width"] / canvas["height"] - 3) < 0.05
    assert page.locator("#data th").first.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    table = page.locator("#data tbody tr").bounding_box()
    main = page.locator("main").bounding_box()
    assert table is not None and main is not None
    assert abs(table["width"] - main["width"]) < 2  # the data table's rows span the page, as every table's
