"""A closed period refuses every write path with PeriodClosed, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.audit.models import AuditEntry
from jixiao.collection.models import Ballot, Evidence, Incident, Reminder, Value, ValueChange
from jixiao.collection.services import (
    ValueInput,
    ballot_add,
    evidence_add,
    incident_create,
    incident_decide,
    reminders_send,
    value_review,
    value_save,
    values_bulk_upsert,
    values_submit,
)
from jixiao.core.errors import PeriodClosed
from jixiao.schemes.models import Period
from jixiao.schemes.services import period_close
from jixiao.scoring.models import Result

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _snapshot() -> dict[str, Any]:
    return {
        "values": sorted(Value.objects.values_list("pk", "value", "status", "version", "note")),
        "changes": ValueChange.objects.count(),
        "incidents": sorted(Incident.objects.values_list("pk", "status", "version")),
        "ballots": Ballot.objects.count(),
        "evidence": Evidence.objects.count(),
        "reminders": Reminder.objects.count(),
        "audit": AuditEntry.objects.count(),
        "results": sorted(Result.objects.values_list("object_id", "total", "rank", "computed_at")),
    }


@pytest.fixture
def closed(cast: Any, scope: Any) -> Any:
    """Q1 with a reporter's draft for east, a submitted west value, a pending incident; then closed."""
    rep, office = scope(cast.reporter), scope(cast.office)
    value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("70"))
    value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.west_obj, indicator="gdp",
               variable="value", value=Decimal("90"))
    Value.objects.filter(object=cast.west_obj).update(status=Value.Status.SUBMITTED)
    incident_create(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="jianfen",
                    item="tbpp", level="县", document="县政办〔2024〕1号")
    period_close(actor=cast.office, period=cast.q1)
    return cast


def _calls(c: Any, scope: Callable[[Any], Any]) -> dict[str, Callable[[], Any]]:
    # Everything is read afresh from the database, as a request would.
    q1 = Period.objects.get(pk=c.q1.pk)
    office, rep = scope(c.office), scope(c.reporter)
    draft = Value.objects.get(object=c.east_obj)
    submitted = Value.objects.get(object=c.west_obj)
    incident = Incident.objects.get()
    return {
        "value_save": lambda: value_save(actor=c.office, scope=office, period=q1, obj=c.east_obj, indicator="gdp",
                                         variable="value", value=Decimal("99")),
        "value_save_new_cell": lambda: value_save(actor=c.reporter, scope=rep, period=q1, obj=c.east_obj,
                                                  indicator="gdp", variable="value", value=Decimal("1"),
                                                  submit=True),
        "values_submit": lambda: values_submit(actor=c.reporter, scope=rep, period=q1, obj=c.east_obj),
        "value_review_approve": lambda: value_review(actor=c.office, scope=office, value=submitted, approve=True),
        "value_review_return": lambda: value_review(actor=c.office, scope=office, value=submitted, approve=False,
                                                    reason="数据有误"),
        "values_bulk_upsert": lambda: values_bulk_upsert(
            actor=c.office, scope=office, period=q1, via="import",
            rows=[ValueInput(object="east", indicator="gdp", variable="value", value=Decimal("50")),
                  ValueInput(object="west", indicator="tax", variable="value", value=Decimal("400"))]),
        "evidence_add_value": lambda: evidence_add(actor=c.reporter, scope=rep, value=draft,
                                                   upload=SimpleUploadedFile("证明.pdf", PDF)),
        "evidence_add_incident": lambda: evidence_add(actor=c.office, scope=office, incident=incident,
                                                      upload=SimpleUploadedFile("文件.pdf", PDF)),
        "incident_create": lambda: incident_create(actor=c.office, scope=office, period=q1, obj=c.west_obj,
                                                   indicator="jianfen", item="tbpp", level="市"),
        "incident_decide_approve": lambda: incident_decide(actor=c.office, scope=office, incident=incident,
                                                           approve=True),
        "incident_decide_reject": lambda: incident_decide(actor=c.office, scope=office, incident=incident,
                                                          approve=False, reason="不属实"),
        "ballot_add": lambda: ballot_add(actor=c.office, scope=office, period=q1, obj=c.east_obj, indicator="ldpg",
                                         rating="20"),
        "reminders_send": lambda: reminders_send(actor=c.office, scope=office, period=q1, units=[c.east],
                                                 message="请尽快填报"),
    }


WRITES = ["value_save", "value_save_new_cell", "values_submit", "value_review_approve", "value_review_return",
          "values_bulk_upsert", "evidence_add_value", "evidence_add_incident", "incident_create",
          "incident_decide_approve", "incident_decide_reject", "ballot_add", "reminders_send"]


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES)
def test_closed_period_refuses(closed: Any, scope: Any, write: str) -> None:
    call = _calls(closed, scope)[write]
    before = _snapshot()
    try:
        call()
    except PeriodClosed as e:
        assert "已关闭" in e.message
    else:
        raise AssertionError(f"{write} wrote to a closed period")
    assert _snapshot() == before


@pytest.mark.django_db
def test_the_open_period_still_accepts_writes(closed: Any, scope: Any) -> None:
    """The refusal is about Q1 only: Q2 takes the same write."""
    q2 = Period.objects.get(pk=closed.q2.pk)
    v = value_save(actor=closed.office, scope=scope(closed.office), period=q2, obj=closed.east_obj,
                   indicator="gdp", variable="value", value=Decimal("99"))
    assert v.period_id == q2.pk and v.status == Value.Status.VERIFIED


@pytest.mark.django_db
@pytest.mark.parametrize("write", [w for w in WRITES if isinstance(w, str)] + ["reminders_send"])
def test_each_write_goes_through_once_reopened(closed: Any, scope: Any, write: str) -> None:
    """The same calls succeed after the period is reopened: the refusal above is the closed period's."""
    from jixiao.scoring.tests.approving import reopen_period

    reopen_period(closed, closed.q1, "补录")
    audits = AuditEntry.objects.count()
    _calls(closed, scope)[write]()
    assert AuditEntry.objects.count() > audits
