"""An unknown channel in JIXIAO_NOTIFY_CHANNELS (or a webhook without its URL) fails early with
ImproperlyConfigured — before anything is written — and ``manage.py check`` reports it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from jixiao.supervision.checks import check_reminder_settings
from jixiao.supervision.models import Notice
from jixiao.supervision.services.reminders import reminders_run


def test_unknown_channel_fails_before_writing(sv: Any, settings: Any) -> None:
    settings.JIXIAO_NOTIFY_CHANNELS = ["inapp", "sms"]
    with pytest.raises(ImproperlyConfigured, match="未知的送达渠道“sms”"):
        reminders_run()
    assert not Notice.objects.exists()
    assert [e.id for e in check_reminder_settings()] == ["jixiao.supervision.E001"]


def test_webhook_needs_its_url(settings: Any) -> None:
    settings.JIXIAO_NOTIFY_CHANNELS = ["webhook"]
    settings.JIXIAO_WEBHOOK_URL = ""
    [error] = check_reminder_settings()
    assert "JIXIAO_WEBHOOK_URL" in error.msg


def test_bad_time_is_reported_by_the_check(settings: Any) -> None:
    settings.JIXIAO_REMIND_AT = "8点半"
    [error] = check_reminder_settings()
    assert error.id == "jixiao.supervision.E002" and "8点半" in error.msg


def test_good_settings_pass(settings: Any) -> None:
    settings.JIXIAO_NOTIFY_CHANNELS = ["inapp", "email"]
    settings.JIXIAO_REMIND_AT = "08:30"
    assert check_reminder_settings() == []
