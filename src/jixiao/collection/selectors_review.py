"""Reads of the office's review queue (待审核): the submitted values waiting for verification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from jixiao.collection.models import Value
from jixiao.org.models import Unit
from jixiao.org.scoping import Scope, for_org
from jixiao.schemes.catalog import VARIABLE_LABELS, Catalog
from jixiao.schemes.models import Assessment, Period


@dataclass(frozen=True)
class QueueFilter:
    assessment: Assessment
    period: Period | None = None
    unit: Unit | None = None
    indicator: str = ""
    since: date | None = None  # submitted on or after this day (local)
    until: date | None = None  # on or before


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def verifiable(qs: QuerySet[Value], scope: Scope) -> QuerySet[Value]:
    """The values of ``qs`` the scope verifies: all for the office; for a unit head, those of his
    staff and of the sections below his unit (the rule of ``Scope.verifies_object``); else none."""
    if not scope.verifies:
        return qs.none()
    if scope.office:
        return qs
    return qs.filter(object__unit_id__in=scope.head_units).filter(
        (Q(object__person__isnull=False) & ~Q(object__person_id=scope.person_id or 0))
        | (Q(object__person__isnull=True, object__unit__kind=Unit.Kind.SECTION)
           & ~Q(object__unit_id__in=scope.head_roots)))


def review_queue(*, scope: Scope, f: QueueFilter) -> QuerySet[Value]:
    """The submitted values of an assessment of the scope's organisation, oldest first (a queue),
    with what a row shows: all of them for the office, a unit head's staff and sections for him
    (四级考核), none for anyone else."""
    qs = for_org(Value.objects.all(), scope, "assessment__organisation").select_related(
        "object__unit", "period", "updated_by").filter(assessment=f.assessment, status=Value.Status.SUBMITTED)
    qs = verifiable(qs, scope)
    if f.period is not None:
        qs = qs.filter(period=f.period)
    if f.unit is not None:
        qs = qs.filter(object__unit=f.unit)
    if f.indicator:
        qs = qs.filter(indicator=f.indicator)
    if f.since is not None:
        qs = qs.filter(updated_at__gte=_day_start(f.since))
    if f.until is not None:
        qs = qs.filter(updated_at__lt=_day_start(f.until + timedelta(days=1)))
    return qs.order_by("updated_at", "id")


def value_indicators(catalog: Catalog) -> list[tuple[str, str]]:
    """(code, name) of the value indicators of a scheme, each once, in the scheme's order."""
    seen: dict[str, str] = {}
    for cat in catalog.categories.values():
        for lf in cat.leaves:
            if lf.kind == "value":
                seen.setdefault(lf.code, lf.name)
    return list(seen.items())


def indicator_name(catalog: Catalog, value: Value) -> str:
    """"地区生产总值" (or "地区生产总值 · 目标值" for a variable other than the value itself)."""
    leaf = catalog.leaf(catalog.category_of_group(value.object.group) or "", value.indicator)
    name = leaf.name if leaf else value.indicator
    if value.variable != "value":
        name = f"{name} · {VARIABLE_LABELS.get(value.variable, value.variable)}"
    return name


def units_assessed(*, scope: Scope, assessment: Assessment, catalog: Catalog) -> QuerySet[Unit]:
    """The units of the scope's organisation with active objects in the assessment's categories
    (the queue's unit filter)."""
    return for_org(Unit.objects.all(), scope).filter(
        assessed_objects__active=True, assessed_objects__category__code__in=list(catalog.categories)
    ).distinct().order_by("code")
