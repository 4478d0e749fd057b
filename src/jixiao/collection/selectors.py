"""Reads of the ledger: an object's form for a period, recording rates, the home overview."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from jixiao.collection.models import Evidence, Incident, Reminder, Value
from jixiao.org.models import AssessedObject, Unit
from jixiao.org.scoping import Scope
from jixiao.org.selectors import objects_of_org, objects_visible
from jixiao.schemes.catalog import VARIABLE_LABELS, Catalog, Leaf
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import assessments_all, catalog_of


@dataclass
class Cell:
    variable: str
    label: str
    value: Value | None
    editable: bool = True  # targets are set by the office (目标值由绩效办下达)
    field: Any = None  # the bound form fields, attached by the view
    version_field: Any = None


@dataclass
class LedgerRow:
    leaf: Leaf
    cells: list[Cell]
    editable: bool
    evidence: list[Evidence] = field(default_factory=list)
    note_field: Any = None


def ledger_for(*, scope: Scope, period: Period, obj: AssessedObject) -> list[LedgerRow]:
    """The value indicators of an object in a period that the scope sees, with their values and
    evidence; three queries whatever the number of indicators."""
    catalog = catalog_of(period.assessment)
    category = catalog.category_of_group(obj.group)
    if category is None:
        return []
    values = {(v.indicator, v.variable): v for v in Value.objects.filter(period=period, object=obj)
              .select_related("updated_by")}
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for ev in Evidence.objects.filter(value__period=period, value__object=obj):
        assert ev.value_id is not None
        evidence[ev.value_id].append(ev)
    full = scope.office or scope.sees_object(obj.unit_id, obj.person_id)
    rows = []
    for leaf in catalog.categories[category].leaves:
        if leaf.kind != "value" or not leaf.applies(period.code):
            continue
        if not full and not scope.reports_source(leaf.source):
            continue
        cells = [Cell(v, VARIABLE_LABELS.get(v, v), values.get((leaf.code, v)), editable=scope.office or v != "target")
                 for v in leaf.variables]
        evs = [e for c in cells if c.value is not None for e in evidence.get(c.value.pk, [])]
        rows.append(LedgerRow(leaf=leaf, cells=cells, editable=period.is_open and scope.can_report(obj.unit_id,
                                                                                                    leaf.source),
                              evidence=evs))
    return rows


def objects_for_ledger(*, scope: Scope, assessment: Assessment) -> list[AssessedObject]:
    catalog = catalog_of(assessment)
    objs = objects_visible(scope=scope, categories=list(catalog.categories))
    if scope.source_units and not scope.office:
        # A data-source unit's reporter also reports for every object of the categories that
        # have his indicators (only those indicators: see ``ledger_for``).
        cats = list(catalog.sourced_to(scope.source_keys))
        objs = objs | objects_of_org(scope=scope).select_related("category", "unit").filter(category__code__in=cats)
    return list(objs.distinct().order_by("category__position", "code"))


@dataclass(frozen=True)
class Rate:
    unit: Unit
    expected: int
    reported: int
    reminders: int

    @property
    def percent(self) -> float:
        return 100.0 * self.reported / self.expected if self.expected else 100.0


def _owners(catalog: Catalog, group: str, unit: int, period: str,
            source_units: dict[str, int]) -> dict[tuple[str, str], int]:
    """(indicator, variable) → the unit responsible for reporting it, for an object of ``group`` in
    ``unit``. Targets are set by the office, not reported, so they are not expected; counts fed
    by supervision are not typed by anyone."""
    cat = catalog.category_of_group(group)
    if cat is None:
        return {}
    out: dict[tuple[str, str], int] = {}
    for leaf in catalog.categories[cat].leaves:
        if leaf.kind != "value" or leaf.fed_by_system or not leaf.applies(period):
            continue
        owner = source_units.get(leaf.source, unit) if leaf.source else unit
        for var in leaf.variables:
            if var != "target":
                out[(leaf.code, var)] = owner
    return out


def recording_rates(*, period: Period) -> list[Rate]:
    """Per responsible unit (the assessed unit, or the data-source unit for third-party
    indicators): how many expected values are submitted or verified (录入率).

    Counted by the database per (group, unit, indicator, variable), never a row per value: a
    city's staff report a million values a month."""
    assessment = period.assessment
    catalog = catalog_of(assessment)
    groups = [g for c in catalog.categories.values() for g in c.groups]
    units = {u.pk: u for u in Unit.objects.filter(organisation_id=assessment.organisation_id)}
    keys = {k: u.pk for u in units.values() for k in (u.code, u.name)}
    owners: dict[tuple[str, int], dict[tuple[str, str], int]] = {}

    def owner_map(group: str, unit: int) -> dict[tuple[str, str], int]:
        key = (group, unit)
        if key not in owners:
            owners[key] = _owners(catalog, group, unit, period.code, keys)
        return owners[key]

    per_exp: dict[int, int] = defaultdict(int)
    per_done: dict[int, int] = defaultdict(int)
    for group, unit, n in (AssessedObject.objects.filter(active=True, group__in=groups,
                                                         unit__organisation_id=assessment.organisation_id)
                           .values_list("group", "unit_id").annotate(n=Count("id")).order_by()):
        for owner in owner_map(group, unit).values():
            per_exp[owner] += n
    for group, unit, indicator, variable, n in (
            Value.objects.filter(period=period, status__in=Value.COUNTING, value__isnull=False, object__active=True,
                                 object__group__in=groups, object__unit__organisation_id=assessment.organisation_id)
            .values_list("object__group", "object__unit_id", "indicator", "variable").annotate(n=Count("id"))
            .order_by()):
        responsible = owner_map(group, unit).get((indicator, variable))
        if responsible is not None:
            per_done[responsible] += n
    reminders = dict(Reminder.objects.filter(period=period).values("unit").annotate(n=Count("id"))
                     .values_list("unit", "n"))
    rates = [Rate(unit=units[u], expected=n, reported=per_done[u], reminders=reminders.get(u, 0))
             for u, n in per_exp.items()]
    return sorted(rates, key=lambda r: (r.percent, r.unit.code))


def home_overview(*, scope: Scope) -> dict[str, Any]:
    assessments = list(assessments_all(scope=scope))
    in_org = [a.pk for a in assessments]
    pending_incidents = (Incident.objects.filter(status=Incident.Status.PENDING, assessment_id__in=in_org).count()
                         if scope.office else 0)
    to_verify = (Value.objects.filter(status=Value.Status.SUBMITTED, assessment_id__in=in_org).count()
                 if scope.office else 0)
    returned = 0
    reminders: list[Reminder] = []
    if not scope.office and scope.view_units:
        returned = Value.objects.filter(status=Value.Status.RETURNED, object__unit_id__in=scope.view_units).count()
        reminders = list(Reminder.objects.filter(Q(unit_id__in=scope.view_units) | Q(unit_id__in=scope.source_units))
                         .select_related("period", "sent_by")[:10])
    return {"assessments": assessments, "pending_incidents": pending_incidents, "to_verify": to_verify,
            "returned": returned, "reminders": reminders}
