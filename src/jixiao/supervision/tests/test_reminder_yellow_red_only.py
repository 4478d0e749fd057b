"""The reminder run issues a notice (with its step, audit entry and deliveries) for yellow and red
matters only: green, waiting and closed matters get none."""

from __future__ import annotations

from typing import Any

from jixiao.audit.models import AuditEntry
from jixiao.supervision.models import Delivery, Notice, Step
from jixiao.supervision.services.reminders import reminders_run


def test_only_yellow_and_red_matters_get_a_notice(sv: Any) -> None:
    summary = reminders_run()

    assert (summary.open, summary.yellow, summary.red, summary.issued) == (2, 1, 0, 1)
    notice = Notice.objects.get()
    assert notice.matter_id == sv.west_task.pk  # yellow: deadline 03-04 within 3 days
    assert (notice.sequence, notice.light, notice.escalated, notice.unit_id) == (1, "yellow", False, sv.cast.west.pk)
    assert notice.issued_on.isoformat() == "2026-03-02" and notice.issued_by is None
    assert "第1次催办" in notice.message and "整治道路扬尘" in notice.message
    assert "2026-03-04" in notice.message and "黄灯" in notice.message
    assert not Notice.objects.filter(matter__in=[sv.east_task, sv.draft]).exists()
    step = Step.objects.get(matter=sv.west_task, action="remind")
    assert step.on.isoformat() == "2026-03-02" and "第1次催办" in step.note
    assert AuditEntry.objects.filter(action="notice_issue", target_id=str(notice.pk)).exists()


def test_red_matter_gets_a_red_notice_naming_the_days_overdue(sv: Any) -> None:
    from datetime import date

    sv.travel(date(2026, 3, 6))  # west_task two days past its deadline
    reminders_run()
    notice = Notice.objects.get(matter=sv.west_task)
    assert notice.light == "red" and "已逾期2天" in notice.message


def test_unit_members_receive_it_in_app(sv: Any) -> None:
    from datetime import date

    sv.travel(date(2026, 3, 13))  # east_task: its milestone (03-15) is within 3 days → yellow
    reminders_run()
    notice = Notice.objects.get(matter=sv.east_task)
    inapp = Delivery.objects.get(notice=notice, channel="inapp")
    assert inapp.recipient == sv.cast.reporter and inapp.status == "sent" and inapp.sent_at is not None
