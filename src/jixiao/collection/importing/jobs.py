"""Import jobs: an upload is checked and stored, then read, validated and written in the worker.

:func:`import_job_create` refuses a wrong file type, a macro workbook, an oversized upload or a
zip bomb before anything parses it, stores the file on an :class:`ImportJob` and enqueues
:func:`import_job_task`. :func:`import_job_run` (the task's body) reads and checks every cell,
reporting progress on the job row in short autocommitted updates that a polling page can read;
then, only if no cell is wrong, writes everything with one ``values_bulk_upsert`` call — one
transaction, one recompute — or nothing at all.
"""

from __future__ import annotations

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

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.collection.models import ImportJob
from jixiao.collection.services import values_bulk_upsert
from jixiao.collection.uploads import UploadRefused, check_xlsx, extension
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.scoping import ANONYMOUS, Scope
from jixiao.org.selectors import scope_for_user
from jixiao.schemes.models import Period
from jixiao.schemes.services import period_require_open

from .plan import import_context, may_import
from .reader import read_values

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.25  # seconds between progress writes
READ_SHARE = 80  # percent of the bar for reading and checking; the rest is the write


def _limits() -> dict[str, int]:
    return {"max_bytes": settings.JIXIAO_IMPORT_MAX_BYTES, "max_uncompressed": settings.JIXIAO_IMPORT_MAX_UNCOMPRESSED}


def import_job_create(*, actor: Actor, scope: Scope, period: Period, upload: UploadedFile,
                      enqueue: bool = True) -> ImportJob:
    """Check an uploaded workbook without parsing it, store it as a queued job and enqueue it.

    The job row is written in its own transaction; the task is enqueued after it (with the
    immediate backend it runs right here, in the request).
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
    with transaction.atomic():
        job = ImportJob(assessment=period.assessment, period=period, name=name[:200], created_by=user_of(actor),
                        stage="排队等待")
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
        status=ImportJob.Status.RUNNING, progress=1, stage="读取工作簿")
    job = ImportJob.objects.select_related("period__assessment__version", "created_by").get(pk=job_id)
    if not claimed:
        return job
    times = times if times is not None else RunTimes()
    try:
        _run(job, times)
    except ServiceError as e:
        _finish(job, failed=True, errors=[{"sheet": "", "row": None, "column": "", "message": e.message}])
    except Exception:
        logger.exception("import job %s failed", job_id)
        _finish(job, failed=True, errors=[{"sheet": "", "row": None, "column": "",
                                           "message": "导入时发生内部错误，数据未写入；请联系系统管理员"}])
    job.refresh_from_db()
    return job


def _run(job: ImportJob, times: RunTimes) -> None:
    period = job.period
    period_require_open(period)
    user = job.created_by
    scope = scope_for_user(user) if user is not None else ANONYMOUS
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
            ImportJob.objects.filter(pk=job.pk).update(progress=max(2, int(fraction * READ_SHARE)),
                                                       stage="校验数据")

    parsed = read_values(data, ctx, progress=progress)
    times.read = time.perf_counter() - t0
    ImportJob.objects.filter(pk=job.pk).update(cells=parsed.cells)
    if parsed.total_errors:
        _finish(job, failed=True, errors=parsed.error_dicts(),
                stage=f"校验未通过：共 {parsed.total_errors} 处错误，未写入任何数据")
        return
    ImportJob.objects.filter(pk=job.pk).update(progress=READ_SHARE, stage="写入数据并重新计算结果")
    t1 = time.perf_counter()
    written = values_bulk_upsert(actor=user, scope=scope, period=period, rows=parsed.rows, via="import") \
        if parsed.rows else 0
    times.write = time.perf_counter() - t1
    stage = f"已写入 {written} 个数据"
    if parsed.unchanged:
        stage += f"，{parsed.unchanged} 个与系统中的数据相同未改动"
    _finish(job, failed=False, written=written, stage=stage)


def _finish(job: ImportJob, *, failed: bool, errors: list[dict[str, Any]] | None = None, written: int = 0,
            stage: str = "") -> None:
    status = ImportJob.Status.FAILED if failed else ImportJob.Status.DONE
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, progress=100, errors=errors or [], written=written,
        stage=stage or ("导入失败，未写入任何数据" if failed else "导入完成"), finished_at=timezone.now())
