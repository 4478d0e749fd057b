"""Recording rates (录入率) per responsible unit: the towns answer for their own indicators, the
statistics bureau for the tax cells of every town; only submitted or verified values count."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.selectors import recording_rates
from jixiao.collection.services import reminders_send, value_review, value_save


def _rates(period: Any) -> dict[str, tuple[int, int, float, int]]:
    return {r.unit.code: (r.expected, r.reported, r.percent, r.reminders) for r in recording_rates(period=period)}


@pytest.mark.django_db
def test_responsibility_and_percentages(cast: Any, scope: Any) -> None:
    # Before anything: east and west each owe gdp; the bureau owes tax for both towns.
    assert _rates(cast.q1) == {"east": (1, 0, 0.0, 0), "west": (1, 0, 0.0, 0), "tjj": (2, 0, 0.0, 0)}

    rep, stats = scope(cast.reporter), scope(cast.stats)
    value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("80"))
    assert _rates(cast.q1)["east"] == (1, 0, 0.0, 0)  # a draft is not reported yet
    value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("80"), submit=True)
    tax = value_save(actor=cast.stats, scope=stats, period=cast.q1, obj=cast.west_obj, indicator="tax",
                     variable="value", value=Decimal("300"), submit=True)
    assert _rates(cast.q1) == {"east": (1, 1, 100.0, 0), "west": (1, 0, 0.0, 0), "tjj": (2, 1, 50.0, 0)}

    # Worst first, so the office sees who to chase.
    assert [r.unit.code for r in recording_rates(period=cast.q1)] == ["west", "tjj", "east"]

    # A returned value no longer counts; other periods are untouched.
    value_review(actor=cast.office, scope=scope(cast.office), value=tax, approve=False, reason="请核对")
    assert _rates(cast.q1)["tjj"] == (2, 0, 0.0, 0)
    assert _rates(cast.q2) == {"east": (1, 0, 0.0, 0), "west": (1, 0, 0.0, 0), "tjj": (2, 0, 0.0, 0)}


@pytest.mark.django_db
def test_reminders_are_counted_per_unit_and_period(cast: Any, scope: Any) -> None:
    office = scope(cast.office)
    reminders_send(actor=cast.office, scope=office, period=cast.q1, units=[cast.west, cast.stats_unit], message="")
    reminders_send(actor=cast.office, scope=office, period=cast.q1, units=[cast.west], message="第二次催报")
    q1 = _rates(cast.q1)
    assert (q1["west"][3], q1["tjj"][3], q1["east"][3]) == (2, 1, 0)
    assert all(r[3] == 0 for r in _rates(cast.q2).values())


@pytest.mark.django_db
def test_a_blank_submitted_value_is_not_reported(cast: Any, scope: Any) -> None:
    value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=None)
    assert _rates(cast.q1)["east"] == (1, 0, 0.0, 0)


def _live(assessment_id: int) -> set[tuple[Any, ...]]:
    from django.db.models import Count

    from jixiao.collection.models import Value

    return set(Value.objects.filter(assessment_id=assessment_id, status__in=Value.COUNTING, value__isnull=False)
               .values_list("period_id", "object__group", "object__unit_id", "indicator", "variable")
               .annotate(n=Count("id")).order_by())


def _kept(assessment_id: int) -> set[tuple[Any, ...]]:
    from jixiao.collection.models import RecordingCount

    return set(RecordingCount.objects.filter(period__assessment_id=assessment_id, n__gt=0)
               .values_list("period_id", "group", "unit_id", "indicator", "variable", "n"))


@pytest.mark.django_db
def test_kept_counts_follow_every_write(cast: Any, scope: Any) -> None:
    """The counts the recompute keeps equal a count of the ledger after each kind of write: a
    draft, a submission, a return, a resubmission, an emptied value, a verification by the batch."""
    from jixiao.collection.models import ValueChange
    from jixiao.collection.services.review import value_review_batch

    rep, stats, office = scope(cast.reporter), scope(cast.stats), scope(cast.office)
    aid = cast.q1.assessment_id
    value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("80"))
    assert _kept(aid) == _live(aid) == set()  # a draft does not count
    value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("80"), submit=True)
    tax = value_save(actor=cast.stats, scope=stats, period=cast.q2, obj=cast.west_obj, indicator="tax",
                     variable="value", value=Decimal("300"), submit=True)
    assert _kept(aid) == _live(aid) and len(_live(aid)) == 2
    assert not ValueChange.objects.filter(pending=True, value__status="submitted").exists()
    value_review(actor=cast.office, scope=office, value=tax, approve=False, reason="请核对")
    assert _kept(aid) == _live(aid) and len(_live(aid)) == 1
    tax = value_save(actor=cast.stats, scope=stats, period=cast.q2, obj=cast.west_obj, indicator="tax",
                     variable="value", value=Decimal("310"), submit=True)
    value_review_batch(actor=cast.office, scope=office, value_ids=[tax.pk], approve=True)
    assert _kept(aid) == _live(aid) and len(_live(aid)) == 2
    value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=None)
    assert _kept(aid) == _live(aid) and len(_live(aid)) == 1


@pytest.mark.django_db
def test_rebuild_counts_a_ledger_written_without_history(cast: Any, scope: Any) -> None:
    from jixiao.collection.models import RecordingCount, Value
    from jixiao.collection.services.recording import recording_counts_rebuild

    value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("80"), submit=True)
    aid = cast.q1.assessment_id
    Value.objects.create(assessment_id=aid, period=cast.q2, object=cast.west_obj, indicator="gdp", value=Decimal(1),
                         status=Value.Status.VERIFIED)  # as a bulk load writes it: no history line
    RecordingCount.objects.all().update(n=99)
    recording_counts_rebuild(assessment_id=aid)
    assert _kept(aid) == _live(aid) and len(_live(aid)) == 2
