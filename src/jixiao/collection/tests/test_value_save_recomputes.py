"""Saving a value through the service updates the stored totals and ranking at once."""

from decimal import Decimal

import pytest

from jixiao.collection.services import value_save
from jixiao.scoring.models import Result


@pytest.mark.django_db
def test_office_value_counts_and_ranks(cast, scope):
    office = scope(cast.office)
    value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("80"))
    east = Result.objects.get(object=cast.east_obj)
    west = Result.objects.get(object=cast.west_obj)
    # gdp 80/100 × 40 = 32 in Q1; the yearly mean takes the periods that have data.
    assert east.total == pytest.approx(32.0)
    assert east.rank == 1 and west.rank == 2
    value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.west_obj, indicator="gdp",
               variable="value", value=Decimal("100"))
    east.refresh_from_db()
    west = Result.objects.get(object=cast.west_obj)
    assert west.total == pytest.approx(40.0)
    assert (west.rank, east.rank) == (1, 2)


@pytest.mark.django_db
def test_reporter_draft_does_not_count_until_submitted(cast, scope):
    rep = scope(cast.reporter)
    value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("90"))
    assert not Result.objects.filter(object=cast.east_obj, total__gt=0).exists()
    v = value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                   variable="value", value=Decimal("90"), submit=True)
    assert v.status == "submitted"
    assert Result.objects.get(object=cast.east_obj).total == pytest.approx(36.0)
