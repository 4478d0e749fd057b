"""A third-party-sourced indicator (tax, source 县统计局) is reported by the statistics bureau for
every town, never by the town itself; the bureau reports nothing else."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.models import Value
from jixiao.collection.services import ValueInput, value_save, values_bulk_upsert
from jixiao.core.errors import NotAllowed
from jixiao.scoring.models import Result


@pytest.mark.django_db
def test_the_unit_reporter_cannot_report_tax_of_his_own_town(cast: Any, scope: Any) -> None:
    rep = scope(cast.reporter)
    with pytest.raises(NotAllowed) as err:
        value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="tax",
                   variable="value", value=Decimal("400"), submit=True)
    assert "县统计局" in err.value.message
    with pytest.raises(NotAllowed):
        values_bulk_upsert(actor=cast.reporter, scope=rep, period=cast.q1, via="import",
                           rows=[ValueInput(object="east", indicator="tax", variable="value", value=Decimal(1))])
    assert not Value.objects.exists()
    # His own-sourced indicator is fine.
    v = value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                   variable="value", value=Decimal("80"))
    assert v.status == Value.Status.DRAFT


@pytest.mark.django_db
def test_the_stats_reporter_reports_tax_for_both_towns(cast: Any, scope: Any) -> None:
    stats = scope(cast.stats)
    for obj, amount in ((cast.east_obj, "500"), (cast.west_obj, "250")):
        v = value_save(actor=cast.stats, scope=stats, period=cast.q1, obj=obj, indicator="tax", variable="value",
                       value=Decimal(amount), submit=True)
        assert v.status == Value.Status.SUBMITTED and v.updated_by_id == cast.stats.pk
    assert Result.objects.get(object=cast.east_obj).total == pytest.approx(30.0)
    assert Result.objects.get(object=cast.west_obj).total == pytest.approx(15.0)
    # In bulk too (import, API).
    n = values_bulk_upsert(actor=cast.stats, scope=stats, period=cast.q2, via="import", rows=[
        ValueInput(object="east", indicator="tax", variable="value", value=Decimal("100")),
        ValueInput(object="west", indicator="tax", variable="value", value=Decimal("200"))])
    assert n == 2


@pytest.mark.django_db
@pytest.mark.parametrize("obj", ["east_obj", "west_obj"])
def test_the_stats_reporter_cannot_report_the_towns_own_indicators(cast: Any, scope: Any, obj: str) -> None:
    with pytest.raises(NotAllowed):
        value_save(actor=cast.stats, scope=scope(cast.stats), period=cast.q1, obj=getattr(cast, obj),
                   indicator="gdp", variable="value", value=Decimal("80"))
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_the_east_reporter_cannot_report_west(cast: Any, scope: Any) -> None:
    with pytest.raises(NotAllowed):
        value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.west_obj,
                   indicator="gdp", variable="value", value=Decimal("80"))
    assert not Value.objects.exists()
