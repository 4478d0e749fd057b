"""Targets (目标值) are set by the office; a unit cannot lower its own target."""

from decimal import Decimal

import pytest

from jixiao.collection.services import ValueInput, value_save, values_bulk_upsert
from jixiao.core.errors import NotAllowed
from jixiao.schemes import services as sch

TARGETED = """
code: targeted
name: 按单位下达目标
periods: {frequency: quarter, year: 2024}
categories:
  - code: town
    name: 乡镇
    indicators:
      - {code: gdp, name: 地区生产总值, points: 100, rule: {method: ratio}}
"""


@pytest.fixture
def targeted(cast):
    # A second scheme whose ratio has no fixed target: each town's target is a value.
    cast.assessment.delete()
    v = sch.scheme_create(actor=None, code="targeted", name="按单位下达目标", text=TARGETED)
    sch.scheme_version_adopt(actor=None, version=v)
    a = sch.assessment_create(actor=None, code="t-2024", name="t", year=2024, version=v)
    return a.periods.get(code="2024-Q1")


@pytest.mark.django_db
def test_reporter_cannot_set_target_but_office_can(cast, scope, targeted):
    with pytest.raises(NotAllowed, match="目标值由绩效办下达"):
        value_save(actor=cast.reporter, scope=scope(cast.reporter), period=targeted, obj=cast.east_obj,
                   indicator="gdp", variable="target", value=Decimal("1"))
    with pytest.raises(NotAllowed, match="目标值由绩效办下达"):
        values_bulk_upsert(actor=cast.reporter, scope=scope(cast.reporter), period=targeted, via="import",
                           rows=[ValueInput(object="east", indicator="gdp", variable="target", value=Decimal(1))])
    v = value_save(actor=cast.office, scope=scope(cast.office), period=targeted, obj=cast.east_obj,
                   indicator="gdp", variable="target", value=Decimal("120"))
    assert v.status == "verified"
    # The reporter still reports the actual value.
    got = value_save(actor=cast.reporter, scope=scope(cast.reporter), period=targeted, obj=cast.east_obj,
                     indicator="gdp", variable="value", value=Decimal("90"), submit=True)
    assert got.status == "submitted"
