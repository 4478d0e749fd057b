"""The second wall of a closed period: database triggers refuse raw INSERT, UPDATE and DELETE of
values, incidents and ballots of a closed period (SQLite and PostgreSQL alike), while the open period
takes the same statements. Reopening needs two different people, and both steps are audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from jixiao.audit.models import AuditEntry
from jixiao.collection.models import Ballot, Incident, Value
from jixiao.collection.services import incident_create, value_save
from jixiao.core.errors import NotAllowed
from jixiao.schemes.models import Period, PeriodReopening
from jixiao.schemes.services import period_close, period_reopen_decide, period_reopen_request
from jixiao.scoring.tests.approving import leader_group_member


@pytest.fixture
def closed(cast: Any, scope: Any) -> Any:
    """A Q1 value, a Q1 incident and a Q2 value; Q1 then closed."""
    office = scope(cast.office)
    value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("70"))
    value_save(actor=cast.office, scope=office, period=cast.q2, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("75"))
    incident_create(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="jianfen",
                    item="tbpp", level="县", document="县政办〔2024〕1号")
    period_close(actor=cast.office, period=cast.q1)
    return cast


def _refused(sql: str, params: list[Any]) -> None:
    with pytest.raises(DatabaseError, match="period is closed"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)


@pytest.mark.django_db
def test_item_36_raw_sql_on_a_closed_period_is_refused_by_the_database(closed: Any) -> None:
    q1, q2 = closed.q1.pk, closed.q2.pk
    before = sorted(Value.objects.values_list("pk", "period_id", "value"))
    _refused("UPDATE collection_value SET value = 1 WHERE period_id = %s", [q1])
    _refused("DELETE FROM collection_value WHERE period_id = %s", [q1])
    _refused("UPDATE collection_value SET period_id = %s WHERE period_id = %s", [q1, q2])  # moved into it
    _refused("UPDATE collection_incident SET status = 'approved' WHERE period_id = %s", [q1])
    _refused("DELETE FROM collection_incident WHERE period_id = %s", [q1])
    # An INSERT, through the ORM's bare bulk_create (no service, so no application check).
    v = Value.objects.get(period_id=q1)
    with pytest.raises(DatabaseError, match="period is closed"), transaction.atomic():
        Value.objects.bulk_create([Value(assessment_id=v.assessment_id, period_id=q1, object_id=v.object_id,
                                         indicator="tax", variable="value", value=Decimal("5"))])
    with pytest.raises(DatabaseError, match="period is closed"), transaction.atomic():
        Ballot.objects.create(assessment_id=v.assessment_id, period_id=q1, object_id=v.object_id,
                              indicator="pingyi", rater="x", rating="优秀")
    assert sorted(Value.objects.values_list("pk", "period_id", "value")) == before
    assert Incident.objects.filter(period_id=q1).count() == 1
    # The open period takes the same statements.
    with connection.cursor() as cur:
        cur.execute("UPDATE collection_value SET value = 2 WHERE period_id = %s", [q2])
    assert Value.objects.get(period_id=q2).value == Decimal("2")


@pytest.mark.django_db
def test_item_36_reopening_needs_two_different_people_and_is_audited(closed: Any, scope: Any) -> None:
    q1 = Period.objects.get(pk=closed.q1.pk)
    member = leader_group_member(closed)
    with pytest.raises(NotAllowed):  # a unit reporter may not approve
        period_reopen_decide(actor=closed.reporter, scope=scope(closed.reporter), period=q1, approve=True)
    period_reopen_request(actor=closed.office, period=q1, reason="统计局更正")
    with pytest.raises(NotAllowed, match="申请人不能审批"):
        period_reopen_decide(actor=closed.office, scope=scope(closed.office), period=q1, approve=True)
    with pytest.raises(NotAllowed):
        period_reopen_decide(actor=closed.reporter, scope=scope(closed.reporter), period=q1, approve=True)
    assert not Period.objects.get(pk=q1.pk).is_open
    member_scope = scope(member)
    req = period_reopen_decide(actor=member, scope=member_scope, period=q1, approve=True)
    assert req.status == PeriodReopening.Status.APPROVED and req.decided_by_id == member.pk
    assert Period.objects.get(pk=q1.pk).is_open
    actions = list(AuditEntry.objects.filter(target="schemes.period", target_id=str(q1.pk))
                   .order_by("id").values_list("action", "actor_id"))
    assert actions[-2:] == [("reopen_request", closed.office.pk), ("reopen", member.pk)]
    # Open again: the triggers let the row be written.
    with connection.cursor() as cur:
        cur.execute("UPDATE collection_value SET value = 3 WHERE period_id = %s", [q1.pk])


@pytest.mark.django_db
def test_the_requester_may_withdraw_and_a_second_request_waits_for_the_first(closed: Any, scope: Any) -> None:
    q1 = Period.objects.get(pk=closed.q1.pk)
    period_reopen_request(actor=closed.office, period=q1, reason="补录")
    with pytest.raises(Exception, match="待审批"):
        period_reopen_request(actor=closed.office, period=q1, reason="再次")
    period_reopen_decide(actor=closed.office, scope=scope(closed.office), period=q1, approve=False)
    assert not Period.objects.get(pk=q1.pk).is_open
    assert AuditEntry.objects.filter(action="reopen_refuse", target_id=str(q1.pk)).exists()


@pytest.mark.django_db
def test_item_36_a_recorded_correction_is_the_one_write_let_through(closed: Any, scope: Any) -> None:
    """The office's correction on a decided appeal writes into the closed period, in its own
    transaction only: right after it, raw SQL is refused again."""
    from jixiao.collection.services import value_correct

    q1 = Period.objects.get(pk=closed.q1.pk)
    v = value_correct(actor=closed.office, scope=scope(closed.office), period=q1, obj=closed.east_obj,
                      indicator="gdp", variable="value", value=Decimal("72"), note="申诉 #1：统计口径更正")
    assert v.value == Decimal("72") and not q1.is_open
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM collection_closed_override")
        assert cur.fetchone()[0] == 0
    _refused("UPDATE collection_value SET value = 1 WHERE period_id = %s", [q1.pk])
