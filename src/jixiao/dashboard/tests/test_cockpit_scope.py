"""A leader's cockpit counts only the units he oversees: the ranking, the averages, the grade
distribution and the red lights; the ranks stay those of the whole category."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.dashboard.tests.conftest import COCKPIT
from jixiao.dashboard.tests.helpers import specs

pytestmark = pytest.mark.django_db


def test_leader_sees_his_units_and_the_office_all(filled: Any, client: Any) -> None:
    client.force_login(filled.office)
    office = specs(client.get(COCKPIT).content.decode())
    client.force_login(filled.leader)
    leader = specs(client.get(COCKPIT).content.decode())
    assert sorted(r[1] for r in office["ranking"]["rows"]) == ["东镇", "西镇"]
    assert [r[1] for r in leader["ranking"]["rows"]] == ["东镇"]
    east = next(r for r in office["ranking"]["rows"] if r[1] == "东镇")
    assert leader["ranking"]["rows"][0] == east  # same rank, same numbers as in the office's view
    assert sum(r[1] for r in leader["grades"]["rows"]) == 1
    assert sum(r[1] for r in office["grades"]["rows"]) == 2
    # The averages of the progress chart are over the visible units only.
    gdp_office = next(r for r in office["progress"]["rows"] if r[0].strip() == "地区生产总值")
    gdp_leader = next(r for r in leader["progress"]["rows"] if r[0].strip() == "地区生产总值")
    client.force_login(filled.office)
    per_unit = {r[0]: r[1] for r in specs(client.get(COCKPIT + "indicator/gdp/").content.decode())["objects"]["rows"]}
    assert gdp_leader[2] == per_unit["东镇"]
    assert abs(gdp_office[2] - (per_unit["东镇"] + per_unit["西镇"]) / 2) <= 0.1
    assert per_unit["东镇"] != per_unit["西镇"]
