"""A dead worker never leaves an import running forever, nor half-written.

Every claim and progress write is the job's heartbeat; the sweep (run every minute by
``manage.py scheduler``) marks a job queued or running without one for the timeout failed, in
words, and the page stops polling and offers its uploader a retry of the same stored file. The
write is one transaction that also ends the job, so a worker dying in the middle of it leaves no
value, and a worker that wakes up after the sweep writes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from jixiao.audit.models import AuditEntry
from jixiao.collection.importing import jobs
from jixiao.collection.importing.jobs import import_job_create, import_job_retry, import_job_run, import_jobs_sweep
from jixiao.collection.models import ImportJob, Value, ValueChange
from jixiao.collection.services import values as values_services
from jixiao.collection.tests.test_import_helpers import (
    cell,
    fast_passwords,  # noqa: F401 (autouse)
    save,
    template,
    upload,
)
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.selectors import scope_for_user


class WorkerKilled(BaseException):
    """The process dies (SIGKILL, OOM): nothing in it catches this, no ``finally`` of ours runs."""


def later(settings: Any, seconds: int = 1) -> dt.datetime:
    """A moment just past the timeout from now."""
    return timezone.now() + dt.timedelta(seconds=settings.JIXIAO_RECOMPUTE_TIMEOUT + seconds)


def filled(cast: Any, tmp_path: Path) -> Path:
    wb = template(cast.office, cast.q1)
    ws = wb["乡镇"]
    cell(ws, "east", "gdp:value").value = 80
    cell(ws, "west", "gdp:value").value = 90
    cell(ws, "east", "tax:value").value = 400
    cell(ws, "west", "tax:value").value = 450
    return save(wb, tmp_path)


def queued(cast: Any, path: Path, user: Any = None) -> ImportJob:
    user = user or cast.office
    return import_job_create(actor=user, scope=scope_for_user(user), period=cast.q1, upload=upload(path),
                             enqueue=False)


def page(client: Any, job: ImportJob) -> str:
    resp = client.get(f"/ledger/import/jobs/{job.pk}/")
    assert resp.status_code == 200
    return resp.content.decode()


@pytest.mark.django_db
def test_a_job_left_running_is_swept_and_the_page_offers_a_retry(cast: Any, client: Any, settings: Any,
                                                                 tmp_path: Path) -> None:
    job = queued(cast, filled(cast, tmp_path))
    # Its worker claimed it, reported 80 % and died: the page would poll "导入中 80%" forever.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, progress=80, stage="校验数据")
    client.force_login(cast.office)
    html = page(client, job)
    assert 'data-status="running"' in html and "hx-trigger" in html and "import-retry" not in html
    assert import_jobs_sweep() == []  # alive as far as anyone can tell: left alone
    assert import_jobs_sweep(now=later(settings)) == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.retryable, job.finished_at is not None) == (ImportJob.Status.FAILED, True, True)
    assert not Value.objects.exists()
    assert AuditEntry.objects.filter(action="import_job_timeout", target_id=str(job.pk)).exists()
    html = page(client, job)
    assert jobs.TIMED_OUT in html and 'id="import-interrupted"' in html
    assert "hx-trigger" not in html  # finished: no more polling
    assert 'id="import-retry"' in html and f"/ledger/import/jobs/{job.pk}/retry" in html
    assert import_jobs_sweep(now=later(settings, 60)) == []  # swept once

    resp = client.post(f"/ledger/import/jobs/{job.pk}/retry")
    retry = ImportJob.objects.get(retry_of=job)
    assert resp.status_code == 302 and resp["Location"] == f"/ledger/import/jobs/{retry.pk}/"
    assert retry.file.name == job.file.name and retry.created_by_id == cast.office.pk
    assert (retry.status, retry.written) == (ImportJob.Status.DONE, 4)  # the immediate backend ran it
    assert Value.objects.count() == 4
    html = page(client, job)
    assert 'id="import-retried"' in html and f"/ledger/import/jobs/{retry.pk}/" in html
    assert 'id="import-retry"' not in html
    # A second click finds the retry already made: no second job.
    resp = client.post(f"/ledger/import/jobs/{job.pk}/retry")
    assert resp["Location"] == f"/ledger/import/jobs/{retry.pk}/" and ImportJob.objects.count() == 2


@pytest.mark.django_db
def test_a_queued_job_no_worker_took_is_swept(cast: Any, client: Any, settings: Any, tmp_path: Path) -> None:
    job = queued(cast, filled(cast, tmp_path))
    assert import_jobs_sweep(now=later(settings)) == [job.pk]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.errors[0]["message"] == jobs.TIMED_OUT
    # The worker comes back after all: the job is not queued any more, it is not run.
    assert import_job_run(job_id=job.pk).status == ImportJob.Status.FAILED and not Value.objects.exists()


@pytest.mark.django_db
def test_the_heartbeat_is_the_last_progress_not_the_creation(cast: Any, settings: Any, tmp_path: Path,
                                                             monkeypatch: Any) -> None:
    """A job queued long ago that a worker runs now, reporting progress, is alive: not swept."""
    job = queued(cast, filled(cast, tmp_path))
    long_ago = timezone.now() - dt.timedelta(seconds=settings.JIXIAO_RECOMPUTE_TIMEOUT * 3)
    ImportJob.objects.filter(pk=job.pk).update(created_at=long_ago, heartbeat_at=long_ago)
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0)
    seen: list[tuple[str, list[int]]] = []
    real = jobs.read_values

    def reading(data: bytes, ctx: Any, *, progress: Any = None) -> Any:
        progress(0.5)
        seen.append((ImportJob.objects.get(pk=job.pk).status, import_jobs_sweep()))
        return real(data, ctx, progress=progress)

    monkeypatch.setattr(jobs, "read_values", reading)
    done = import_job_run(job_id=job.pk)
    assert seen == [(ImportJob.Status.RUNNING, [])]
    assert done.status == ImportJob.Status.DONE and done.heartbeat_at > long_ago
    assert Value.objects.count() == 4


# A real commit, on PostgreSQL too: what the dead worker's transaction wrote is gone for everyone.
@pytest.mark.django_db(transaction=True)
def test_a_worker_dying_in_the_middle_of_the_write_leaves_no_value(cast: Any, client: Any, settings: Any,
                                                                   tmp_path: Path, monkeypatch: Any) -> None:
    job = queued(cast, filled(cast, tmp_path))
    real = values_services.rows_insert
    written: list[int] = []

    def insert_then_die(model: Any, columns: Any, rows: Any) -> None:
        if model is Value:
            real(model, columns, rows[:2])  # two of the four values are in...
            written.append(Value.objects.count())
            raise WorkerKilled  # ...when the worker is killed
        real(model, columns, rows)

    monkeypatch.setattr(values_services, "rows_insert", insert_then_die)
    with pytest.raises(WorkerKilled):
        import_job_run(job_id=job.pk)
    monkeypatch.undo()
    assert written == [2]
    assert not Value.objects.exists() and not ValueChange.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING  # nobody lived to say otherwise...
    assert import_jobs_sweep(now=later(settings)) == [job.pk]  # ...until the sweep
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not Value.objects.exists()
    client.force_login(cast.office)
    assert jobs.TIMED_OUT in page(client, job)
    retry = import_job_retry(actor=cast.office, scope=scope_for_user(cast.office), job=job)
    retry.refresh_from_db()
    assert retry.status == ImportJob.Status.DONE and Value.objects.count() == 4


@pytest.mark.django_db
def test_a_worker_waking_up_after_the_sweep_writes_nothing(cast: Any, settings: Any, tmp_path: Path,
                                                           monkeypatch: Any) -> None:
    job = queued(cast, filled(cast, tmp_path))
    real = jobs.read_values

    def stall(data: bytes, ctx: Any, *, progress: Any = None) -> Any:
        parsed = real(data, ctx, progress=progress)
        assert import_jobs_sweep(now=later(settings)) == [job.pk]  # the worker stalled past the timeout
        return parsed

    monkeypatch.setattr(jobs, "read_values", stall)
    done = import_job_run(job_id=job.pk)
    assert done.status == ImportJob.Status.FAILED and done.errors[0]["message"] == jobs.TIMED_OUT
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_only_an_interrupted_job_of_ones_own_is_retried(cast: Any, client: Any, settings: Any,
                                                        tmp_path: Path) -> None:
    wb = template(cast.reporter, cast.q1)
    cell(wb["乡镇"], "east", "gdp:value").value = "十二"
    bad = queued(cast, save(wb, tmp_path, "bad.xlsx"), cast.reporter)
    import_job_run(job_id=bad.pk)
    rep = scope_for_user(cast.reporter)
    with pytest.raises(ServiceError, match="改正后重新上传"):
        import_job_retry(actor=cast.reporter, scope=rep, job=bad)  # the file is wrong: retrying will not help
    client.force_login(cast.reporter)
    assert 'id="import-failed"' in page(client, bad) and "import-retry" not in page(client, bad)

    lost = queued(cast, filled(cast, tmp_path), cast.reporter)
    import_jobs_sweep(now=later(settings))
    with pytest.raises(NotAllowed):
        import_job_retry(actor=cast.office, scope=scope_for_user(cast.office), job=lost)
    client.force_login(cast.office)  # the office sees the job, but retries only its own
    assert jobs.TIMED_OUT in page(client, lost) and "import-retry" not in page(client, lost)
    assert client.post(f"/ledger/import/jobs/{lost.pk}/retry").status_code == 403
    client.force_login(cast.stats)
    assert client.post(f"/ledger/import/jobs/{lost.pk}/retry").status_code == 404
    assert ImportJob.objects.count() == 2
