"""``manage.py scheduler [--once]``: enqueue the daily reminder job at ``JIXIAO_REMIND_AT``.

A long-running loop next to ``db_worker`` (``make run`` starts both): every ~30 seconds it checks
whether today's reminder run is due — the local time has reached ``JIXIAO_REMIND_AT`` and the
day's run has neither happened nor been enqueued — and if so enqueues
:func:`jixiao.supervision.tasks.remind_daily` once (a ``JobRun`` mark makes that hold across
restarts and a second scheduler). Started after the time of day, it catches up at once.
``--once`` checks once and exits (tests, or a cron line every few minutes).

A run that fails is reported (here with the inline backend, in the worker's log with the
database one) and not retried by the scheduler that day: the office reruns it with 「立即催办」
or ``manage.py supervision_remind`` once the cause is fixed.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone
from django_tasks.base import TaskResult, TaskResultStatus

from jixiao.supervision.checks import remind_at
from jixiao.supervision.models import JobRun
from jixiao.supervision.tasks import JOB, QUEUED, job_claim, remind_daily

INTERVAL = 30.0  # seconds between checks


def tick(at: dt.time, now: dt.datetime | None = None) -> TaskResult[Any] | None:
    """One check: enqueue today's run if it is due; its task result, or ``None``."""
    local = timezone.localtime(now)
    day = local.date()
    if local.time() < at or JobRun.objects.filter(name=JOB, day=day).exists():
        return None
    if job_claim(name=QUEUED, day=day) is None:
        return None  # enqueued already (by this scheduler before a restart, or by another one)
    result = remind_daily.enqueue(day.isoformat())
    JobRun.objects.filter(name=QUEUED, day=day).update(finished_at=timezone.now(), summary={"task": str(result.id)})
    return result


class Command(BaseCommand):
    help = "Enqueue the daily reminder run at JIXIAO_REMIND_AT (HH:MM); runs until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=float, default=INTERVAL, help="seconds between checks")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            at = remind_at(settings.JIXIAO_REMIND_AT)
        except ValueError as e:
            raise CommandError(str(e)) from None
        if not options["once"]:
            self.stdout.write(f"催办调度已启动：每天 {at:%H:%M} 运行催办任务（Ctrl-C 停止）。")
        while True:
            result = tick(at)
            if result is not None:
                self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M} 已提交 {result.args[0]} 的催办任务。")
                if result.status == TaskResultStatus.FAILED:
                    self.stderr.write("催办任务失败：\n" + "\n".join(e.traceback for e in result.errors))
            if options["once"]:
                return
            try:
                time.sleep(options["interval"])
            except KeyboardInterrupt:
                return
            close_old_connections()  # a loop running for weeks must not keep a dead connection
