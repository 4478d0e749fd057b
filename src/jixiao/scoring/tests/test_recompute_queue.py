"""The coalescing recompute: writes record ledger changes and queue one task; a run scores them all
at once; a run that lost its claim never writes; a dead worker's changes are picked up again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from jixiao.collection.models import LedgerChange
from jixiao.collection.services import value_save
from jixiao.scoring import recompute
from jixiao.scoring.models import CategoryScores, RecomputeState, Result
from jixiao.scoring.services import results_recompute

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _save(cast: Any, scope: Any, obj: Any, value: str, indicator: str = "gdp", period: Any = None) -> None:
    value_save(actor=cast.office, scope=scope(cast.office), period=period or cast.q1, obj=obj, indicator=indicator,
               variable="value", value=Decimal(value))


def _results() -> list[tuple[Any, ...]]:
    return sorted(Result.objects.values_list("object__code", "total", "rank", "group_size", "grade", "flags",
                                             "components", "periods"))


def _queued_tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path="jixiao.scoring.recompute.results_refresh_task").count()


@pytest.mark.django_db
def test_a_burst_of_saves_queues_one_task_and_one_run_scores_them_all(cast: Any, scope: Any, settings: Any) -> None:
    settings.TASKS = DB_TASKS  # a real queue: nothing runs until the worker takes the task
    for n in range(30):
        _save(cast, scope, cast.east_obj if n % 2 else cast.west_obj, str(40 + n))
    assert LedgerChange.objects.filter(assessment=cast.assessment).count() == 30
    assert _queued_tasks() == 1
    assert RecomputeState.objects.get(assessment=cast.assessment).queued
    assert not Result.objects.exists()  # nothing scored on the request path

    runs = recompute.results_refresh(assessment_id=cast.assessment.pk)

    assert runs == 1
    assert not LedgerChange.objects.exists()
    state = RecomputeState.objects.get(assessment=cast.assessment)
    assert not state.queued and state.token == "" and state.last_error == ""
    got = _results()
    results_recompute(assessment=cast.assessment)  # from scratch
    assert got == _results()
    # west's last save was 68 (n=28), east's 69: gdp ratio × 40 points against the target 100
    totals = dict(Result.objects.values_list("object__code", "total"))
    assert totals["east"] > totals["west"]


@pytest.mark.django_db
def test_after_the_run_the_next_change_queues_again(cast: Any, scope: Any, settings: Any) -> None:
    settings.TASKS = DB_TASKS
    _save(cast, scope, cast.east_obj, "50")
    recompute.results_refresh(assessment_id=cast.assessment.pk)
    _save(cast, scope, cast.east_obj, "60")
    assert _queued_tasks() == 2
    assert LedgerChange.objects.count() == 1


@pytest.mark.django_db
def test_a_run_that_lost_its_claim_writes_nothing(cast: Any, scope: Any) -> None:
    _save(cast, scope, cast.east_obj, "50")
    _save(cast, scope, cast.west_obj, "70")
    before = _results()
    # A slow run claimed the assessment, then stalled past the timeout; a newer run took over.
    slow = recompute._claim(cast.assessment.pk)
    assert slow is not None
    RecomputeState.objects.filter(assessment=cast.assessment).update(
        heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    newer = recompute._claim(cast.assessment.pk)
    assert newer is not None and newer != slow
    LedgerChange.objects.create(assessment=cast.assessment, category="town", object=cast.east_obj)
    with pytest.raises(recompute.Superseded):
        recompute.recompute_once(assessment_id=cast.assessment.pk, token=slow)
    assert _results() == before
    assert LedgerChange.objects.count() == 1  # still there for the run that holds the claim
    recompute.recompute_once(assessment_id=cast.assessment.pk, token=newer)
    assert not LedgerChange.objects.exists()


@pytest.mark.django_db
def test_a_worker_killed_mid_run_leaves_the_old_results_and_the_sweep_retries(cast: Any, scope: Any,
                                                                               settings: Any) -> None:
    _save(cast, scope, cast.east_obj, "50")
    old = dict(Result.objects.values_list("object__code", "total"))
    settings.TASKS = DB_TASKS
    _save(cast, scope, cast.east_obj, "90")
    # The worker took the task and claimed the assessment, then died: no heartbeat since.
    recompute.results_refresh_task  # noqa: B018  (the task the worker would have run)
    dead = recompute._claim(cast.assessment.pk)
    assert dead is not None
    assert recompute.recompute_sweep() == []  # its heartbeat is fresh: it may still be working
    assert dict(Result.objects.values_list("object__code", "total")) == old
    RecomputeState.objects.filter(assessment=cast.assessment).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.JIXIAO_RECOMPUTE_TIMEOUT + 1))
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert recompute.recompute_sweep() == [cast.assessment.pk]
    assert not LedgerChange.objects.exists()
    assert dict(Result.objects.values_list("object__code", "total"))["east"] > old["east"]
    assert RecomputeState.objects.get(assessment=cast.assessment).token == ""


@pytest.mark.django_db
def test_a_failing_recompute_keeps_results_and_changes_and_says_why(cast: Any, scope: Any, monkeypatch: Any) -> None:
    _save(cast, scope, cast.east_obj, "50")
    old = _results()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(recompute, "score_assessment", broken)
    monkeypatch.setattr(recompute, "results_patch", broken)
    _save(cast, scope, cast.east_obj, "80")
    assert _results() == old
    assert LedgerChange.objects.count() == 1
    state = RecomputeState.objects.get(assessment=cast.assessment)
    assert "disk full" in state.last_error and state.token == ""


@pytest.mark.django_db
def test_a_single_change_is_patched_and_equals_a_whole_recompute(cast: Any, scope: Any, monkeypatch: Any) -> None:
    for obj, v in ((cast.east_obj, "50"), (cast.west_obj, "70")):
        _save(cast, scope, obj, v)
        _save(cast, scope, obj, v, indicator="tax")
    first = CategoryScores.objects.get(assessment=cast.assessment, category="town")
    calls: list[set[int]] = []
    real = recompute.results_patch

    def spy(**kwargs: Any) -> Any:
        calls.append(set(kwargs["object_ids"]))
        return real(**kwargs)

    monkeypatch.setattr(recompute, "results_patch", spy)
    _save(cast, scope, cast.east_obj, "95")  # east overtakes west
    assert calls == [{cast.east_obj.pk}]  # scored alone, not the whole category
    after = CategoryScores.objects.get(assessment=cast.assessment, category="town")
    assert after.revision > first.revision and after.computed_at > first.computed_at
    patched = _results()
    ranks = {r[0]: r[2] for r in patched}
    assert ranks == {"east": 1, "west": 2}
    results_recompute(assessment=cast.assessment)
    assert patched == _results()


@pytest.mark.django_db
def test_a_patch_that_fills_a_missing_value_rewrites_the_head(cast: Any, scope: Any) -> None:
    """The stored head (names, veto and missing masks) is rewritten by a patch only when it
    changed; when a value fills a gap it changes, and the stored masks then equal a whole
    recompute's (read back from the database, not from this process's cache)."""
    from jixiao.scoring import selectors

    for obj in (cast.east_obj, cast.west_obj):
        _save(cast, scope, obj, "50")
    _save(cast, scope, cast.east_obj, "60", indicator="tax")

    def stored() -> tuple[Any, ...]:
        selectors._cache.clear()  # read what the database holds
        arrays = selectors.stored_scores(assessment=cast.assessment, category="town")
        assert arrays is not None
        overall = [[None if x != x else x for x in row] for row in arrays.overall.tolist()]  # NaN: None
        return arrays.names, {k: v.tolist() for k, v in arrays.missing.items()}, overall

    before = stored()
    _save(cast, scope, cast.west_obj, "70", indicator="tax")  # west's tax is no longer missing
    patched = stored()
    assert patched[1] != before[1]
    results_recompute(assessment=cast.assessment)
    assert stored() == patched
