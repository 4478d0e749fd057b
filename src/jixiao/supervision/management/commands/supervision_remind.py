"""``manage.py supervision_remind [--date YYYY-MM-DD] [--force]``: the daily reminder job, for cron.

Runs once per day (the day's ``JobRun``): a second call the same day says so and does nothing,
unless ``--force`` (which still issues each due notice once only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.core import clock
from jixiao.core.errors import ServiceError
from jixiao.supervision.tasks import daily_run


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date 须为 YYYY-MM-DD，现为“{text}”") from None


class Command(BaseCommand):
    help = "Issue the reminder notices (催办通知单) due today and send them; once a day unless --force."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the business date to run for (default: today)")
        parser.add_argument("--force", action="store_true", help="run even if today's run has happened")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _date(options["date"]) if options["date"] else clock.today()
        try:
            summary = daily_run(day=day, force=options["force"])
        except ServiceError as e:
            raise CommandError(e.message) from None
        if summary is None:
            self.stdout.write(f"{day} 的催办已经运行过，本次未发出任何通知（如需重跑请加 --force）。")
            return
        self.stdout.write(
            f"{day} 催办完成：在办事项 {summary.open} 件（黄灯 {summary.yellow}，红灯 {summary.red}），"
            f"发出催办通知单 {summary.issued} 份（升级至领导 {summary.escalated} 份），"
            f"送达记录 {summary.deliveries} 条；发送成功 {summary.sent}，失败 {summary.failed}"
            + (f"；{summary.no_email} 人次无电子邮箱，仅站内送达" if summary.no_email else "") + "。")
