"""Catalogue reuse: a figure reported once is written to the ledger of two schemes through the
write path; one correction updates both schemes' scores; the lineage lists both uses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.core.errors import NotAllowed, ServiceError

pytestmark = pytest.mark.django_db


def _total(assessment: Any, unit: Any) -> float | None:
    from jixiao.org.models import AssessedObject
    from jixiao.scoring.selectors import result_of

    obj = AssessedObject.objects.get(unit=unit, category__code="townb" if assessment.code == "mini-2024-b" else "town")
    r = result_of(assessment=assessment, obj=obj)
    return None if r is None else r.total


def test_one_report_feeds_two_schemes_and_one_correction_updates_both(dt: Any, scope: Any) -> None:
    from jixiao.audit.models import AuditEntry
    from jixiao.collection.models import Value, ValueChange
    from jixiao.datatrust.selectors import catalogue_recording, figure_lineage
    from jixiao.datatrust.services import figure_value_record

    c = dt.cast
    out = figure_value_record(actor=c.stats, scope=scope(c.stats), figure=dt.figure, unit=c.east,
                              period="2024-Q1", value=Decimal("250"))
    assert out.written == {"mini-2024": 1, "mini-2024-b": 1}
    rows = Value.objects.filter(indicator="tax", object__unit=c.east, period__code="2024-Q1")
    assert {(r.assessment_id, r.value, r.status) for r in rows} == {
        (c.assessment.pk, Decimal("250"), "submitted"), (dt.other.pk, Decimal("250"), "submitted")}
    assert all(r.note.startswith("来自数据指标库（县统计局，") and r.note.endswith("报送）") for r in rows)
    assert set(ValueChange.objects.filter(value__in=rows).values_list("via", flat=True)) == {"catalog"}
    first = (_total(c.assessment, c.east), _total(dt.other, c.east))
    assert first[0] is not None and first[0] == first[1]

    # The office corrects the figure once (with a reason): both ledgers and both scores follow.
    figure_value_record(actor=c.office, scope=scope(c.office), figure=dt.figure, unit=c.east, period="2024-Q1",
                        value=Decimal("500"), note="统计局复核更正")
    rows = Value.objects.filter(indicator="tax", object__unit=c.east, period__code="2024-Q1")
    assert {(r.value, r.status) for r in rows} == {(Decimal("500"), "verified")}
    assert all("更正" in r.note for r in rows)
    second = (_total(c.assessment, c.east), _total(dt.other, c.east))
    assert second[0] is not None and second[0] > first[0] and second[0] == second[1]
    assert AuditEntry.objects.filter(action="figure_value_correct").count() == 1

    uses = figure_lineage(dt.figure)
    assert {u.binding.assessment.code for u in uses} == {"mini-2024", "mini-2024-b"}
    assert all(len(u.values) == 1 and u.leaf_name == "税收收入" for u in uses)
    # counted once: one report fed two ledger values
    assert catalogue_recording(scope=scope(c.office)) == {"reported": 1, "fed": 2, "saved": 1}


def test_refusals(dt: Any, scope: Any) -> None:
    from jixiao.datatrust.services import figure_bind, figure_value_record

    c = dt.cast
    with pytest.raises(NotAllowed):  # 东镇's reporter is not the figure's source
        figure_value_record(actor=c.reporter, scope=scope(c.reporter), figure=dt.figure, unit=c.east,
                            period="2024-Q1", value=Decimal(1))
    figure_value_record(actor=c.stats, scope=scope(c.stats), figure=dt.figure, unit=c.west, period="2024-Q2",
                        value=Decimal(10))
    with pytest.raises(ServiceError, match="更正须注明依据"):
        figure_value_record(actor=c.stats, scope=scope(c.stats), figure=dt.figure, unit=c.west,
                            period="2024-Q2", value=Decimal(11))
    with pytest.raises(ServiceError, match="已引用"):
        figure_bind(actor=c.office, scope=scope(c.office), figure=dt.figure, assessment=dt.other, indicator="tax")
    with pytest.raises(NotAllowed):
        figure_bind(actor=c.stats, scope=scope(c.stats), figure=dt.figure, assessment=dt.other, indicator="gdp")


def test_closed_period_is_corrected_through_the_correction_path(dt: Any, scope: Any) -> None:
    from jixiao.collection.models import Value
    from jixiao.datatrust.services import figure_value_record
    from jixiao.schemes.services import period_close

    c = dt.cast
    office = scope(c.office)
    figure_value_record(actor=c.stats, scope=scope(c.stats), figure=dt.figure, unit=c.west, period="2024-Q1",
                        value=Decimal(100))
    period_close(actor=c.office, period=c.q1)
    with pytest.raises(NotAllowed):  # the source reporter cannot change a closed period's ledger
        figure_value_record(actor=c.stats, scope=scope(c.stats), figure=dt.figure, unit=c.west,
                            period="2024-Q1", value=Decimal(120), note="补正")
    out = figure_value_record(actor=c.office, scope=office, figure=dt.figure, unit=c.west, period="2024-Q1",
                              value=Decimal(120), note="补正")
    assert out.written == {"mini-2024": 1, "mini-2024-b": 1}
    v = Value.objects.get(assessment=c.assessment, object=c.west_obj, indicator="tax", period__code="2024-Q1")
    assert v.value == Decimal(120)


def test_a_number_already_in_the_ledger_is_marked_as_coming_from_the_catalogue(dt: Any, scope: Any) -> None:
    from jixiao.collection.models import Value
    from jixiao.collection.services import value_save
    from jixiao.datatrust.selectors import figure_lineage
    from jixiao.datatrust.services import figure_value_record

    c = dt.cast
    value_save(actor=c.stats, scope=scope(c.stats), period=c.q2, obj=c.east_obj, indicator="tax", variable="value",
               value=Decimal(300), submit=True)
    out = figure_value_record(actor=c.stats, scope=scope(c.stats), figure=dt.figure, unit=c.east, period="2024-Q2",
                              value=Decimal(300))
    assert out.written == {"mini-2024": 1, "mini-2024-b": 1}
    v = Value.objects.get(assessment=c.assessment, object=c.east_obj, indicator="tax", period=c.q2)
    assert v.value == Decimal(300) and v.note.startswith("来自数据指标库")
    assert all(len(u.values) == 1 for u in figure_lineage(dt.figure))
