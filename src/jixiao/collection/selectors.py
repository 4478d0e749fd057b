"""Reads of the ledger: an object's form for a period, recording rates, the home overview."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jixiao.collection.models import (
    Ballot,
    Evidence,
    ImportJob,
    Incident,
    RecordingCount,
    Reminder,
    Value,
    ValueChange,
)
from jixiao.org.models import AssessedObject, Unit
from jixiao.org.scoping import Scope, for_org, in_org
from jixiao.org.selectors import objects_of_org, objects_visible
from jixiao.schemes.catalog import VARIABLE_LABELS, Catalog, Item, Leaf
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import assessments_all, catalog_of


@dataclass
class Cell:
    variable: str
    label: str
    value: Value | None
    editable: bool = True  # targets are set by the office (目标值由绩效办下达)
    # Whether the page offers an input: the user may report it, the period is open and, for a
    # reporter, the office has not verified it (已审核的数据需由绩效办退回后才能修改).
    writable: bool = False
    field: Any = None  # the bound form fields, attached by the view
    version_field: Any = None


@dataclass
class LedgerRow:
    leaf: Leaf
    cells: list[Cell]
    editable: bool
    evidence: list[Evidence] = field(default_factory=list)
    note_field: Any = None

    @property
    def writable(self) -> bool:
        return any(c.writable for c in self.cells)


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
        editable = period.is_open and scope.can_report(obj.unit_id, leaf.source)
        for c in cells:
            c.writable = (editable and c.editable and not leaf.fed_by_system
                          and (scope.office or c.value is None or c.value.status != Value.Status.VERIFIED))
        rows.append(LedgerRow(leaf=leaf, cells=cells, editable=editable, evidence=evs))
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


def _counts(period: Period, organisation_id: int, groups: list[str]) -> Iterable[tuple[str, int, str, str, int]]:
    """The counting values per (group, unit, indicator, variable), as the recompute keeps them
    (:mod:`jixiao.collection.services.recording`): never a count of the ledger itself."""
    return (RecordingCount.objects.filter(period=period, group__in=groups, unit__organisation_id=organisation_id,
                                          n__gt=0)
            .values_list("group", "unit_id", "indicator", "variable").annotate(total=Sum("n")).order_by())


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
    for group, unit, indicator, variable, n in _counts(period, assessment.organisation_id, groups):
        responsible = owner_map(group, unit).get((indicator, variable))
        if responsible is not None:
            per_done[responsible] += n
    reminders = dict(Reminder.objects.filter(period=period).values("unit").annotate(n=Count("id"))
                     .values_list("unit", "n"))
    rates = [Rate(unit=units[u], expected=n, reported=per_done[u], reminders=reminders.get(u, 0))
             for u, n in per_exp.items()]
    return sorted(rates, key=lambda r: (r.percent, r.unit.code))


# --- The incident register (加减分事项) -------------------------------------------------------


@dataclass(frozen=True)
class IncidentIndicator:
    """An indicator the register accepts: an incident leaf or a veto, by name, with its items."""

    code: str
    name: str
    veto: bool
    items: tuple[Item, ...] = ()

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)


@dataclass
class IncidentChoices:
    """What a user may register in an assessment: the objects of his units (all for the office),
    and the incident indicators and vetoes of their categories, each by name."""

    objects: list[AssessedObject]
    indicators: list[IncidentIndicator]
    # each object's category, to check the indicator chosen applies to it
    indicators_of: dict[str, frozenset[str]] = field(default_factory=dict)

    def indicator(self, code: str) -> IncidentIndicator | None:
        return next((i for i in self.indicators if i.code == code), None)


def incident_indicators(catalog: Catalog) -> dict[str, list[IncidentIndicator]]:
    """Per category, the incident leaves then the vetoes, in the scheme's order."""
    out: dict[str, list[IncidentIndicator]] = {}
    for cat in catalog.categories.values():
        rows = [IncidentIndicator(lf.code, lf.name, False, lf.items) for lf in cat.leaves if lf.kind == "incident"]
        rows += [IncidentIndicator(code, name, True) for code, name in cat.vetoes]
        out[cat.code] = rows
    return out


def assessments_with_incidents(*, scope: Scope) -> list[Assessment]:
    """The assessments of the scope's organisation whose scheme has incident indicators (the
    register's choice of assessment)."""
    return [a for a in assessments_all(scope=scope) if any(
        lf.kind == "incident" for c in catalog_of(a).categories.values() for lf in c.leaves)]


def incident_choices(*, scope: Scope, assessment: Assessment) -> IncidentChoices:
    """The objects the scope may register incidents for (the office: all of its organisation; a
    unit's reporter or head: his units') and the indicators of their categories. Two queries at most."""
    catalog = catalog_of(assessment)
    per_cat = incident_indicators(catalog)
    cats = [c for c, rows in per_cat.items() if rows]
    qs = objects_of_org(scope=scope).select_related("unit", "category").filter(category__code__in=cats)
    if not scope.office:
        qs = qs.filter(unit_id__in=scope.report_units | scope.head_units)
    objs = list(qs.order_by("category__position", "code"))
    used = {catalog.category_of_group(o.group) or "" for o in objs}
    indicators: dict[str, IncidentIndicator] = {}
    for cat in cats:
        if cat in used:
            for ind in per_cat[cat]:
                indicators.setdefault(ind.code, ind)
    return IncidentChoices(objects=objs, indicators=list(indicators.values()),
                           indicators_of={c: frozenset(i.code for i in per_cat[c]) for c in cats})


def incident_label(catalog: Catalog, incident: Incident) -> str:
    """An incident's indicator and item by name: "通报批评 / 通报批评", "重大安全事故（否决项）"."""
    cat = catalog.categories.get(catalog.category_of_group(incident.object.group) or "")
    if cat is None:
        return incident.indicator
    veto = dict(cat.vetoes).get(incident.indicator)
    if veto is not None:
        return f"{veto}（否决项）"
    leaf = catalog.leaf(cat.code, incident.indicator)
    if leaf is None:
        return incident.indicator
    item = next((i.name for i in leaf.items if i.code == incident.item), incident.item)
    return f"{leaf.name} / {item}" if item else leaf.name


def incidents_for(*, scope: Scope, assessment: Assessment | None, status: str = "") -> QuerySet[Incident]:
    """The incidents the scope sees (of its organisation's assessments), newest first, with what a
    list shows (no query per row)."""
    qs = for_org(Incident.objects.all(), scope, "assessment__organisation").select_related(
        "object__unit", "period", "created_by", "decided_by").prefetch_related("evidence")
    if assessment is not None:
        qs = qs.filter(assessment=assessment)
    if status:
        qs = qs.filter(status=status)
    units = scope.view_units
    if units is not None:
        qs = qs.filter(object__unit_id__in=units)
    return qs


# --- A value's history in words (填报记录) ----------------------------------------------------

_VIA = {"form": "", "import": "（Excel 导入）", "api": "（接口）", "demo": "（演示数据）",
        "supervision": "（督办系统）", "negotiation": "（目标磋商审定）", "plan": "（工作计划）",
        "calendar": "（报送日历）", "evaluation": "（测评活动）"}
_STATUS = dict(Value.Status.choices)


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a value as a clerk reads it: "绩效办 张三 2024-12-05 14:03 修改并审核：8156 → 9500"."""

    who: str  # role or unit, then the person's display name
    at: str  # local time, to the minute
    action: str  # in words
    before: str
    after: str
    status: str  # "已报送 → 已审核", or the one status when it did not change
    note: str

    @property
    def text(self) -> str:
        line = f"{self.who} {self.at} {self.action}：{self.before} → {self.after}"
        if self.status:
            line += f"（{self.status}）"
        return line + (f"，理由：{self.note}" if self.note else "")


def _number_text(d: Decimal | None) -> str:
    return "—" if d is None else format(d.normalize(), "f")


def _action_text(change: ValueChange) -> str:
    first = change.status_before == ""
    if change.action == "verify":
        return "审核通过"
    if change.action == "return":
        return "退回"
    if change.action == "submit":
        return "填报并报送" if first else ("修改并报送" if change.before != change.after else "报送")
    if change.via == "supervision":
        return "督办系统计数"
    if change.via == "evaluation":
        return "测评活动结果"
    verb = "填报" if first else "修改"
    words: dict[str, str] = {Value.Status.VERIFIED: f"{'录入' if first else '修改'}并审核",
                             Value.Status.SUBMITTED: f"{verb}并报送", Value.Status.DRAFT: f"{verb}（草稿）",
                             Value.Status.RETURNED: verb}
    return words.get(change.status_after, verb)


def actor_labels(user_ids: Iterable[int]) -> dict[int, str]:
    """Each user as a clerk names him: his office or unit, then his display name ("绩效办 张三",
    "东镇 李四"); one query for the grants, one for the users."""
    from django.contrib.auth import get_user_model

    from jixiao.org.models import RoleGrant

    ids = set(user_ids)
    if not ids:
        return {}
    where: dict[int, str] = {}
    order = [RoleGrant.Role.OFFICE_ADMIN, RoleGrant.Role.SOURCE_REPORTER, RoleGrant.Role.UNIT_REPORTER,
             RoleGrant.Role.UNIT_HEAD, RoleGrant.Role.LEADER, RoleGrant.Role.STAFF]
    rank: dict[str, int] = {str(r): n for n, r in enumerate(order)}
    best: dict[int, int] = {}
    for uid, role, unit in RoleGrant.objects.filter(user_id__in=ids).values_list("user_id", "role", "unit__name"):
        r = rank.get(role, 9)
        if r < best.get(uid, 99):
            best[uid] = r
            where[uid] = "绩效办" if role == RoleGrant.Role.OFFICE_ADMIN else (
                unit or RoleGrant.Role(role).label)
    out = {}
    for uid, name, username, superuser in get_user_model().objects.filter(pk__in=ids).values_list(
            "pk", "first_name", "username", "is_superuser"):
        place = where.get(uid) or ("绩效办" if superuser else "")
        out[uid] = f"{place} {name or username}".strip()
    return out


def history_entries(changes: Iterable[ValueChange]) -> list[HistoryEntry]:
    """Changes of a value (its ``changes``, newest first, or a page of them) in words; two
    queries more for the people named, whatever their number."""
    changes = list(changes)
    who = actor_labels(c.actor_id for c in changes if c.actor_id is not None)
    out = []
    for c in changes:
        before, after = _STATUS.get(c.status_before, ""), _STATUS.get(c.status_after, c.status_after)
        out.append(HistoryEntry(
            who=who.get(c.actor_id, "系统") if c.actor_id is not None else "系统",
            at=f"{timezone.localtime(c.at):%Y-%m-%d %H:%M}", action=_action_text(c) + _VIA.get(c.via, ""),
            before=_number_text(c.before), after=_number_text(c.after),
            status=f"{before} → {after}" if before and before != after else after, note=c.note))
    return out


def import_jobs_of(*, scope: Scope) -> QuerySet[ImportJob]:
    """The user's imports into his organisation's assessments, newest first, with what their list
    shows."""
    return for_org(ImportJob.objects.filter(created_by_id=scope.user_id), scope,
                   "assessment__organisation").select_related("assessment", "period")


# --- single records and small reads for the ledger pages ------------------------------------------


def value_get(*, scope: Scope, pk: int) -> Value:
    """A value of the scope's organisation with its object, period, assessment and scheme version
    (what the review, evidence and history pages read); ``Http404`` for another's. Whether the
    user sees its object is the page's rule."""
    return get_object_or_404(for_org(Value.objects.select_related("object", "period__assessment",
                                                                  "assessment__version"),
                                     scope, "assessment__organisation"), pk=pk)


def evidence_get(*, scope: Scope, pk: int) -> Evidence:
    """A piece of evidence with the value or incident it documents; ``Http404`` when it documents
    neither or lies in another organisation."""
    ev = get_object_or_404(Evidence.objects.select_related(
        "value__object", "value__assessment__version", "incident__object", "incident__assessment"), pk=pk)
    owner = ev.value.assessment if ev.value is not None else ev.incident.assessment if ev.incident else None
    if owner is None or not in_org(scope, owner.organisation_id):
        raise Http404
    return ev


def period_progress(*, period: Period, objects: Iterable[AssessedObject]) -> dict[int, Mapping[str, Any]]:
    """Per object (by id): how many values it has in the period, how many count, were returned,
    await review."""
    rows = (Value.objects.filter(period=period, object__in=objects).values("object_id")
            .annotate(n=Count("id"), counted=Count("id", filter=Q(status__in=Value.COUNTING)),
                      returned=Count("id", filter=Q(status=Value.Status.RETURNED)),
                      submitted=Count("id", filter=Q(status=Value.Status.SUBMITTED))))
    return {row["object_id"]: row for row in rows}


def ballots_of(*, period: Period, obj: AssessedObject, by_rating: bool = True) -> list[dict[str, Any]]:
    """The ratings an object has received in a period, counted per indicator and rating (or, not
    ``by_rating``, only how many per indicator): never one ballot, never a rater's name (raters are
    anonymous, jixiao.evaluations)."""
    keys = ["indicator", *(["rating"] if by_rating else [])]
    rows = (Ballot.objects.filter(period=period, object=obj).values(*keys)
            .annotate(n=Sum("count")).order_by(*keys))
    return [dict(r) for r in rows]


def import_job_get(*, scope: Scope, pk: int) -> ImportJob:
    """An import job of the scope's organisation with its assessment, period and author;
    ``Http404`` for another organisation's and, but for the office, for another user's."""
    job = get_object_or_404(for_org(ImportJob.objects.select_related("assessment", "period", "created_by"),
                                    scope, "assessment__organisation"), pk=pk)
    if job.created_by_id != scope.user_id and not scope.office:
        raise Http404
    return job


def incident_get(*, scope: Scope, pk: int) -> Incident:
    """An incident of the scope's organisation with its assessment; ``Http404`` for another's."""
    return get_object_or_404(for_org(Incident.objects.select_related("assessment"), scope,
                                     "assessment__organisation"), pk=pk)
