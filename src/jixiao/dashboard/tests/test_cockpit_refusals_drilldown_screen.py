"""The cockpit refuses in words, lists every object of an indicator a page at a time when the chart
shows only the ends, and its meeting-room display has titles readable across the room."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from jixiao.dashboard import panels, views

pytestmark = pytest.mark.django_db


def test_a_refused_user_is_told_who_the_cockpit_is_for(filled: Any, client: Any) -> None:
    client.force_login(filled.reporter)
    resp = client.get("/cockpit/mini-2024/town/")
    assert resp.status_code == 403 and "领导驾驶舱只对绩效办和领导开放" in resp.content.decode()


def test_a_long_indicator_list_is_paginated_below_its_chart(filled: Any, scope: Any, client: Any,
                                                            monkeypatch: Any) -> None:
    from jixiao.collection.tests.scaling import grow

    grow(filled, scope, 5)  # 7 towns
    monkeypatch.setattr(panels, "ENDS", 2)  # the chart: the best 2 and the worst 2
    monkeypatch.setattr(views, "DRILL_PAGE", 3)
    client.force_login(filled.office)
    first = client.get("/cockpit/mini-2024/town/indicator/gdp/?screen=1").content.decode()
    last = client.get("/cockpit/mini-2024/town/indicator/gdp/?page=3").content.decode()
    assert "完整名单见下方全部单位表" in first

    def listed(html: str) -> list[str]:
        table = html.split('id="all-objects-table"')[1].split("</table>")[0]
        return re.findall(r'<tr><td><a href="[^"]+">([^<]+)</a>', table)

    assert len(listed(first)) == 3 and len(listed(last)) == 1
    assert "第 1 / 3 页，共 7 条" in first and 'href="?screen=1&amp;page=2" rel="next"' in first
    names = listed(first) + listed(client.get("/cockpit/mini-2024/town/indicator/gdp/?page=2").content.decode()) \
        + listed(last)
    assert len(set(names)) == 7


def test_a_short_indicator_list_has_no_second_table(filled: Any, client: Any) -> None:
    client.force_login(filled.office)
    assert 'id="all-objects"' not in client.get("/cockpit/mini-2024/town/indicator/gdp/").content.decode()


def test_the_meeting_room_display_has_big_titles(filled: Any, client: Any) -> None:
    client.force_login(filled.office)
    assert 'class="cockpit screen"' in client.get("/cockpit/mini-2024/town/?screen=1").content.decode()
    css = (Path(panels.__file__).parent / "static" / "dashboard" / "cockpit.css").read_text(encoding="utf-8")
    sizes = dict(re.findall(r"\.cockpit\.screen ([^,{]+?)[,{][^}]*?font-size: ([\d.]+)rem", css))
    assert float(sizes[".cockpit-head h2"]) >= 2.4 and float(sizes[".chart-card figcaption strong"]) >= 1.4


def test_units_short_of_their_values_come_a_page_at_a_time(filled: Any, client: Any, monkeypatch: Any) -> None:
    client.force_login(filled.office)
    html = client.get("/cockpit/mini-2024/town/").content.decode()
    short = int(html.split('id="kpi-unreported">')[1].split("<")[0])
    assert short >= 2  # the cast's data leaves some units short in the current period
    monkeypatch.setattr(views, "DRILL_PAGE", 1)
    html = client.get("/cockpit/mini-2024/town/").content.decode()
    table = html.split('id="unreported"')[1].split("</article>")[0]
    assert table.count("<tr><td>") == 1 and "第 1 / " in table and 'rel="next"' in table


def test_the_display_mode_link_switches_both_ways(filled: Any, client: Any) -> None:
    client.force_login(filled.office)

    def link(url: str) -> str:
        return client.get(url).content.decode().split('id="screen-link"')[0].rsplit('href="', 1)[1].split('"')[0]

    on = link("/cockpit/mini-2024/town/")
    assert "screen=1" in on
    off = link("/cockpit/mini-2024/town/" + on.replace("&amp;", "&"))
    assert "screen=1" not in off and "asof=" in off
