"""A service window's open link: one ballot per device within the cooldown (signed cookie), a cap
per minute; and the reminders to raters who have not submitted (the task the office's button runs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache

from jixiao.evaluations.models import Assignment, Ballot
from jixiao.evaluations.services import assignments_generate, rater_group_add, window_link_create
from jixiao.evaluations.tasks import remind_raters

from .conftest import opened

pytestmark = pytest.mark.django_db


def test_window_link_one_ballot_per_device_and_a_cap_a_minute(ev: Any, client: Any, settings: Any) -> None:
    cache.clear()
    group = rater_group_add(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign, kind="service",
                            name="办事群众", weight=Decimal(1))
    link = window_link_create(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign, group=group,
                              obj=ev.cast.east_obj)
    opened(ev)
    url = f"/e/w/{link.key}"
    assert "东镇" in client.get(url).content.decode()
    assert client.post(url, {"d0": "优秀"}).status_code == 302
    again = client.post(url, {"d0": "优秀"})
    assert again.status_code == 403 and "本设备已评价过" in again.content.decode()
    assert Ballot.objects.count() == 1
    ev.campaign.window_per_minute = 2
    ev.campaign.save(update_fields=["window_per_minute"])
    client.cookies.clear()
    assert client.post(url, {"d0": "称职"}).status_code == 302
    client.cookies.clear()
    busy = client.post(url, {"d0": "称职"})
    assert busy.status_code == 403 and "过于频繁" in busy.content.decode()
    assert Ballot.objects.count() == 2
    client.cookies.clear()
    refused = client.post(url, {"d0": "好"})
    assert refused.status_code in (200, 403) and Ballot.objects.count() == 2


def test_reminders_reach_the_raters_who_have_not_submitted(ev: Any, django_capture_on_commit_callbacks: Any) -> None:
    ev.staff2.email = "staff2@example.cn"
    ev.staff2.save()
    assignments_generate(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign)
    opened(ev)
    with django_capture_on_commit_callbacks(execute=True):
        n = remind_raters.enqueue(ev.campaign.pk, ev.cast.office.pk).return_value
    raters = Assignment.objects.filter(campaign=ev.campaign).values("rater_id").distinct().count()
    assert n == raters and Assignment.objects.filter(reminded_at__isnull=False).count() > 0
    assert [m.to for m in mail.outbox] == [["staff2@example.cn"]]
    assert "测评" in mail.outbox[0].subject
