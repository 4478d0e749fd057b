"""A bulletin's snapshot counts each unit's matters by state group and light on the clock of its
as-of date, lists the overdue ones and the units that have not fed back."""

from __future__ import annotations

import datetime as dt

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.supervision.models import Notice
from jixiao.supervision.services import matter_feedback, matter_sign
from jixiao.supervision.services.bulletins import bulletin_create
from jixiao.supervision.tests.conftest import assigned, make_input

pytestmark = pytest.mark.django_db
D = dt.date


def world(sv):
    """On 03-02: 东镇 signs and reports progress on its matter; a rectification item goes to 西镇
    (deadline 03-20). On 03-05 西镇's dust task (deadline 03-04) is one day overdue and has a notice."""
    c = sv.cast
    rep = sv.scope(c.reporter)
    matter_sign(actor=c.reporter, scope=rep, matter=sv.east_task)
    sv.travel(D(2026, 3, 3))
    matter_feedback(actor=c.reporter, scope=rep, matter=sv.east_task, unit=c.east, text="摸底进行中", progress=20)
    rect = assigned(c, make_input(c, title="整改河道垃圾", lead=c.west, deadline=D(2026, 3, 20), kind="rectification",
                                  source="inspection", measures="清运并设立巡查制度"))
    Notice.objects.create(matter=sv.west_task, sequence=1, unit=c.west, light="yellow", issued_on=D(2026, 3, 3),
                          deadline=D(2026, 3, 4), message="请抓紧办理")
    sv.travel(D(2026, 3, 5))
    return rect


def test_counts_per_unit_on_the_as_of_date(sv):
    c = sv.cast
    world(sv)
    b = bulletin_create(actor=c.office, scope=sv.scope(c.office), date_from=D(2026, 3, 1), date_to=D(2026, 3, 5))
    data = b.data
    assert b.title == "督办通报（2026年03月05日）" and b.number == "2026年第1期" and b.status == "draft"
    east, west = data["units"]  # in the unit tree's order; the registered draft is not counted
    assert east["name"] == "东镇" and west["name"] == "西镇"
    assert east["total"] == 1 and east["states"] == {"unsigned": 0, "working": 1, "reported": 0, "returned": 0,
                                                     "done": 0}
    assert (east["green"], east["yellow"], east["red"], east["overdue"]) == (1, 0, 0, 0)
    assert east["fed_back"] is True and east["last_feedback"] == "2026-03-03"
    assert west["total"] == 2 and west["states"]["unsigned"] == 2
    assert (west["green"], west["yellow"], west["red"], west["overdue"]) == (1, 0, 1, 1)
    assert west["fed_back"] is False
    t = data["totals"]
    assert (t["total"], t["green"], t["red"], t["overdue"], t["fed_back"], t["units"]) == (3, 2, 1, 1, 1, 2)
    assert t["states"]["unsigned"] == 2 and t["states"]["working"] == 1
    assert data["overdue"] == [{"number": sv.west_task.number, "title": "整治道路扬尘", "kind": "supervision",
                                "unit": "西镇", "leader": "", "deadline": "2026-03-04", "days": 1, "light": "red",
                                "light_text": "红灯：已逾期1天", "returns": 0, "notices": 1}]
    assert data["not_fed_back"] == [{"code": "west", "name": "西镇", "open": 2, "last_feedback": None}]
    [section] = data["rectification"]
    assert section["name"] == "西镇"
    assert [(i["title"], i["source"], i["light_label"], i["days"]) for i in section["items"]] == [
        ("整改河道垃圾", "查访核验", "绿灯", 0)]
    entry = AuditEntry.objects.get(action="bulletin_create")
    assert entry.target_id == str(b.pk) and entry.after["overdue"] == 1


def test_an_earlier_as_of_date_runs_the_clock_then(sv):
    c = sv.cast
    world(sv)
    b = bulletin_create(actor=c.office, scope=sv.scope(c.office), date_from=D(2026, 3, 1), date_to=D(2026, 3, 2))
    data = b.data
    # On 03-02 the rectification item was not assigned yet, the dust task was yellow, not overdue,
    # and 东镇's feedback of 03-03 had not happened.
    assert [u["name"] for u in data["units"]] == ["东镇", "西镇"]
    assert data["totals"]["total"] == 2 and data["totals"]["yellow"] == 1 and data["overdue"] == []
    assert data["units"][0]["fed_back"] is False
    assert [u["name"] for u in data["not_fed_back"]] == ["东镇", "西镇"]


def test_kind_filter_and_numbering(sv):
    c = sv.cast
    world(sv)
    office = sv.scope(c.office)
    first = bulletin_create(actor=c.office, scope=office, date_from=D(2026, 3, 1), date_to=D(2026, 3, 5),
                            kind="rectification", title="整改通报")
    assert first.title == "整改通报" and first.data["totals"]["total"] == 1
    assert first.data["rectification"] is None  # the whole bulletin is about rectification already
    second = bulletin_create(actor=c.office, scope=office, date_from=D(2026, 3, 1), date_to=D(2026, 3, 5),
                             kind="supervision")
    assert second.number == "2026年第2期" and second.data["totals"]["total"] == 2
    assert second.data["kind_label"] == "督办事项"


def test_bad_requests_are_refused(sv):
    c = sv.cast
    office = sv.scope(c.office)
    with pytest.raises(NotAllowed):
        bulletin_create(actor=c.reporter, scope=sv.scope(c.reporter), date_from=D(2026, 3, 1), date_to=D(2026, 3, 2))
    with pytest.raises(ServiceError, match="晚于截止日期"):
        bulletin_create(actor=c.office, scope=office, date_from=D(2026, 3, 2), date_to=D(2026, 3, 1))
    with pytest.raises(ServiceError, match="晚于今天"):
        bulletin_create(actor=c.office, scope=office, date_from=D(2026, 3, 1), date_to=D(2026, 3, 3))
    with pytest.raises(ServiceError, match="类别"):
        bulletin_create(actor=c.office, scope=office, date_from=D(2026, 3, 1), date_to=D(2026, 3, 2), kind="x")
