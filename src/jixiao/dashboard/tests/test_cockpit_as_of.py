"""The cockpit as of a checkpoint: the schedule is the share of the periods that have ended, the
trend stops there, and the ranking shows its movement since the checkpoint before."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.dashboard.tests.conftest import COCKPIT
from jixiao.dashboard.tests.helpers import specs

pytestmark = pytest.mark.django_db


def test_first_quarter_is_a_quarter_of_the_year(filled: Any, client: Any) -> None:
    client.force_login(filled.office)
    html = client.get(COCKPIT + "?asof=2024-03-31").content.decode()
    charts = specs(html)
    assert charts["ranking"]["mark"] == ["时序进度", 25.0]
    assert [r[0] for r in charts["trend"]["rows"]] == ["2024年第一季度"]
    assert {r[4] for r in charts["ranking"]["rows"]} == {"—"}  # nothing to compare with yet
    # 东镇's 地区生产总值: 40 of a target of 100 → 16 of 40 points in Q1, a quarter of the year's weight.
    objects = specs(client.get(COCKPIT + "indicator/gdp/?asof=2024-03-31").content.decode())["objects"]["rows"]
    east = next(r for r in objects if r[0] == "东镇")
    assert east[1:5] == [10.0, 4.0, 40.0, "滞后"]
    assert "2024-Q1 16 × 25%" in east[5]


def test_mid_year_shows_the_movement_since_the_first_quarter(filled: Any, client: Any) -> None:
    client.force_login(filled.office)
    charts = specs(client.get(COCKPIT + "?asof=2024-06-30").content.decode())
    assert charts["ranking"]["mark"] == ["时序进度", 50.0]
    assert [r[0] for r in charts["trend"]["rows"]] == ["2024年第一季度", "2024年第二季度"]
    assert {r[4] for r in charts["ranking"]["rows"]} <= {"0", "↑1", "↓1"}
    assert all(r[4] != "—" for r in charts["ranking"]["rows"])
    trend = charts["trend"]["rows"]
    assert trend[0][1] == 25.0 and trend[1][1] == 50.0
    assert trend[1][2] > trend[0][2]  # more of the year's points are secured by mid-year


def test_a_bad_day_falls_back_to_the_latest_checkpoint(filled: Any, client: Any) -> None:
    client.force_login(filled.office)
    html = client.get(COCKPIT + "?asof=not-a-day").content.decode()
    assert "2024年12月31日" in html
