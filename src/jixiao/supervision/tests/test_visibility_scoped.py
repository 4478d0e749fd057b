"""A unit sees its own matters (lead or co-unit), a leader those he leads or oversees."""

from __future__ import annotations

import pytest

from jixiao.supervision.selectors import matter_rows, matters_visible, tallies

pytestmark = pytest.mark.django_db


def titles(sv, user):
    return sorted(m.title for m in matters_visible(scope=sv.scope(user)))


def test_each_role_sees_its_own(sv):
    c = sv.cast
    everything = sorted(["推进老旧小区改造", "整治道路扬尘", "筹备防汛演练"])
    assert titles(sv, c.office) == everything
    assert titles(sv, c.reporter) == sorted(["推进老旧小区改造", "筹备防汛演练"])  # 东镇 leads both
    assert titles(sv, c.leader) == sorted(["推进老旧小区改造", "筹备防汛演练"])  # in charge / oversees 东镇
    assert titles(sv, c.outsider) == []
    assert titles(sv, c.stats) == []


def test_a_co_unit_sees_the_matter_it_co_handles(sv):
    from jixiao.org.models import RoleGrant
    from jixiao.org.services import account_create, grant_add

    c = sv.cast
    w = account_create(actor=None, username="west_rep", password="cast-password-1", display_name="west")
    grant_add(actor=None, user=w, role=RoleGrant.Role.UNIT_REPORTER, unit=c.west)
    assert titles(sv, w) == sorted(["推进老旧小区改造", "整治道路扬尘"])


def test_rows_carry_lights_and_tallies_count_them(sv):
    c = sv.cast
    rows = matter_rows(scope=sv.scope(c.office))
    assert {r.matter.title: r.light for r in rows} == {
        "推进老旧小区改造": "green", "整治道路扬尘": "yellow", "筹备防汛演练": "waiting"}
    units, leaders = tallies(rows)
    east = next(t for t in units if t.name == "东镇")
    assert (east.total, east.green, east.waiting) == (2, 1, 1)
    assert [t.name for t in units] == ["西镇", "东镇"]  # most yellow first after red
    assert sum(t.total for t in leaders) == 3
