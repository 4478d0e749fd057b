"""``manage.py planning_calendar [--day 2025-04-06]``: the reporting calendar's reminders and
lateness deductions for a day (today by default), as the daily job does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.planning.services.calendar import calendar_run


class Command(BaseCommand):
    help = "Run the reporting calendar's reminders and lateness deductions (报送日历) for a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="YYYY-MM-DD; today by default")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["day"]) if options["day"] else None
        except ValueError:
            raise CommandError("日期格式应为 2025-04-06") from None
        s = calendar_run(today=day)
        self.stdout.write(f"{s.day}：{s.periods} 个考核期，截止前提醒 {s.reminded} 个单位，逾期催报 {s.chased} 个单位，"
                          f"逾期扣分 {s.deducted} 项")
