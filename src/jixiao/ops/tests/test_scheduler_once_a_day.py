"""``manage.py scheduler --once`` enqueues the daily reminder run once a day, from
JIXIAO_REMIND_AT on (also when started after that time), whether the task runs inline or waits
for the database worker; a bad JIXIAO_REMIND_AT stops it with a clear message."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django_tasks.signals import task_enqueued

from jixiao.supervision.models import JobRun, Notice

CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def enqueued() -> Iterator[list[Any]]:
    seen: list[Any] = []

    def count(sender: Any, task_result: Any, **kwargs: Any) -> None:
        if task_result.task.name == "remind_daily":
            seen.append(task_result.args)

    task_enqueued.connect(count)
    yield seen
    task_enqueued.disconnect(count)


def _once() -> str:
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_inline_run_once_a_day_from_the_set_time(sv: Any, settings: Any, enqueued: list[Any]) -> None:
    settings.JIXIAO_REMIND_AT = "10:00"
    assert _once() == "" and enqueued == []  # 09:00: not yet
    sv.traveller.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=CST))
    assert "已提交 2026-03-02 的催办任务" in _once()
    assert enqueued == [["2026-03-02"]]
    run = JobRun.objects.get(name="remind", day=dt.date(2026, 3, 2))
    assert run.finished_at is not None and run.summary["issued"] == 1
    assert Notice.objects.count() == 1
    sv.traveller.move_to(dt.datetime(2026, 3, 2, 18, 0, tzinfo=CST))
    assert _once() == "" and len(enqueued) == 1  # once a day
    sv.traveller.move_to(dt.datetime(2026, 3, 3, 7, 0, tzinfo=CST))
    assert _once() == ""  # next day, before the time
    sv.traveller.move_to(dt.datetime(2026, 3, 3, 10, 1, tzinfo=CST))
    _once()
    assert enqueued == [["2026-03-02"], ["2026-03-03"]]


# The worker closes stale connections between tasks, which inside a test's transaction would
# abort it on PostgreSQL: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_queued_for_the_worker_only_once(sv: Any, settings: Any, enqueued: list[Any]) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _once()  # 09:00, past the default 08:30: started late, it catches up at once
    _once()  # the worker has not run it yet: not enqueued again
    # the reminder run, the reporting calendar's run (jixiao.planning) and the evaluation
    # reminders (jixiao.evaluations), each once
    assert enqueued == [["2026-03-02"]]
    assert DBTaskResult.objects.filter(task_path__endswith=".remind_daily").count() == 1
    assert DBTaskResult.objects.count() == 3
    assert Notice.objects.count() == 0
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", stdout=io.StringIO(),
                 stderr=io.StringIO())
    assert Notice.objects.count() == 1 and JobRun.objects.get(name="remind").finished_at is not None
    _once()
    assert len(enqueued) == 1


@pytest.mark.parametrize("value", ["8.30", "24:00", "08:75", "morning", ""])
def test_bad_time_fails_with_a_clear_message(db: None, settings: Any, value: str) -> None:
    settings.JIXIAO_REMIND_AT = value
    with pytest.raises(CommandError, match="JIXIAO_REMIND_AT 须为 24 小时制的 HH:MM"):
        call_command("scheduler", "--once")
