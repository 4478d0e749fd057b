"""A save's request for a recompute is one statement: it creates the assessment's state row queued
when it is missing, flips ``queued`` when something waits and nothing is queued, and otherwise
changes nothing; only the request that queued enqueues the task."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.collection.models import LedgerChange
from jixiao.scoring import recompute
from jixiao.scoring.models import RecomputeState

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path="jixiao.scoring.recompute.results_refresh_task").count()


def _request(assessment_id: int) -> tuple[bool, int]:
    with CaptureQueriesContext(connection) as ctx:
        queued = recompute.recompute_request(assessment_id=assessment_id)
    return queued, len(ctx)


@pytest.mark.django_db
def test_nothing_waiting_queues_nothing_and_creates_nothing(cast: Any, settings: Any) -> None:
    settings.TASKS = DB_TASKS
    assert _request(cast.assessment.pk) == (False, 1)
    assert not RecomputeState.objects.exists() and _tasks() == 0


@pytest.mark.django_db
def test_the_first_request_creates_the_state_queued_and_later_ones_cost_one_statement(cast: Any,
                                                                                     settings: Any) -> None:
    settings.TASKS = DB_TASKS
    aid = cast.assessment.pk
    LedgerChange.objects.create(assessment=cast.assessment, category="town", object=cast.east_obj)
    queued, _ = _request(aid)
    assert queued and RecomputeState.objects.get(assessment_id=aid).queued and _tasks() == 1
    for _ in range(5):  # the rest of the burst
        assert _request(aid) == (False, 1)
    assert _tasks() == 1
    # The run starts: it clears the flag before it reads the outbox, so the next change queues again.
    RecomputeState.objects.filter(assessment_id=aid).update(queued=False)
    queued, _ = _request(aid)
    assert queued and _tasks() == 2
    # A run scored everything: a late event finds nothing waiting and leaves the flag alone.
    RecomputeState.objects.filter(assessment_id=aid).update(queued=False)
    LedgerChange.objects.all().delete()
    assert _request(aid) == (False, 1)
    assert not RecomputeState.objects.get(assessment_id=aid).queued and _tasks() == 2


@pytest.mark.django_db
def test_the_state_row_is_made_once(cast: Any) -> None:
    recompute._state(cast.assessment.pk)
    recompute._state(cast.assessment.pk)
    assert RecomputeState.objects.filter(assessment=cast.assessment).count() == 1
