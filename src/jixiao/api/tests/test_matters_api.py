"""Matters over the API: scoped like the pages, with computed lights."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db




def test_lists_are_scoped_and_carry_lights(api, sv):
    c = sv.cast
    rows = api(c.office).get("/api/matters/").json()["results"]
    assert {r["title"]: r["light"] for r in rows} == {
        "推进老旧小区改造": "green", "整治道路扬尘": "yellow", "筹备防汛演练": "waiting"}
    east = api(c.reporter).get("/api/matters/").json()["results"]
    assert sorted(r["title"] for r in east) == ["推进老旧小区改造", "筹备防汛演练"]
    assert api(c.outsider).get("/api/matters/").json()["results"] == []
    assert api().get("/api/matters/").status_code in (401, 403)
    yellow = api(c.office).get("/api/matters/?light=yellow").json()["results"]
    assert [r["lead_unit"] for r in yellow] == ["west"]


def test_detail_has_the_chain_and_hides_other_units(api, sv):
    c = sv.cast
    got = api(c.reporter).get(f"/api/matters/{sv.east_task.pk}/").json()
    assert [s["action"] for s in got["steps"]] == ["register", "assign"]
    assert got["co_units"] == ["west"] and got["materials"] == ["改造方案", "验收报告"]
    assert api(c.reporter).get(f"/api/matters/{sv.west_task.pk}/").status_code == 404


def test_rows_carry_names_and_the_reason_of_the_light(api, sv):
    """Codes for machines, names for people, and the light's reason from the one rule the pages use."""
    c = sv.cast
    rows = {r["title"]: r for r in api(c.office).get("/api/matters/").json()["results"]}
    west = rows["整治道路扬尘"]
    assert (west["lead_unit"], west["lead_unit_name"], west["state_label"]) == ("west", "西镇", "已交办")
    assert (west["light"], west["light_label"]) == ("yellow", "黄灯")
    assert west["light_reason"] == "距办结时限还有2天（预警阈值3天）" and west["overdue_days"] == 0
    east = rows["推进老旧小区改造"]
    assert east["co_units"] == ["west"] and east["co_unit_names"] == ["西镇"] and east["leader_name"] == "leader"
