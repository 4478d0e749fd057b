"""``manage.py scheduler [--once]``: the daily reminder job at ``JIXIAO_REMIND_AT``, and every
minute the sweeps that finish what a dead worker left.

A long-running loop next to ``db_worker`` (``make run`` starts both): every ~30 seconds it checks
whether today's reminder run is due — the local time has reached ``JIXIAO_REMIND_AT`` and the
day's run has neither happened nor been enqueued — and if so enqueues
:func:`jixiao.supervision.tasks.remind_daily` once (a ``JobRun`` mark makes that hold across
restarts and a second scheduler). Started after the time of day, it catches up at once.
``--once`` checks once and exits (tests, or a cron line every few minutes).

Every minute (and with ``--once``) it also runs the sweeps: :func:`~jixiao.collection.importing.jobs.
import_jobs_sweep` marks failed, in words, an import whose worker has shown no sign of life for
``JIXIAO_RECOMPUTE_TIMEOUT`` seconds (nothing of it was written; its page offers a retry), and
:func:`~jixiao.scoring.recompute.recompute_sweep` requests a recompute for ledger changes that no
live run is scoring (its worker died, or the event was lost).

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

from jixiao.audit.chain import audit_seal
from jixiao.collection.importing.jobs import import_jobs_sweep
from jixiao.evaluations.tasks import remind_open_campaigns
from jixiao.org.services import accounts_inactive_disable, sessions_expired_clear
from jixiao.planning.tasks import calendar_daily
from jixiao.scoring.recompute import recompute_sweep
from jixiao.supervision.checks import remind_at
from jixiao.supervision.models import JobRun
from jixiao.supervision.tasks import JOB, QUEUED, job_claim, remind_daily

INTERVAL = 30.0  # seconds between checks
SWEEP_EVERY = 60.0  # seconds between sweeps


def tick(at: dt.time, now: dt.datetime | None = None) -> TaskResult[Any] | None:
    """One check: enqueue today's run if it is due; its task result, or ``None``."""
    local = timezone.localtime(now)
    day = local.date()
    if local.time() < at or JobRun.objects.filter(name=JOB, day=day).exists():
        return None
    if job_claim(name=QUEUED, day=day) is None:
        return None  # enqueued already (by this scheduler before a restart, or by another one)
    result = remind_daily.enqueue(day.isoformat())
    calendar_daily.enqueue(day.isoformat())  # the reporting calendar (目标与计划), idempotent by its marks
    remind_open_campaigns.enqueue()  # and the raters of open evaluation campaigns (测评催评)
    JobRun.objects.filter(name=QUEUED, day=day).update(finished_at=timezone.now(), summary={"task": str(result.id)})
    return result


def sweep(now: dt.datetime | None = None) -> tuple[list[int], list[int]]:
    """The sweeps: (import jobs marked failed, assessments whose recompute was requested). Also
    seals the audit entries written since into the SM3 hash chain, deletes expired sessions and
    disables accounts unused for JIXIAO_ACCOUNT_INACTIVE_DAYS."""
    audit_seal()
    sessions_expired_clear()
    accounts_inactive_disable(now=now)
    return import_jobs_sweep(now=now), recompute_sweep()


class Command(BaseCommand):
    help = ("Enqueue the daily reminder run at JIXIAO_REMIND_AT (HH:MM) and sweep up stalled imports and "
            "recomputes every minute; runs until stopped.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=float, default=INTERVAL, help="seconds between checks")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            at = remind_at(settings.JIXIAO_REMIND_AT)
        except ValueError as e:
            raise CommandError(str(e)) from None
        if not options["once"]:
            self.stdout.write(f"调度已启动：每天 {at:%H:%M} 运行催办任务，每分钟检查中断的导入和计算（Ctrl-C 停止）。")
        swept_at: float | None = None
        while True:
            result = tick(at)
            if result is not None:
                self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M} 已提交 {result.args[0]} 的催办任务。")
                if result.status == TaskResultStatus.FAILED:
                    self.stderr.write("催办任务失败：\n" + "\n".join(e.traceback for e in result.errors))
            if swept_at is None or time.monotonic() - swept_at >= SWEEP_EVERY:
                swept_at = time.monotonic()
                self._sweep()
            if options["once"]:
                return
            try:
                time.sleep(options["interval"])
            except KeyboardInterrupt:
                return
            close_old_connections()  # a loop running for weeks must not keep a dead connection

    def _sweep(self) -> None:
        try:
            jobs, assessments = sweep()
        except Exception as e:  # a sweep that fails must not stop the reminders: the next minute retries
            self.stderr.write(f"检查中断的导入和计算时出错：{type(e).__name__}: {e}")
            return
        stamp = f"{timezone.localtime():%Y-%m-%d %H:%M}"
        if jobs:
            self.stdout.write(f"{stamp} {len(jobs)} 个导入任务超时未完成，已标记为失败（数据未写入）：{jobs}")
        if assessments:
            self.stdout.write(f"{stamp} 已为 {len(assessments)} 项考核重新提交结果计算：{assessments}")
