"""Extensions: the lead unit asks, the leader in charge decides; the deadline moves only on approval."""

from __future__ import annotations

import datetime as dt

import pytest

from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.supervision.models import Extension, Matter
from jixiao.supervision.selectors import extensions_pending, lights_for
from jixiao.supervision.services import extension_decide, extension_request, matter_sign

pytestmark = pytest.mark.django_db


def test_approved_extension_moves_the_deadline_and_the_light(sv):
    c = sv.cast
    m = matter_sign(actor=c.reporter, scope=sv.scope(c.reporter), matter=sv.east_task)
    m.milestones.update(done_on=dt.date(2026, 3, 14))
    sv.travel(dt.date(2026, 3, 29))
    assert lights_for([m.pk])[m.pk] == "yellow"
    ext = extension_request(actor=c.reporter, scope=sv.scope(c.reporter), matter=m,
                            new_deadline=dt.date(2026, 4, 30), reason="拆迁协商未完成")
    with pytest.raises(ServiceError, match="审批中"):
        extension_request(actor=c.reporter, scope=sv.scope(c.reporter), matter=m,
                          new_deadline=dt.date(2026, 5, 30), reason="再延")
    assert list(extensions_pending(scope=sv.scope(c.leader))) == [ext]
    assert list(extensions_pending(scope=sv.scope(c.reporter))) == []
    with pytest.raises(NotAllowed):
        extension_decide(actor=c.office, scope=sv.scope(c.office), extension=ext, approve=True)
    extension_decide(actor=c.leader, scope=sv.scope(c.leader), extension=ext, approve=True)
    m.refresh_from_db()
    assert m.deadline == dt.date(2026, 4, 30) and m.original_deadline == dt.date(2026, 3, 31)
    assert lights_for([m.pk])[m.pk] == "green"
    with pytest.raises(ServiceError, match="不能重复审批"):
        extension_decide(actor=c.leader, scope=sv.scope(c.leader), extension=ext, approve=False, note="x")


def test_refusal_needs_a_reason_and_keeps_the_deadline(sv):
    c, m = sv.cast, sv.east_task
    ext = extension_request(actor=c.reporter, scope=sv.scope(c.reporter), matter=m,
                            new_deadline=dt.date(2026, 4, 15), reason="人手不足")
    with pytest.raises(ServiceError, match="理由"):
        extension_decide(actor=c.leader, scope=sv.scope(c.leader), extension=ext, approve=False)
    extension_decide(actor=c.leader, scope=sv.scope(c.leader), extension=ext, approve=False, note="按期完成")
    m.refresh_from_db()
    assert m.deadline == dt.date(2026, 3, 31)
    assert Extension.objects.get(pk=ext.pk).status == Extension.Status.REFUSED


def test_past_the_years_end_only_with_the_leaders_approval(sv):
    c, m = sv.cast, sv.east_task
    ext = extension_request(actor=c.reporter, scope=sv.scope(c.reporter), matter=m,
                            new_deadline=dt.date(2027, 1, 20), reason="跨年度工程")
    assert "跨年度" in m.steps.last().note
    m.refresh_from_db()
    assert m.deadline == dt.date(2026, 3, 31)  # nothing moves without the approval
    extension_decide(actor=c.leader, scope=sv.scope(c.leader), extension=ext, approve=True)
    m.refresh_from_db()
    assert m.deadline == dt.date(2027, 1, 20) and m.year == 2026


def test_new_deadline_must_be_later(sv):
    c, m = sv.cast, sv.east_task
    with pytest.raises(ServiceError, match="须晚于") as e:
        extension_request(actor=c.reporter, scope=sv.scope(c.reporter), matter=m, new_deadline=dt.date(2026, 3, 31),
                          reason="x")
    assert e.value.field == "new_deadline"


def test_other_units_cannot_ask(sv):
    c = sv.cast
    with pytest.raises(NotAllowed):
        extension_request(actor=c.reporter, scope=sv.scope(c.reporter), matter=sv.west_task,
                          new_deadline=dt.date(2026, 4, 30), reason="x")
    assert Matter.objects.get(pk=sv.west_task.pk).extensions.count() == 0
