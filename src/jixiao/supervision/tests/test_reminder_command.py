"""``manage.py supervision_remind`` (for cron) runs the day's job once: a second call the same day
does nothing, ``--force`` reruns it without issuing anything twice, ``--date`` picks the day."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from jixiao.supervision.models import JobRun, Notice


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("supervision_remind", *args, stdout=out)
    return out.getvalue()


def test_once_a_day(sv: Any) -> None:
    first = _run()
    assert "2026-03-02 催办完成" in first and "发出催办通知单 1 份" in first
    assert "已经运行过" in _run()
    assert "发出催办通知单 0 份" in _run("--force")
    assert Notice.objects.count() == 1
    run = JobRun.objects.get(name="remind")
    assert run.day == date(2026, 3, 2) and run.finished_at is not None and run.summary["issued"] == 0


def test_date_option(sv: Any) -> None:
    out = _run("--date", "2026-03-06")  # west_task overdue that day
    assert "2026-03-06 催办完成" in out and "红灯 1" in out
    notice = Notice.objects.get()
    assert notice.issued_on == date(2026, 3, 6) and notice.light == "red"
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--date", "6/3/2026")
