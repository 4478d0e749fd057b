"""The office verifies only submitted values; a return needs a reason and stops the value counting."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.models import Value, ValueChange
from jixiao.collection.services import value_review, value_save, values_submit
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.scoring.models import Result


def _total(obj: Any) -> float:
    r = Result.objects.filter(object=obj).first()
    return float(r.total) if r is not None and r.total is not None else 0.0


def _east_gdp(cast: Any, scope: Any, value: str, *, submit: bool) -> Value:
    return value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                      indicator="gdp", variable="value", value=Decimal(value), submit=submit)


@pytest.mark.django_db
def test_a_draft_cannot_be_verified_or_returned(cast: Any, scope: Any) -> None:
    v = _east_gdp(cast, scope, "100", submit=False)
    office = scope(cast.office)
    with pytest.raises(ServiceError, match="只能审核已报送或已退回的数据"):
        value_review(actor=cast.office, scope=office, value=v, approve=True)
    with pytest.raises(ServiceError, match="只能退回"):
        value_review(actor=cast.office, scope=office, value=v, approve=False, reason="不对")
    v.refresh_from_db()
    assert (v.status, v.version) == (Value.Status.DRAFT, 1)


@pytest.mark.django_db
def test_a_verified_value_is_not_verified_twice(cast: Any, scope: Any) -> None:
    v = _east_gdp(cast, scope, "100", submit=True)
    office = scope(cast.office)
    v = value_review(actor=cast.office, scope=office, value=v, approve=True)
    assert v.status == Value.Status.VERIFIED
    with pytest.raises(ServiceError, match="只能审核已报送或已退回的数据"):
        value_review(actor=cast.office, scope=office, value=v, approve=True)
    assert ValueChange.objects.filter(value=v, action="verify").count() == 1


@pytest.mark.django_db
def test_only_the_office_reviews(cast: Any, scope: Any) -> None:
    v = _east_gdp(cast, scope, "100", submit=True)
    for who in (cast.reporter, cast.leader, cast.stats):
        with pytest.raises(NotAllowed):
            value_review(actor=who, scope=scope(who), value=v, approve=True)
    assert Value.objects.get(pk=v.pk).status == Value.Status.SUBMITTED


@pytest.mark.django_db
def test_a_return_needs_a_reason_and_stops_the_value_counting(cast: Any, scope: Any) -> None:
    v = _east_gdp(cast, scope, "100", submit=True)
    office = scope(cast.office)
    assert _total(cast.east_obj) == pytest.approx(40.0)  # 100/100 × 40
    for blank in ("", "   "):
        with pytest.raises(ServiceError) as err:
            value_review(actor=cast.office, scope=office, value=v, approve=False, reason=blank)
        assert err.value.field == "reason"
    assert Value.objects.get(pk=v.pk).status == Value.Status.SUBMITTED
    assert _total(cast.east_obj) == pytest.approx(40.0)

    v = value_review(actor=cast.office, scope=office, value=v, approve=False, reason="  与统计年鉴不符  ")
    assert v.status == Value.Status.RETURNED and v.return_reason == "与统计年鉴不符"
    assert _total(cast.east_obj) == pytest.approx(0.0)
    east = Result.objects.get(object=cast.east_obj)
    assert east.rank == Result.objects.get(object=cast.west_obj).rank  # both at nothing: a shared rank

    # The reporter corrects and submits again: it counts again and the reason is cleared.
    v = _east_gdp(cast, scope, "90", submit=False)
    assert _total(cast.east_obj) == pytest.approx(0.0)  # still a draft
    assert values_submit(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj) == 1
    v.refresh_from_db()
    assert v.status == Value.Status.SUBMITTED and v.return_reason == ""
    assert _total(cast.east_obj) == pytest.approx(36.0)


@pytest.mark.django_db
def test_a_verified_value_can_be_returned(cast: Any, scope: Any) -> None:
    v = _east_gdp(cast, scope, "50", submit=True)
    office = scope(cast.office)
    v = value_review(actor=cast.office, scope=office, value=v, approve=True)
    assert _total(cast.east_obj) == pytest.approx(20.0)
    v = value_review(actor=cast.office, scope=office, value=v, approve=False, reason="复核发现错误")
    assert v.status == Value.Status.RETURNED
    assert _total(cast.east_obj) == pytest.approx(0.0)


@pytest.mark.django_db
def test_the_office_accepts_a_returned_value_as_it_stands(cast: Any, scope: Any) -> None:
    v = _east_gdp(cast, scope, "100", submit=True)
    office = scope(cast.office)
    counted = _total(cast.east_obj)
    v = value_review(actor=cast.office, scope=office, value=v, approve=False, reason="与抽查台账不一致")
    assert v.status == Value.Status.RETURNED and _total(cast.east_obj) < counted
    v = value_review(actor=cast.office, scope=office, value=v, approve=True)
    assert v.status == Value.Status.VERIFIED and v.return_reason == ""
    assert _total(cast.east_obj) == counted  # it counts again, as it stands
    assert list(ValueChange.objects.filter(value=v).order_by("id").values_list("action", "status_before",
                                                                                "status_after"))[-2:] == [
        ("return", "submitted", "returned"), ("verify", "returned", "verified")]
