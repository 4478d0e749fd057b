"""Imports are all-or-nothing (item 37): one wrong cell among good ones writes nothing and names the
cell; the same file uploaded twice answers the first job (idempotent by the file's SM3 digest) and,
imported again on purpose, changes nothing; a worker killed in the middle of the write leaves no value and the job
is marked failed (by the sweep)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from jixiao.collection.importing.jobs import import_job_create, import_job_run, import_jobs_sweep
from jixiao.collection.models import ImportJob, Value, ValueChange
from jixiao.collection.services import values as values_services
from jixiao.collection.tests.test_import_helpers import (
    cell,
    fast_passwords,  # noqa: F401 (autouse)
    run_import,
    save,
    template,
    upload,
    where,
)
from jixiao.org.selectors import scope_for_user


class Killed(BaseException):
    """The worker's process ending mid-write (not an exception the job could catch)."""


@pytest.mark.django_db
def test_item_37_all_or_nothing_idempotent_and_killed_means_failed(cast: Any, tmp_path: Path, settings: Any,
                                                                   monkeypatch: Any) -> None:
    wb = template(cast.office, cast.q1)
    ws = wb["乡镇"]
    cell(ws, "east", "gdp:value").value = 70
    cell(ws, "west", "gdp:value").value = "七十"
    job = run_import(cast.office, cast.q1, save(wb, tmp_path, "bad.xlsx"))
    assert job.status == ImportJob.Status.FAILED and ("乡镇", 7, "C") in where(job)
    assert not Value.objects.exists()

    cell(ws, "west", "gdp:value").value = 90
    good = save(wb, tmp_path, "good.xlsx")
    assert run_import(cast.office, cast.q1, good).status == ImportJob.Status.DONE
    stored = sorted(Value.objects.values_list("object__code", "indicator", "value", "version"))
    changes = ValueChange.objects.count()
    assert run_import(cast.office, cast.q1, good).status == ImportJob.Status.DONE  # the same file again
    assert sorted(Value.objects.values_list("object__code", "indicator", "value", "version")) == stored
    assert ValueChange.objects.count() == changes

    # Q2, killed in the middle of inserting its values.
    wb2 = template(cast.office, cast.q2)
    cell(wb2["乡镇"], "east", "gdp:value").value = 71
    cell(wb2["乡镇"], "west", "gdp:value").value = 91
    job = import_job_create(actor=cast.office, scope=scope_for_user(cast.office), period=cast.q2,
                            upload=upload(save(wb2, tmp_path, "q2.xlsx")), enqueue=False)
    real = values_services.rows_insert

    def insert_then_die(model: Any, columns: Any, rows: Any) -> None:
        if model is Value:
            real(model, columns, rows[:1])
            raise Killed
        real(model, columns, rows)

    monkeypatch.setattr(values_services, "rows_insert", insert_then_die)
    with pytest.raises(Killed):
        import_job_run(job_id=job.pk)
    monkeypatch.undo()
    assert not Value.objects.filter(period=cast.q2).exists()
    later = timezone.now() + dt.timedelta(seconds=settings.JIXIAO_RECOMPUTE_TIMEOUT + 1)
    assert import_jobs_sweep(now=later) == [job.pk]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not Value.objects.filter(period=cast.q2).exists()


@pytest.mark.django_db
def test_item_37_the_same_file_uploaded_again_answers_the_earlier_job(cast: Any, tmp_path: Path, client: Any,
                                                                    settings: Any) -> None:
    """Idempotent by the file's digest: the same upload again (a double click, a resubmit) queues
    nothing and shows the earlier job; asked for explicitly, it is imported once more."""
    wb = template(cast.office, cast.q1)
    cell(wb["乡镇"], "east", "gdp:value").value = 70
    cell(wb["乡镇"], "west", "gdp:value").value = 90
    path = save(wb, tmp_path, "good.xlsx")
    first = run_import(cast.office, cast.q1, path)
    assert first.status == ImportJob.Status.DONE and len(first.digest) == 64
    client.force_login(cast.office)
    url = "/ledger/import/mini-2024/2024-Q1/"
    with path.open("rb") as fh:
        resp = client.post(url, {"file": fh}, follow=True)
    assert ImportJob.objects.count() == 1
    assert resp.redirect_chain[-1][0].endswith(f"/{first.pk}/") and "未重复导入" in resp.content.decode()
    with path.open("rb") as fh:
        client.post(url, {"file": fh, "again": "on"})
    assert ImportJob.objects.count() == 2
    assert ImportJob.objects.exclude(pk=first.pk).get().digest == first.digest
