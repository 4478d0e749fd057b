"""Every ledger write leaves an audit entry naming its actor, its target and what changed."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.audit.models import AuditEntry
from jixiao.audit.selectors import audit_for
from jixiao.collection.models import Incident, Value
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

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def ledger(cast: Any, scope: Any) -> Any:
    """East: a reporter's draft gdp, west: a submitted gdp; a pending incident for east."""
    rep = scope(cast.reporter)
    value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("70"))
    value_save(actor=cast.stats, scope=scope(cast.stats), period=cast.q1, obj=cast.west_obj, indicator="tax",
               variable="value", value=Decimal("300"), submit=True)
    incident_create(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="jianfen",
                    item="tbpp", level="县")
    return cast


# write → (who, the call, expected (action, target) of the new entries)
def _writes(c: Any, scope: Callable[[Any], Any]) -> dict[str, tuple[Any, Callable[[Any], Any], str, str]]:
    draft = Value.objects.get(object=c.east_obj)
    submitted = Value.objects.get(object=c.west_obj)
    incident = Incident.objects.get()
    return {
        "value_save": (c.reporter, lambda s: value_save(actor=c.reporter, scope=s, period=c.q1, obj=c.east_obj,
                                                        indicator="gdp", variable="value", value=Decimal("71")),
                       "value_save", "collection.value"),
        "values_submit": (c.reporter, lambda s: values_submit(actor=c.reporter, scope=s, period=c.q1,
                                                              obj=c.east_obj), "value_submit", "collection.value"),
        "value_review": (c.office, lambda s: value_review(actor=c.office, scope=s, value=submitted, approve=False,
                                                          reason="口径不一致"), "value_return", "collection.value"),
        "values_bulk_upsert": (c.stats, lambda s: values_bulk_upsert(
            actor=c.stats, scope=s, period=c.q2, via="api",
            rows=[ValueInput(object="east", indicator="tax", variable="value", value=Decimal("10"))]),
            "value_api", "collection.value"),
        "evidence_add": (c.reporter, lambda s: evidence_add(actor=c.reporter, scope=s, value=draft,
                                                            upload=SimpleUploadedFile("a.pdf", PDF)),
                         "evidence_add", "collection.evidence"),
        "incident_create": (c.office, lambda s: incident_create(actor=c.office, scope=s, period=c.q1,
                                                                obj=c.west_obj, indicator="jianfen", item="tbpp",
                                                                level="省"), "incident_create", "collection.incident"),
        "incident_decide": (c.office, lambda s: incident_decide(actor=c.office, scope=s, incident=incident,
                                                                approve=True), "incident_decide",
                            "collection.incident"),
        "ballot_add": (c.office, lambda s: ballot_add(actor=c.office, scope=s, period=c.q1, obj=c.east_obj,
                                                      indicator="ldpg", rating="25"), "ballot_add",
                       "collection.ballot"),
        "reminders_send": (c.office, lambda s: reminders_send(actor=c.office, scope=s, period=c.q1,
                                                              units=[c.east, c.west], message=""),
                           "remind", "org.unit"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("write", ["value_save", "values_submit", "value_review", "values_bulk_upsert",
                                   "evidence_add", "incident_create", "incident_decide", "ballot_add",
                                   "reminders_send"])
def test_each_write_is_audited_with_its_actor(ledger: Any, scope: Any, write: str) -> None:
    who, call, action, target = _writes(ledger, scope)[write]
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    call(scope(who))
    new = list(AuditEntry.objects.filter(id__gt=last))
    assert new, f"{write} left no audit entry"
    mine = [e for e in new if e.action == action]
    assert mine, [(e.action, e.target) for e in new]
    for e in mine:
        assert e.actor_id == who.pk and e.actor_label == who.get_username()
        assert e.target == target and e.target_id
        assert e.after  # what it became


@pytest.mark.django_db
def test_a_value_change_records_before_and_after(cast: Any, scope: Any) -> None:
    office = scope(cast.office)
    v = value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                   variable="value", value=Decimal("80.5"), note="初报")
    value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("92"), note="更正", expected_version=v.version)
    entries = list(audit_for(target="collection.value", target_id=v.pk))
    saves = sorted((e for e in entries if e.action == "value_save"), key=lambda e: e.pk)
    assert len(saves) == 2
    first, second = saves
    assert first.before is None
    assert first.after == {"value": "80.5", "status": "verified", "note": "初报"}
    assert second.before == {"value": "80.5", "status": "verified"}
    assert second.after == {"value": "92", "status": "verified", "note": "更正"}
    assert second.actor_id == cast.office.pk and "east/gdp.value@2024-Q1" in second.summary


@pytest.mark.django_db
def test_an_unchanged_save_writes_no_audit_entry(cast: Any, scope: Any) -> None:
    office = scope(cast.office)
    value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("80"))
    n = AuditEntry.objects.count()
    v = value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                   variable="value", value=Decimal("80"))
    assert AuditEntry.objects.count() == n and v.version == 1
