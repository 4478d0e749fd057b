"""更正 (value_correct): the office corrects a value of a closed period on a recorded decision;
the history line says which; others are refused; a correction without its ground is refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.models import Value, ValueChange
from jixiao.collection.services import value_correct, value_save
from jixiao.core.errors import NotAllowed, PeriodClosed, ServiceError
from jixiao.schemes.services import period_close

pytestmark = pytest.mark.django_db


def test_correcting_a_closed_period(cast: Any, scope: Any) -> None:
    office = scope(cast.office)
    value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("60"))
    period_close(actor=cast.office, period=cast.q1)
    with pytest.raises(PeriodClosed):
        value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                   variable="value", value=Decimal("70"))
    with pytest.raises(NotAllowed):
        value_correct(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                      indicator="gdp", variable="value", value=Decimal("70"), note="申诉 #1")
    with pytest.raises(ServiceError, match="注明依据"):
        value_correct(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                      variable="value", value=Decimal("70"), note=" ")
    with pytest.raises(ServiceError, match="相同"):
        value_correct(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                      variable="value", value=Decimal("60"), note="申诉 #1")
    value_correct(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                  variable="value", value=Decimal("70"), note="申诉 #1：核实有误")
    v = Value.objects.get(object=cast.east_obj, period=cast.q1, indicator="gdp")
    assert v.value == Decimal("70") and v.status == Value.Status.VERIFIED
    last = ValueChange.objects.filter(value=v).order_by("-id").first()
    assert last is not None and (last.via, last.note, last.before, last.after) == (
        "appeal", "申诉 #1：核实有误", Decimal("60"), Decimal("70"))
