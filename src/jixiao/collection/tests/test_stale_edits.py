"""A write based on an older version of a value or an incident is refused (StaleEdit), naming who
saved in between, and changes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.collection.models import Incident, Value, ValueChange
from jixiao.collection.services import incident_create, incident_decide, value_review, value_save
from jixiao.core.errors import StaleEdit


@pytest.mark.django_db
def test_value_save_with_an_old_version_names_who_saved(cast: Any, scope: Any) -> None:
    rep, office = scope(cast.reporter), scope(cast.office)
    first = value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                       variable="value", value=Decimal("70"), submit=True)
    assert first.version == 1
    # The office corrects the value while the reporter still has the form of version 1 open.
    second = value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                        variable="value", value=Decimal("75"), expected_version=1)
    assert second.version == 2
    office_user = cast.office.get_username()
    changes, audits = ValueChange.objects.count(), AuditEntry.objects.count()
    with pytest.raises(StaleEdit) as err:
        value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                   variable="value", value=Decimal("80"), expected_version=1, submit=True)
    assert office_user in err.value.message
    assert "75" in err.value.message  # the value now stored
    assert err.value.status == 409 and err.value.field == "value"
    v = Value.objects.get(pk=first.pk)
    assert (v.value, v.version, v.updated_by_id) == (Decimal("75"), 2, cast.office.pk)
    assert ValueChange.objects.count() == changes and AuditEntry.objects.count() == audits
    # Once the office hands it back, the reporter edits the current version.
    returned = value_review(actor=cast.office, scope=office, value=v, approve=False, reason="请核实")
    again = value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                       variable="value", value=Decimal("80"), expected_version=returned.version, submit=True)
    assert (again.value, again.version, again.status) == (Decimal("80"), 4, Value.Status.SUBMITTED)


@pytest.mark.django_db
def test_value_review_with_an_old_version_is_refused(cast: Any, scope: Any) -> None:
    rep, office = scope(cast.reporter), scope(cast.office)
    v = value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                   variable="value", value=Decimal("70"), submit=True)
    old = v.version
    value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("72"), submit=True)
    with pytest.raises(StaleEdit):
        value_review(actor=cast.office, scope=office, value=v, approve=True, expected_version=old)
    assert Value.objects.get(pk=v.pk).status == Value.Status.SUBMITTED


@pytest.mark.django_db
def test_incident_decide_with_an_old_version_is_refused(cast: Any, scope: Any) -> None:
    office = scope(cast.office)
    inc = incident_create(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                          indicator="jianfen", item="tbpp", level="县")
    seen = inc.version
    # Another office clerk rejects it first.
    incident_decide(actor=cast.office, scope=office, incident=inc, approve=False, reason="重复登记",
                    expected_version=seen)
    audits = AuditEntry.objects.count()
    with pytest.raises(StaleEdit) as err:
        incident_decide(actor=cast.office, scope=office, incident=inc, approve=True, expected_version=seen)
    assert err.value.status == 409
    inc.refresh_from_db()
    assert inc.status == Incident.Status.REJECTED and inc.decision_reason == "重复登记"
    assert inc.version == seen + 1
    assert AuditEntry.objects.count() == audits
