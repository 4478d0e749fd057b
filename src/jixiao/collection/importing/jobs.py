"""Import jobs: an upload is checked and stored, then read, validated and written in the worker.

:func:`import_job_create` refuses a wrong file type, a macro workbook, an oversized upload or a
zip bomb before anything parses it, stores the file on an :class:`ImportJob` and enqueues
:func:`import_job_task`. :func:`import_job_run` (the task's body) reads and checks every cell,
reporting progress on the job row in short autocommitted updates that a polling page can read;
then, only if no cell is wrong, writes everything with one ``values_bulk_upsert`` call and marks
the job done in the same transaction — one transaction, one recompute — or nothing at all.

A worker that dies leaves its job ``queued`` or ``running``: every claim and progress write is a
heartbeat, and :func:`import_jobs_sweep` (run every minute by ``manage.py scheduler``) marks a job
without one for ``JIXIAO_RECOMPUTE_TIMEOUT`` seconds failed, in words, so its page stops waiting;
since the write is one transaction, nothing of it was written. :func:`import_job_retry` runs the
same stored file again as a new job. The write holds the job's row lock, so the sweep never gives
up on a job whose write is under way, and a worker that wakes up after the sweep writes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from jixiao.audit.services import Actor, audit_record, audit_record_many, user_of
from jixiao.collection.models import ImportJob
from jixiao.collection.services import values_bulk_upsert
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.core.sm import sm3_hex
from jixiao.core.uploads import UploadRefused, check_xlsx, extension
from jixiao.org.scoping import ANONYMOUS, Scope
from jixiao.org.selectors import scope_for_user
from jixiao.schemes.models import Period
from jixiao.schemes.services import period_require_open

from .plan import import_context, may_import
from .reader import read_values

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.25  # seconds between progress writes
READ_SHARE = 80  # percent of the bar for reading and checking; the rest is the write
TIMED_OUT = "导入任务超时未完成（后台任务进程可能已停止），数据未写入，请重新导入"
INTERNAL = "导入时发生内部错误，数据未写入；请联系系统管理员"


class Abandoned(Exception):
    """The job is no longer running (the sweep gave up on it while its worker stalled)."""


def _limits() -> dict[str, int]:
    return {"max_bytes": settings.JIXIAO_IMPORT_MAX_BYTES, "max_uncompressed": settings.JIXIAO_IMPORT_MAX_UNCOMPRESSED}


def import_job_create(*, actor: Actor, scope: Scope, period: Period, upload: UploadedFile,
                      enqueue: bool = True, again: bool = False) -> ImportJob:
    """Check an uploaded workbook without parsing it, store it as a queued job and enqueue it.

    The job row is written in its own transaction; the task is enqueued after it (with the
    immediate backend it runs right here, in the request). The same file (by its SM3 digest)
    already queued, running or imported for this period answers that job, marked ``repeated``,
    and nothing is queued — unless ``again`` (the user asks to import it once more).
    """
    if not may_import(scope):
        raise NotAllowed("只有绩效办和填报员可以导入数据")
    period_require_open(period)
    name = upload.name or ""
    size = upload.size or 0
    limits = _limits()
    is_xlsx = extension(name) == "xlsx"
    if is_xlsx and size > limits["max_bytes"]:  # refused before the upload is read into memory
        raise ServiceError(f"文件 {size / 1048576:.1f} MB，超过上限 {limits['max_bytes'] / 1048576:.0f} MB",
                           field="file")
    try:
        data = upload.read() if is_xlsx else b""  # any other name is refused by its extension alone
        check_xlsx(name, data, **limits)
    except UploadRefused as e:
        raise ServiceError(str(e), field="file") from None
    digest = sm3_hex(data)
    if not again:
        earlier = (ImportJob.objects.filter(period=period, digest=digest, status__in=[
            ImportJob.Status.QUEUED, ImportJob.Status.RUNNING, ImportJob.Status.DONE]).order_by("-created_at").first())
        if earlier is not None:
            audit_record(actor=actor, action="import_job_repeat", instance=earlier,
                         after={"name": name[:200], "digest": digest}, summary=f"{period.code} {name[:200]}")
            earlier.repeated = True
            return earlier
    with transaction.atomic():
        job = ImportJob(assessment=period.assessment, period=period, name=name[:200], created_by=user_of(actor),
                        stage="排队等待", digest=digest)
        job.file.save("import.xlsx", ContentFile(data), save=False)
        job.save()
        audit_record(actor=actor, action="import_job_create", instance=job,
                     after={"name": job.name, "size": len(data), "period": period.code},
                     summary=f"{period.assessment.code}@{period.code} {job.name}")
    if enqueue:
        import_job_task.enqueue(job.pk)
    return job


@task()
def import_job_task(job_id: int) -> None:
    import_job_run(job_id=job_id)


@dataclass
class RunTimes:
    """Seconds spent in each stage of one run (the benchmark reads these)."""

    read: float = 0.0  # open, parse and check every cell
    write: float = 0.0  # values_bulk_upsert, recompute included
    recompute: float = 0.0  # the part of ``write`` spent recomputing results (when measured)
    extra: dict[str, float] = field(default_factory=dict)


def import_job_run(*, job_id: int, times: RunTimes | None = None) -> ImportJob:
    """Run a queued job: check every cell, then write everything or nothing.

    A job runs once: a job that is not queued any more (run by another worker, or finished) is
    returned as it is. Whatever happens, the job ends ``done`` or ``failed`` with its errors.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, progress=1, stage="读取工作簿", heartbeat_at=timezone.now())
    job = ImportJob.objects.select_related("period__assessment__version", "created_by").get(pk=job_id)
    if not claimed:
        return job
    times = times if times is not None else RunTimes()
    try:
        _run(job, times)
    except Abandoned:
        logger.warning("import job %s was given up by the sweep while it ran; nothing was written", job_id)
    except ServiceError as e:
        _finish(job, failed=True, errors=[_error(e.message)])
    except Exception:
        logger.exception("import job %s failed", job_id)
        _finish(job, failed=True, errors=[_error(INTERNAL)], retryable=True)
    job.refresh_from_db()
    return job


def _error(message: str) -> dict[str, Any]:
    return {"sheet": "", "row": None, "column": "", "message": message}


def _beat(job: ImportJob, **fields: Any) -> None:
    """A progress write, which is also the worker's heartbeat; a job no longer running is left alone."""
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(heartbeat_at=timezone.now(), **fields)


def _run(job: ImportJob, times: RunTimes) -> None:
    period = job.period
    period_require_open(period)
    user = job.created_by
    # The job runs in the organisation of its assessment (the one its creator worked in).
    scope = (scope_for_user(user, organisation_id=period.assessment.organisation_id) if user is not None
             else ANONYMOUS)
    if not may_import(scope):
        raise NotAllowed("只有绩效办和填报员可以导入数据")
    t0 = time.perf_counter()
    with job.file.open("rb") as fh:
        data = fh.read()
    try:
        check_xlsx(job.name or "import.xlsx", data, **_limits())
    except UploadRefused as e:
        raise ServiceError(str(e)) from None
    ctx = import_context(scope=scope, period=period)
    last = [0.0]

    def progress(fraction: float) -> None:
        now = time.perf_counter()
        if now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            _beat(job, progress=max(2, int(fraction * READ_SHARE)), stage="校验数据")

    parsed = read_values(data, ctx, progress=progress)
    times.read = time.perf_counter() - t0
    _beat(job, cells=parsed.cells)
    if parsed.total_errors:
        _finish(job, failed=True, errors=parsed.error_dicts(),
                stage=f"校验未通过：共 {parsed.total_errors} 处错误，未写入任何数据")
        return
    _beat(job, progress=READ_SHARE, stage="写入数据并重新计算结果")
    t1 = time.perf_counter()
    with transaction.atomic():
        # The job's row, locked and still running: the values and the job's end commit together,
        # the sweep skips a job whose write is under way, and a job it gave up on writes nothing.
        if not list(ImportJob.objects.select_for_update().filter(pk=job.pk, status=ImportJob.Status.RUNNING)
                    .values_list("pk", flat=True)):
            raise Abandoned
        written = values_bulk_upsert(actor=user, scope=scope, period=period, rows=parsed.rows, via="import") \
            if parsed.rows else 0
        stage = f"已写入 {written} 个数据"
        if parsed.unchanged:
            stage += f"，{parsed.unchanged} 个与系统中的数据相同未改动"
        _finish(job, failed=False, written=written, stage=stage)
    times.write = time.perf_counter() - t1  # the recompute runs after the commit (immediate tasks)


def _finish(job: ImportJob, *, failed: bool, errors: list[dict[str, Any]] | None = None, written: int = 0,
            stage: str = "", retryable: bool = False) -> None:
    status = ImportJob.Status.FAILED if failed else ImportJob.Status.DONE
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
        status=status, progress=100, errors=errors or [], written=written, retryable=retryable,
        stage=stage or ("导入失败，未写入任何数据" if failed else "导入完成"), finished_at=now, heartbeat_at=now)


def _timeout() -> dt.timedelta:
    return dt.timedelta(seconds=settings.JIXIAO_RECOMPUTE_TIMEOUT)


def import_job_stalled(job: ImportJob, *, now: dt.datetime | None = None) -> bool:
    """A job queued or running whose worker has shown no sign of life for the timeout (the sweep
    will mark it failed)."""
    return (job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
            and job.heartbeat_at < (now or timezone.now()) - _timeout())


def import_jobs_sweep(*, now: dt.datetime | None = None) -> list[int]:
    """Mark failed every job queued or running whose worker has shown no sign of life (claim,
    progress) for ``JIXIAO_RECOMPUTE_TIMEOUT`` seconds, saying so in words; the ids marked.

    Its values were not written (the write is one transaction, and a job whose write is under way
    holds its row lock, which the sweep skips). Such a job may be retried (:func:`import_job_retry`).
    """
    now = now or timezone.now()
    stale = now - _timeout()
    waiting = [ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    swept = []
    with transaction.atomic():
        ids = list(ImportJob.objects.select_for_update(skip_locked=True)
                   .filter(status__in=waiting, heartbeat_at__lt=stale).order_by("pk").values_list("pk", flat=True))
        for pk in ids:  # each one again, in case its worker reported after the look above
            if ImportJob.objects.filter(pk=pk, status__in=waiting, heartbeat_at__lt=stale).update(
                    status=ImportJob.Status.FAILED, progress=100, errors=[_error(TIMED_OUT)], retryable=True,
                    stage="导入超时，未写入任何数据", finished_at=now):
                swept.append(pk)
        if swept:
            audit_record_many(actor=None, action="import_job_timeout", target="collection.importjob",
                              system="scheduler", rows=[(str(pk), None, {"status": "failed", "reason": TIMED_OUT})
                                                        for pk in swept])
    if swept:
        logger.warning("import jobs %s had no heartbeat for %s: marked failed", swept, _timeout())
    return swept


def import_job_retry(*, actor: Actor, scope: Scope, job: ImportJob, enqueue: bool = True) -> ImportJob:
    """Run a job that failed for a cause other than its file (its worker died, an internal error)
    again: the same stored file as a new queued job, by the user who uploaded it. Asked twice, the
    retry made the first time is returned."""
    if not may_import(scope):
        raise NotAllowed("只有绩效办和填报员可以导入数据")
    user = user_of(actor)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("period__assessment").get(pk=job.pk)
        if user is None or job.created_by_id != user.pk:
            raise NotAllowed("只能重试自己提交的导入任务")
        if job.status != ImportJob.Status.FAILED or not job.retryable:
            raise ServiceError("只有因超时或内部错误未完成的导入任务可以重试；数据有误的请改正后重新上传")
        made = job.retries.order_by("pk").first()
        if made is not None:
            return made
        period_require_open(job.period)
        new = ImportJob(assessment=job.assessment, period=job.period, name=job.name, created_by=user,
                        stage="排队等待（重试）", retry_of=job)
        new.file.name = job.file.name  # the same stored file
        new.save()
        audit_record(actor=actor, action="import_job_retry", instance=new,
                     after={"name": new.name, "retry_of": job.pk, "period": job.period.code},
                     summary=f"{job.assessment.code}@{job.period.code} {job.name}")
    if enqueue:
        import_job_task.enqueue(new.pk)
    return new
