"""Bad input to matters is refused with a clear message naming the field, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from jixiao.core.errors import NotAllowed, ServiceError, StaleEdit
from jixiao.supervision.models import Matter, Step
from jixiao.supervision.services import matter_assign, matter_register, matter_update

from .conftest import make_input

pytestmark = pytest.mark.django_db


def refused(sv, data, match, field):
    before = (Matter.objects.count(), Step.objects.count())
    with pytest.raises(ServiceError, match=match) as e:
        matter_register(actor=sv.cast.office, scope=sv.scope(sv.cast.office), data=data)
    assert e.value.field == field
    assert (Matter.objects.count(), Step.objects.count()) == before


def test_co_unit_equal_to_the_lead_unit(sv):
    c = sv.cast
    refused(sv, make_input(c, title="x", lead=c.east, co=(c.east,), deadline=dt.date(2026, 4, 1)),
            "协办单位“东镇”与主办单位相同", "co_units")


def test_deadline_already_past(sv):
    c = sv.cast
    refused(sv, make_input(c, title="x", lead=c.east, deadline=dt.date(2026, 3, 1)), "已过", "deadline")


def test_milestone_after_the_deadline(sv):
    c = sv.cast
    refused(sv, make_input(c, title="x", lead=c.east, deadline=dt.date(2026, 4, 1),
                           milestones=(("中期", dt.date(2026, 4, 2)),)), "晚于办结时限", "milestones")


def test_empty_title(sv):
    c = sv.cast
    refused(sv, make_input(c, title="  ", lead=c.east, deadline=dt.date(2026, 4, 1)), "事项名称", "title")


def test_deadline_before_the_assignment_date(sv):
    """Registered in time, but assigned only after its deadline has passed."""
    c = sv.cast
    sv.travel(dt.date(2026, 3, 20))
    with pytest.raises(ServiceError, match="早于交办日期") as e:
        matter_assign(actor=c.office, scope=sv.scope(c.office), matter=sv.draft, today=dt.date(2026, 7, 1))
    assert e.value.field == "deadline"
    sv.draft.refresh_from_db()
    assert sv.draft.state == Matter.State.REGISTERED


def test_assigned_deadline_moves_only_by_extension(sv):
    c, m = sv.cast, sv.east_task
    data = make_input(c, title=m.title, lead=c.east, co=(c.west,), leader=c.leader, deadline=dt.date(2026, 4, 30))
    with pytest.raises(ServiceError, match="延期申请") as e:
        matter_update(actor=c.office, scope=sv.scope(c.office), matter=m, data=data)
    assert e.value.field == "deadline"


def test_past_the_years_end_without_approval(sv):
    c = sv.cast
    data = make_input(c, title="跨年", lead=c.east, deadline=dt.date(2027, 1, 15))
    with pytest.raises(ServiceError, match="超出 2026 年度"):
        matter_register(actor=c.office, scope=sv.scope(c.office), data=data, year=2026)
    # before assignment the office may still move the draft, but not past its year either
    with pytest.raises(ServiceError, match="跨年度"):
        matter_update(actor=c.office, scope=sv.scope(c.office), matter=sv.draft,
                      data=make_input(c, title="筹备防汛演练", lead=c.east, deadline=dt.date(2027, 1, 5)))


def test_stale_edit_is_refused(sv):
    c, m = sv.cast, sv.draft
    office = sv.scope(c.office)
    data = make_input(c, title="改一次", lead=c.east, deadline=m.deadline)
    matter_update(actor=c.office, scope=office, matter=m, data=data, expected_version=m.version)
    with pytest.raises(StaleEdit):
        matter_update(actor=c.office, scope=office, matter=m, data=data, expected_version=m.version)


def test_only_the_office_edits_and_assigns(sv):
    c = sv.cast
    data = make_input(c, title="x", lead=c.east, deadline=dt.date(2026, 4, 1))
    for user in (c.reporter, c.outsider, c.stats):
        with pytest.raises(NotAllowed):
            matter_update(actor=user, scope=sv.scope(user), matter=sv.draft, data=data)
        with pytest.raises(NotAllowed):
            matter_assign(actor=user, scope=sv.scope(user), matter=sv.draft)
    with pytest.raises(NotAllowed):
        matter_register(actor=c.reporter, scope=sv.scope(c.reporter), data=data)


def test_a_leader_may_register_his_instruction(sv):
    c = sv.cast
    m = matter_register(actor=c.leader, scope=sv.scope(c.leader),
                        data=make_input(c, title="领导批示事项", lead=c.east, deadline=dt.date(2026, 5, 1),
                                        source=Matter.Source.LEADER, leader=c.leader))
    assert m.state == Matter.State.REGISTERED and m.created_by == c.leader


def test_numbers_are_sequential_per_kind_and_year(sv):
    c = sv.cast
    office = sv.scope(c.office)
    z1 = matter_register(actor=c.office, scope=office, data=make_input(
        c, title="整改一", lead=c.west, deadline=dt.date(2026, 5, 1), kind=Matter.Kind.RECTIFICATION,
        source=Matter.Source.INSPECTION))
    z2 = matter_register(actor=c.office, scope=office, data=make_input(
        c, title="整改二", lead=c.west, deadline=dt.date(2026, 5, 1), kind=Matter.Kind.RECTIFICATION))
    assert (z1.number, z2.number) == ("ZG-2026-0001", "ZG-2026-0002")
    assert sv.draft.number == "DB-2026-0003"
