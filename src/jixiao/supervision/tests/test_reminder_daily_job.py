"""The daily job runs the reminders and then recounts the supervision indicators for the day;
if that fails the job fails loudly and gives back the day's claim so it can be rerun."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jixiao.supervision import tasks
from jixiao.supervision.models import JobRun, Notice


def test_daily_job_recounts_the_indicators_for_its_day(sv: Any, monkeypatch: Any) -> None:
    calls: list[date] = []

    def sync(*, today: date, **kw: Any) -> int:
        calls.append(today)
        return 7

    monkeypatch.setattr(tasks, "supervision_values_sync", sync)
    summary = tasks.daily_run(day=date(2026, 3, 2))
    assert summary is not None and summary.issued == 1 and calls == [date(2026, 3, 2)]
    assert JobRun.objects.get(name="remind").summary["values_written"] == 7
    assert tasks.daily_run(day=date(2026, 3, 2)) is None and calls == [date(2026, 3, 2)]


def test_failing_recount_fails_the_job_and_frees_the_day(sv: Any, monkeypatch: Any) -> None:
    def broken(**kw: Any) -> int:
        raise RuntimeError("scheme broken")

    monkeypatch.setattr(tasks, "supervision_values_sync", broken)
    with pytest.raises(RuntimeError, match="scheme broken"):
        tasks.daily_run(day=date(2026, 3, 2))
    assert not JobRun.objects.filter(name="remind").exists()
    assert Notice.objects.count() == 1  # the notices it issued stand (and are not issued twice on a rerun)
    monkeypatch.undo()
    summary = tasks.daily_run(day=date(2026, 3, 2))
    assert summary is not None and summary.issued == 0 and JobRun.objects.get(name="remind").finished_at


def test_real_recount_runs(sv: Any) -> None:
    # The cast's assessment has no supervision indicator: the recount writes nothing, and says so.
    tasks.daily_run(day=date(2026, 3, 2))
    assert JobRun.objects.get(name="remind").summary["values_written"] == 0
