"""An incident counts only once the office approves it; a decided incident cannot be decided again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.models import Incident
from jixiao.collection.services import incident_create, incident_decide, value_save
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.scoring.models import Result


def _total(obj: Any) -> float | None:
    return Result.objects.get(object=obj).total


@pytest.fixture
def scored(cast: Any, scope: Any) -> Any:
    """East and west both at gdp 100 in Q1: 40 points each."""
    office = scope(cast.office)
    for obj in (cast.east_obj, cast.west_obj):
        value_save(actor=cast.office, scope=office, period=cast.q1, obj=obj, indicator="gdp", variable="value",
                   value=Decimal("100"))
    assert _total(cast.east_obj) == pytest.approx(40.0)
    return cast


@pytest.mark.django_db
def test_pending_does_not_count_approved_does(scored: Any, scope: Any) -> None:
    c = scored
    inc = incident_create(actor=c.reporter, scope=scope(c.reporter), period=c.q1, obj=c.east_obj,
                          indicator="jianfen", item="tbpp", level="市", count=Decimal(2),
                          document="市督查通报〔2024〕3号")
    assert inc.status == Incident.Status.PENDING
    assert _total(c.east_obj) == pytest.approx(40.0)
    assert Result.objects.get(object=c.east_obj).rank == 1 and Result.objects.get(object=c.west_obj).rank == 1

    incident_decide(actor=c.office, scope=scope(c.office), incident=inc, approve=True)
    assert _total(c.east_obj) == pytest.approx(38.0)  # 2 × 市 (1 point each)
    assert _total(c.west_obj) == pytest.approx(40.0)
    assert Result.objects.get(object=c.east_obj).rank == 2 and Result.objects.get(object=c.west_obj).rank == 1


@pytest.mark.django_db
def test_a_rejected_incident_never_counts_and_needs_a_reason(scored: Any, scope: Any) -> None:
    c = scored
    office = scope(c.office)
    inc = incident_create(actor=c.office, scope=office, period=c.q1, obj=c.west_obj, indicator="jianfen",
                          item="tbpp", level="省")
    with pytest.raises(ServiceError) as err:
        incident_decide(actor=c.office, scope=office, incident=inc, approve=False, reason=" ")
    assert err.value.field == "reason"
    assert Incident.objects.get(pk=inc.pk).status == Incident.Status.PENDING
    incident_decide(actor=c.office, scope=office, incident=inc, approve=False, reason="已整改，不予通报")
    assert Incident.objects.get(pk=inc.pk).status == Incident.Status.REJECTED
    assert _total(c.west_obj) == pytest.approx(40.0)


@pytest.mark.django_db
@pytest.mark.parametrize("first", [True, False], ids=["approved", "rejected"])
@pytest.mark.parametrize("second", [True, False], ids=["approve", "reject"])
def test_a_decided_incident_cannot_be_decided_again(scored: Any, scope: Any, first: bool, second: bool) -> None:
    c = scored
    office = scope(c.office)
    inc = incident_create(actor=c.office, scope=office, period=c.q1, obj=c.east_obj, indicator="jianfen",
                          item="tbpp", level="县")
    incident_decide(actor=c.office, scope=office, incident=inc, approve=first, reason="" if first else "不属实")
    decided = Incident.objects.get(pk=inc.pk)
    total = _total(c.east_obj)
    assert total == pytest.approx(39.5 if first else 40.0)
    with pytest.raises(ServiceError, match="不能重复审批"):
        incident_decide(actor=c.office, scope=office, incident=decided, approve=second, reason="再议")
    again = Incident.objects.get(pk=inc.pk)
    assert (again.status, again.version, again.decision_reason) == (decided.status, decided.version,
                                                                   decided.decision_reason)
    assert _total(c.east_obj) == pytest.approx(total)


@pytest.mark.django_db
def test_only_the_office_decides(scored: Any, scope: Any) -> None:
    c = scored
    inc = incident_create(actor=c.reporter, scope=scope(c.reporter), period=c.q1, obj=c.east_obj,
                          indicator="jianfen", item="tbpp", level="县")
    for who in (c.reporter, c.leader, c.stats):
        with pytest.raises(NotAllowed):
            incident_decide(actor=who, scope=scope(who), incident=inc, approve=True)
    assert Incident.objects.get(pk=inc.pk).status == Incident.Status.PENDING
    assert _total(c.east_obj) == pytest.approx(40.0)


@pytest.mark.django_db
def test_a_veto_takes_effect_only_when_approved(scored: Any, scope: Any) -> None:
    c = scored
    office = scope(c.office)
    value_save(actor=c.office, scope=office, period=c.q1, obj=c.east_obj, indicator="tax", variable="value",
               value=Decimal("500"))
    east = Result.objects.get(object=c.east_obj)
    assert east.total == pytest.approx(70.0) and east.grade == "合格" and not east.vetoed
    inc = incident_create(actor=c.office, scope=office, period=c.q1, obj=c.east_obj, indicator="aqsg",
                          document="县安委办〔2024〕7号")
    east.refresh_from_db()
    assert east.grade == "合格" and not east.vetoed
    incident_decide(actor=c.office, scope=office, incident=inc, approve=True)
    east.refresh_from_db()
    assert east.vetoed and east.grade == "不合格"
