"""Background tasks (django-tasks) of supervision: the daily reminder job and the office's 「立即催办」.

With ``JIXIAO_TASKS=immediate`` (the no-server default) ``enqueue`` runs them inline; with
``database`` the ``db_worker`` process runs them, and ``manage.py scheduler`` enqueues the daily one.

A job runs once a day: :func:`job_claim` inserts the day's :class:`JobRun` row, whose unique
``(name, day)`` lets only the first claimant through (a scheduler started twice, a worker
retrying, cron and the scheduler both configured). A run that fails gives its claim back, so a
rerun (the next tick, or ``supervision_remind``) can do the day's work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from jixiao.core import clock
from jixiao.supervision.models import JobRun
from jixiao.supervision.services.reminders import RunSummary, reminders_run
from jixiao.supervision.services.scores import supervision_values_sync

JOB = "remind"
QUEUED = "remind:queued"  # the scheduler's mark that it enqueued the day's run


def job_claim(*, name: str, day: dt.date) -> JobRun | None:
    """The day's run of a job, newly claimed; ``None`` when it was claimed already."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(name=name, day=day)
    except IntegrityError:
        return None


def daily_run(*, day: dt.date | None = None, force: bool = False) -> RunSummary | None:
    """The daily job: reminder notices for ``day`` and their deliveries, then the recount of the
    supervision indicators so overdue counts in the assessment follow the calendar.

    ``None`` when the day's run was claimed already (unless ``force``: run again — notices due are
    still issued once only). Errors propagate: a failed job fails loudly and frees its claim.
    """
    day = day or clock.today()
    job = job_claim(name=JOB, day=day)
    created = job is not None
    if job is None:
        if not force:
            return None
        job = JobRun.objects.get(name=JOB, day=day)
    try:
        summary = reminders_run(today=day)
        with transaction.atomic():
            written = supervision_values_sync(today=day)
    except BaseException:
        if created:
            JobRun.objects.filter(pk=job.pk).delete()
        raise
    JobRun.objects.filter(pk=job.pk).update(finished_at=timezone.now(),
                                            summary={**summary.as_dict(), "values_written": written})
    return summary


@task()
def remind_daily(day_iso: str) -> dict[str, Any] | None:
    """The scheduled daily run (enqueued by ``manage.py scheduler``)."""
    summary = daily_run(day=dt.date.fromisoformat(day_iso))
    return summary.as_dict() if summary else None


@task()
def remind_now(user_id: int | None = None, organisation_id: int | None = None) -> dict[str, Any]:
    """「立即催办」: issue what is due now and send; the notices name the office user who asked.
    ``organisation_id``: the organisation the office works in (its matters alone)."""
    actor = User.objects.filter(pk=user_id).first() if user_id is not None else None
    return reminders_run(actor=actor, organisation_id=organisation_id).as_dict()
