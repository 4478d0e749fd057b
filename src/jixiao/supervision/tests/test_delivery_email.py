"""E-mail delivery: recipients with an address get a Chinese e-mail naming the matter and the
reminder; a recipient without one is reached in-app only (and the run counts him)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core import mail

from jixiao.supervision.models import Delivery
from jixiao.supervision.services.reminders import reminders_run


def test_email_goes_to_recipients_with_an_address(sv: Any, settings: Any) -> None:
    settings.JIXIAO_NOTIFY_CHANNELS = ["inapp", "email"]
    settings.JIXIAO_ESCALATE_AFTER = 0  # the first notice already goes to the leader, who has no address
    sv.cast.reporter.email = "east@example.org"
    sv.cast.reporter.save()
    sv.travel(date(2026, 3, 13))  # east_task yellow; west_task red, but 西镇 has nobody to receive it

    summary = reminders_run()

    assert (summary.issued, summary.sent, summary.failed, summary.no_email) == (2, 1, 0, 1)
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["east@example.org"]
    assert "催办通知单（第1次）" in msg.subject and "推进老旧小区改造" in msg.subject
    assert "办结时限：2026-03-31" in msg.body and "第1次催办" in msg.body and "黄灯" in msg.body
    email = Delivery.objects.get(channel="email")
    assert (email.recipient, email.address, email.status, email.attempts) == (
        sv.cast.reporter, "east@example.org", "sent", 1)
    assert email.sent_at is not None and email.last_error == ""
    # The leader has no address: in-app only.
    assert list(Delivery.objects.filter(recipient=sv.cast.leader).values_list("channel", flat=True)) == ["inapp"]


def test_no_email_channel_no_email(sv: Any, settings: Any) -> None:
    settings.JIXIAO_NOTIFY_CHANNELS = ["inapp"]
    sv.cast.reporter.email = "east@example.org"
    sv.cast.reporter.save()
    sv.travel(date(2026, 3, 13))
    reminders_run()
    assert mail.outbox == [] and not Delivery.objects.filter(channel="email").exists()
