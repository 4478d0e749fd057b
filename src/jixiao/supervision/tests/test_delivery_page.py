"""The deliveries page (送达记录): failed deliveries first with their attempts and errors, a status
filter, and 「重试」 giving a failed delivery fresh attempts and sending it at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from jixiao.supervision.models import Delivery
from jixiao.supervision.services.reminders import reminders_run

URL = "/supervision/deliveries/"


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise OSError("mail server down")


def _failed_email(sv: Any, settings: Any) -> Delivery:
    settings.JIXIAO_NOTIFY_CHANNELS = ["inapp", "email"]
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    sv.cast.reporter.email = "east@example.org"
    sv.cast.reporter.save()
    sv.travel(date(2026, 3, 13))
    reminders_run()
    return Delivery.objects.get(channel="email")


def test_failed_first_and_filter(sv: Any, settings: Any, client: Any) -> None:
    _failed_email(sv, settings)
    client.force_login(sv.cast.office)
    page = client.get(URL).content.decode()
    rows = page[page.index('id="deliveries"'):]
    assert rows.index("delivery-failed") < rows.index("delivery-sent")
    assert "mail server down" in rows and "1/5" in rows and "DB-2026-0001" in rows
    only_sent = client.get(URL + "?status=sent").content.decode()
    assert "delivery-sent" in only_sent and "delivery-failed" not in only_sent


def test_retry_sends_again(sv: Any, settings: Any, client: Any) -> None:
    delivery = _failed_email(sv, settings)
    client.force_login(sv.cast.office)
    response = client.post(f"{URL}{delivery.pk}/retry")  # still failing
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)  # fresh attempts, one spent again
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(f"{URL}{delivery.pk}/retry")
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(mail.outbox) == 1
    response = client.post(f"{URL}{delivery.pk}/retry", follow=True)  # nothing to retry any more
    assert "无须重试" in response.content.decode()


def test_only_the_office(sv: Any, settings: Any, client: Any) -> None:
    delivery = _failed_email(sv, settings)
    for user in (sv.cast.reporter, sv.cast.leader):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(f"{URL}{delivery.pk}/retry").status_code == 403
    delivery.refresh_from_db()
    assert delivery.attempts == 1
