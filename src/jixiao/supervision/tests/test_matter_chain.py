"""A matter walks its chain: assigned → signed → feedback → report → returned → report → checked → closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.audit.models import AuditEntry
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.supervision.models import Matter
from jixiao.supervision.selectors import lights_for
from jixiao.supervision.services import (
    matter_check,
    matter_close,
    matter_feedback,
    matter_sign,
)

pytestmark = pytest.mark.django_db


def pdf(name: str = "报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def test_the_whole_chain(sv):
    c, m = sv.cast, sv.east_task
    rep, office = sv.scope(c.reporter), sv.scope(c.office)
    assert m.state == Matter.State.ASSIGNED and m.assigned_on == dt.date(2026, 3, 2)
    assert m.number.startswith("DB-2026-")
    m = matter_sign(actor=c.reporter, scope=rep, matter=m)
    assert m.state == Matter.State.SIGNED
    ms = m.milestones.get()
    fb = matter_feedback(actor=c.reporter, scope=rep, matter=m, unit=c.east, text="摸底完成", progress=30,
                         milestone=ms, uploads=[pdf("摸底.pdf")])
    assert fb.attachments.count() == 1
    m.refresh_from_db()
    assert m.state == Matter.State.IN_PROGRESS and m.last_feedback_on == dt.date(2026, 3, 2)
    ms.refresh_from_db()
    assert ms.done_on == dt.date(2026, 3, 2)
    with pytest.raises(ServiceError, match="报送资料"):
        matter_feedback(actor=c.reporter, scope=rep, matter=m, unit=c.east, text="已完成", final=True)
    matter_feedback(actor=c.reporter, scope=rep, matter=m, unit=c.east, text="已完成", final=True, uploads=[pdf()])
    m.refresh_from_db()
    assert m.state == Matter.State.REPORTED and m.completed_on == dt.date(2026, 3, 2)
    with pytest.raises(ServiceError, match="理由"):
        matter_check(actor=c.office, scope=office, matter=m, passed=False)
    m = matter_check(actor=c.office, scope=office, matter=m, passed=False, reason="验收报告未盖章")
    assert m.state == Matter.State.RETURNED and m.return_count == 1 and m.completed_on is None
    assert lights_for([m.pk])[m.pk] == "red"
    sv.travel(dt.date(2026, 3, 10))
    matter_feedback(actor=c.reporter, scope=rep, matter=m, unit=c.east, text="已补盖章", final=True, uploads=[pdf()])
    m = matter_check(actor=c.office, scope=office, matter=Matter.objects.get(pk=m.pk), passed=True)
    assert m.state == Matter.State.CHECKED
    m = matter_close(actor=c.leader, scope=sv.scope(c.leader), matter=m)
    assert m.state == Matter.State.CLOSED and m.closed_on == dt.date(2026, 3, 10)
    assert lights_for([m.pk])[m.pk] == "done"
    assert list(m.steps.values_list("action", flat=True)) == [
        "register", "assign", "sign", "feedback", "report", "check_return", "report", "check_pass", "close"]
    on_matter = AuditEntry.objects.filter(target="supervision.matter", target_id=str(m.pk))
    assert sorted(on_matter.values_list("action", flat=True)) == sorted([
        "matter_register", "matter_assign", "matter_sign", "matter_check_return", "matter_check_pass", "matter_close"])
    reports = AuditEntry.objects.filter(target="supervision.feedback", target_id__in=[
        str(pk) for pk in m.feedback.values_list("pk", flat=True)])
    assert sorted(reports.values_list("action", flat=True)) == ["matter_feedback", "matter_report", "matter_report"]


def test_closed_matter_cannot_change(sv):
    from jixiao.supervision.services import matter_update

    from .conftest import make_input

    c, m = sv.cast, sv.west_task
    m.state = Matter.State.CLOSED
    m.save()
    with pytest.raises(ServiceError, match="已办结"):
        matter_update(actor=c.office, scope=sv.scope(c.office), matter=m,
                      data=make_input(c, title="改名", lead=c.west, deadline=m.deadline))


def test_a_co_unit_feeds_back_but_does_not_report_completion(sv):
    from jixiao.org.models import RoleGrant
    from jixiao.org.services import account_create, grant_add

    c, m = sv.cast, sv.east_task
    w = account_create(actor=None, username="west_rep", password="cast-password-1", display_name="west")
    grant_add(actor=None, user=w, role=RoleGrant.Role.UNIT_REPORTER, unit=c.west)
    ws = sv.scope(w)
    with pytest.raises(NotAllowed):
        matter_sign(actor=w, scope=ws, matter=m)
    matter_sign(actor=c.reporter, scope=sv.scope(c.reporter), matter=m)
    matter_feedback(actor=w, scope=ws, matter=m, unit=c.west, text="协办进展")
    with pytest.raises(NotAllowed):
        matter_feedback(actor=w, scope=ws, matter=m, unit=c.west, text="完成", final=True, uploads=[pdf()])
