"""A failed e-mail is kept with its error and retried by the next run; once it goes through it is
sent; after JIXIAO_NOTIFY_ATTEMPTS failures it stays failed and shows on the deliveries page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from jixiao.supervision.models import Delivery
from jixiao.supervision.services.reminders import deliveries_send, reminders_run


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError(111, "Connection refused")


FAILING = f"{__name__}.RefusingBackend"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


def _setup(sv: Any, settings: Any) -> None:
    settings.JIXIAO_NOTIFY_CHANNELS = ["inapp", "email"]
    settings.JIXIAO_NOTIFY_ATTEMPTS = 3
    sv.cast.reporter.email = "east@example.org"
    sv.cast.reporter.save()
    sv.travel(date(2026, 3, 13))  # east_task yellow


def test_failed_email_is_recorded_then_retried_and_sent(sv: Any, settings: Any) -> None:
    _setup(sv, settings)
    settings.EMAIL_BACKEND = FAILING
    summary = reminders_run()
    email = Delivery.objects.get(channel="email")
    assert (summary.sent, summary.failed) == (0, 1)
    assert (email.status, email.attempts) == ("failed", 1)
    assert "Connection refused" in email.last_error and email.last_attempt_at is not None and email.sent_at is None

    settings.EMAIL_BACKEND = WORKING
    sv.travel(date(2026, 3, 14))
    again = reminders_run()  # issues nothing new, retries the failed delivery
    email.refresh_from_db()
    assert (again.issued, again.sent, again.failed) == (0, 1, 0)
    assert (email.status, email.attempts, email.last_error) == ("sent", 2, "")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["east@example.org"]
    assert deliveries_send() == (0, 0)  # nothing left to send


def test_out_of_attempts_stays_failed_and_is_listed(sv: Any, settings: Any, client: Any) -> None:
    _setup(sv, settings)
    settings.EMAIL_BACKEND = FAILING
    reminders_run()
    assert deliveries_send() == (0, 1)
    assert deliveries_send() == (0, 1)
    assert deliveries_send() == (0, 0)  # three attempts spent: not tried again
    email = Delivery.objects.get(channel="email")
    assert (email.status, email.attempts) == ("failed", 3)
    settings.EMAIL_BACKEND = WORKING
    assert deliveries_send() == (0, 0) and mail.outbox == []

    client.force_login(sv.cast.office)
    page = client.get("/supervision/deliveries/?status=failed").content.decode()
    assert "east@example.org" in page and "Connection refused" in page and "已用尽重试次数" in page
    assert "3/3" in page
