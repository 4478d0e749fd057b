"""``manage.py scheduler`` also sweeps up after dead workers every minute (and with ``--once``): an
import without a heartbeat for the timeout is marked failed, and ledger changes that no live run
is scoring get their recompute."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from jixiao.collection.importing.jobs import TIMED_OUT
from jixiao.collection.models import ImportJob, LedgerChange
from jixiao.scoring.models import Result


def _once() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("scheduler", "--once", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_once_sweeps_a_dead_import_and_a_lost_recompute(cast: Any, settings: Any) -> None:
    settings.JIXIAO_REMIND_AT = "23:59"  # the reminder run is not what this is about
    old = timezone.now() - dt.timedelta(seconds=settings.JIXIAO_RECOMPUTE_TIMEOUT + 5)
    dead = ImportJob(assessment=cast.assessment, period=cast.q1, name="a.xlsx", created_by=cast.office,
                     status=ImportJob.Status.RUNNING, progress=80)
    dead.file.save("import.xlsx", ContentFile(b"PK"), save=False)
    dead.save()
    ImportJob.objects.filter(pk=dead.pk).update(heartbeat_at=old)
    alive = ImportJob(assessment=cast.assessment, period=cast.q1, name="b.xlsx", created_by=cast.office,
                      status=ImportJob.Status.RUNNING, progress=40)
    alive.file.save("import.xlsx", ContentFile(b"PK"), save=False)
    alive.save()
    # A change recorded whose event was lost (its writer's process died right after the commit).
    LedgerChange.objects.create(assessment=cast.assessment, category="town", object=cast.east_obj)
    assert not Result.objects.filter(object=cast.east_obj).exists()

    out, err = _once()
    assert err == ""
    assert "1 个导入任务超时未完成" in out and "重新提交结果计算" in out
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == ImportJob.Status.FAILED and dead.errors[0]["message"] == TIMED_OUT
    assert alive.status == ImportJob.Status.RUNNING
    assert not LedgerChange.objects.exists() and Result.objects.filter(object=cast.east_obj).exists()
    assert _once() == ("", "")  # nothing left to sweep
