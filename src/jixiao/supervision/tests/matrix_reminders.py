"""Permission-matrix rows (see test_permission_matrix.py): the reminder pages are the office's."""

from __future__ import annotations

from typing import Any

LOGIN = 302


def _office_only(ok: int) -> dict[str, int]:
    return {"anon": LOGIN, "office": ok, "reporter": 403, "leader": 403, "stats": 403, "outsider": 403}


def _failed_delivery(ctx: dict[str, Any]) -> str:
    """A notice with a delivery that failed (the reminder run issues the notice; the failed e-mail
    is written as the send step would have left it)."""
    from jixiao.supervision.models import Delivery, Notice
    from jixiao.supervision.services.reminders import notices_issue

    notices_issue()
    notice = Notice.objects.get(matter_id=ctx["west_task"])
    d = Delivery.objects.create(notice=notice, channel="email", recipient=ctx["cast"].stats,
                                address="stats@example.org", status=Delivery.Status.FAILED, attempts=5,
                                last_error="邮件发送失败：ConnectionRefusedError")
    return f"/supervision/deliveries/{d.pk}/retry"


MATRIX: dict[str, Any] = {
    "remind_run": ("POST", lambda c: "/supervision/remind/", _office_only(302)),
    "deliveries": ("GET", lambda c: "/supervision/deliveries/", _office_only(200)),
    "deliveries#failed": ("GET", lambda c: "/supervision/deliveries/?status=failed", _office_only(200)),
    "delivery_retry": ("POST", _failed_delivery, _office_only(302)),
}
