"""Background tasks (django-tasks) of planning: the reporting calendar's daily run, enqueued by
``manage.py scheduler`` with the daily reminder job; ``planning_calendar`` runs it by hand. The run
is idempotent (its marks), so a second enqueue the same day sends and deducts nothing more."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task

from jixiao.planning.services.calendar import calendar_run


@task()
def calendar_daily(day_iso: str) -> dict[str, Any]:
    return calendar_run(today=dt.date.fromisoformat(day_iso)).as_dict()
