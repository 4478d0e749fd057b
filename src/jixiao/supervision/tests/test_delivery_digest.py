"""A recipient's notices of one run go out as one e-mail (a digest), each delivery still recorded
on its own; a single notice keeps the single-notice form."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core import mail

from jixiao.core import clock
from jixiao.supervision.models import Delivery
from jixiao.supervision.services.reminders import reminders_run
from jixiao.supervision.tests.conftest import assigned, make_input


def test_one_email_per_recipient_with_all_his_notices(sv: Any, settings: Any) -> None:
    settings.JIXIAO_NOTIFY_CHANNELS = ["inapp", "email"]
    sv.cast.reporter.email = "east@example.org"
    sv.cast.reporter.save()
    for title in ("清理河道垃圾", "修缮村级道路"):
        assigned(sv.cast, make_input(sv.cast, title=title, lead=sv.cast.east,
                                     deadline=clock.today() + timedelta(days=1)))
    summary = reminders_run()
    assert (summary.issued, summary.sent) == (3, 2)  # west_task's notice has no e-mail recipient
    [msg] = mail.outbox
    assert msg.to == ["east@example.org"] and "催办通知单 2 份" in msg.subject
    assert "1. 第1次催办" in msg.body and "2. 第1次催办" in msg.body
    assert "清理河道垃圾" in msg.body and "修缮村级道路" in msg.body
    emails = Delivery.objects.filter(channel="email")
    assert [(d.status, d.attempts) for d in emails] == [("sent", 1), ("sent", 1)]


def test_digest_is_capped(sv: Any, settings: Any) -> None:
    from jixiao.supervision.channels import EmailChannel

    settings.JIXIAO_NOTIFY_CHANNELS = ["inapp", "email"]
    sv.cast.reporter.email = "east@example.org"
    sv.cast.reporter.save()
    for i in range(3):
        assigned(sv.cast, make_input(sv.cast, title=f"事项{i}", lead=sv.cast.east,
                                     deadline=clock.today() + timedelta(days=1)))
    old = EmailChannel.digest_max
    EmailChannel.digest_max = 2
    try:
        reminders_run(today=date(2026, 3, 2))
    finally:
        EmailChannel.digest_max = old
    assert sorted(len(m.body.split("第1次催办")) - 1 for m in mail.outbox) == [1, 2]
