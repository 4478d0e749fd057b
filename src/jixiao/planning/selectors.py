"""Reads of targets and plans, scoped by organisation and role, each list in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from jixiao.collection.models import Value
from jixiao.org.models import AssessedObject, Unit
from jixiao.org.scoping import Scope, for_org, in_org
from jixiao.planning import rules
from jixiao.planning.models import (
    CalendarMark,
    DelegatedScheme,
    HigherTarget,
    Negotiation,
    PeriodCalendar,
    PlanningSettings,
    SelfReport,
    SelfScore,
    Step,
    TargetProposal,
    TargetShare,
    WorkPlan,
)
from jixiao.schemes.catalog import Leaf
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of


def assessments_for(*, scope: Scope) -> QuerySet[Assessment]:
    return for_org(Assessment.objects.select_related("version__scheme"), scope)


def assessment_get(*, scope: Scope, code: str) -> Assessment:
    """One assessment of the scope's organisation; ``Assessment.DoesNotExist`` otherwise."""
    return for_org(Assessment.objects.select_related("version"), scope).get(code=code)


def period_get(*, assessment: Assessment, code: str) -> Period:
    return Period.objects.select_related("assessment").get(assessment=assessment, code=code)


def _visible(scope: Scope, path: str = "object") -> Q:
    """The rows of objects the scope sees: everything for the office, else the units it leads,
    heads or reports for, and the person's own object."""
    if scope.office:
        return Q()
    cond = Q(**{f"{path}__unit_id__in": scope.view_units or ()})
    if scope.person_id is not None:
        cond |= Q(**{f"{path}__person_id": scope.person_id})
    return cond


def proposals_for(*, scope: Scope, assessment: Assessment, state: str = "") -> QuerySet[TargetProposal]:
    qs: QuerySet[TargetProposal] = (for_org(TargetProposal.objects.all(), scope).filter(assessment=assessment)
                                    .filter(_visible(scope)).select_related("object", "period"))
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("object__code", "period__position", "indicator")


def proposal_get(*, scope: Scope, pk: int) -> TargetProposal:
    """One proposal the scope sees (``TargetProposal.DoesNotExist`` otherwise)."""
    return (for_org(TargetProposal.objects.all(), scope).filter(_visible(scope))
            .select_related("object__unit", "period", "assessment__version").get(pk=pk))


def steps_of(*, proposal: TargetProposal | None = None, plan: WorkPlan | None = None) -> list[Step]:
    qs = Step.objects.filter(proposal=proposal) if proposal is not None else Step.objects.filter(plan=plan)
    return list(qs.order_by("at", "id"))


def negotiation_of(proposal: TargetProposal) -> Negotiation | None:
    return Negotiation.objects.filter(proposal=proposal).first()


def objects_for_unit(*, scope: Scope, assessment: Assessment) -> list[AssessedObject]:
    """The objects the scope may propose or self-assess for: its own units' (or all, the office)."""
    catalog = catalog_of(assessment)
    qs = for_org(AssessedObject.objects.select_related("unit", "category").filter(active=True), scope,
                 "unit__organisation").filter(category__code__in=list(catalog.categories))
    if not scope.office:
        cond = Q(unit_id__in=scope.report_units | scope.head_units)
        if scope.person_id is not None:
            cond |= Q(person_id=scope.person_id)
        qs = qs.filter(cond)
    return list(qs.order_by("category__position", "code"))


def target_leaves(*, assessment: Assessment, obj: AssessedObject, period: Period | None = None) -> list[Leaf]:
    """The object's indicators that take a target (目标值), in the period when given."""
    catalog = catalog_of(assessment)
    cat = catalog.category_of_group(obj.group)
    if cat is None:
        return []
    return [lf for lf in catalog.categories[cat].leaves if lf.kind == "value" and "target" in lf.variables
            and (period is None or lf.applies(period.code))]


def leaf_names(assessment: Assessment) -> dict[str, str]:
    return {lf.code: lf.name for c in catalog_of(assessment).categories.values() for lf in c.leaves}


def settings_get(assessment: Assessment) -> PlanningSettings:
    return PlanningSettings.objects.filter(assessment=assessment).first() or PlanningSettings(assessment=assessment)


# --- Coverage -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageView:
    report: rules.Coverage
    names: dict[int, str]
    highers: list[HigherTarget]


def coverage_of(*, scope: Scope, assessment: Assessment) -> CoverageView:
    """The coverage report: higher-level targets against the units' (agreed, else proposed) ones."""
    highers = list(HigherTarget.objects.filter(assessment=assessment).order_by("indicator"))
    parts: dict[int, dict[int, Decimal]] = defaultdict(dict)
    names: dict[int, str] = {}
    for hid, oid, oname, share in TargetShare.objects.filter(higher__assessment=assessment).values_list(
            "higher_id", "object_id", "object__name", "share"):
        parts[hid][oid] = share
        names[oid] = oname
    targets: dict[tuple[int, str], Decimal] = {}
    for oid, ind, target, agreed in (TargetProposal.objects.filter(assessment=assessment)
                                     .exclude(state=TargetProposal.State.DRAFT)
                                     .values_list("object_id", "indicator", "target", "agreed")):
        got = agreed if agreed is not None else target
        if got is not None:
            targets[(oid, ind)] = targets.get((oid, ind), Decimal(0)) + got
    report = rules.coverage([rules.Higher(h.indicator, h.name, h.total, h.split, parts.get(h.pk, {}))
                             for h in highers], targets)
    return CoverageView(report=report, names=names, highers=highers)


# --- Self-assessment ----------------------------------------------------------------------------


def self_scores_of(*, period: Period, obj: AssessedObject) -> dict[str, SelfScore]:
    return {s.indicator: s for s in SelfScore.objects.filter(period=period, object=obj)}


def self_report_get(*, period: Period, obj: AssessedObject) -> SelfReport | None:
    return SelfReport.objects.filter(period=period, object=obj).first()


def self_report_for(*, obj: AssessedObject, period: Period) -> str | None:
    """The object's self-assessment report or 工作纪实/述职 text for the period, for raters; None
    when none was written."""
    text = SelfReport.objects.filter(period=period, object=obj).values_list("text", flat=True).first()
    return text or None


def verified_values(*, period: Period, obj: AssessedObject) -> dict[tuple[str, str], float]:
    """(indicator, variable) → the counting number of the object in the period."""
    return {(i, v): float(x) for i, v, x in Value.objects.filter(
        period=period, object=obj, status__in=Value.COUNTING, value__isnull=False).values_list(
        "indicator", "variable", "value") if x is not None}


def calendar_of(period: Period) -> PeriodCalendar | None:
    return PeriodCalendar.objects.filter(period=period).first()


def object_in_scope(scope: Scope, obj: AssessedObject) -> bool:
    return in_org(scope, obj.unit.organisation_id) and (
        scope.sees_unit(obj.unit_id) or (obj.person_id is not None and obj.person_id == scope.person_id))


def object_get(*, scope: Scope, assessment: Assessment, code: str) -> AssessedObject:
    """An object of the assessment's organisation the scope sees (``DoesNotExist`` otherwise)."""
    obj = (AssessedObject.objects.select_related("unit", "category")
           .get(code=code, unit__organisation_id=assessment.organisation_id))
    if not object_in_scope(scope, obj):
        raise AssessedObject.DoesNotExist
    return obj


# --- Work plans ---------------------------------------------------------------------------------


def plans_for(*, scope: Scope, assessment: Assessment) -> QuerySet[WorkPlan]:
    return (for_org(WorkPlan.objects.all(), scope).filter(assessment=assessment).filter(_visible(scope))
            .select_related("object", "period").order_by("period__position", "object__code"))


def plan_get(*, scope: Scope, pk: int) -> WorkPlan:
    """One work plan the scope sees (``WorkPlan.DoesNotExist`` otherwise)."""
    return (for_org(WorkPlan.objects.all(), scope).filter(_visible(scope))
            .select_related("object__unit", "period", "assessment__version").get(pk=pk))


# --- Self-assessment beside verified scores -------------------------------------------------------


@dataclass(frozen=True)
class CompareRow:
    indicator: str
    name: str
    points: float | None
    self_score: Decimal | None
    note: str
    verified: float | None

    @property
    def gap(self) -> float | None:
        if self.self_score is None or self.verified is None:
            return None
        return round(float(self.self_score) - self.verified, 2)

    @property
    def flagged(self) -> bool:
        """A gap worth the office's look: a point or more (or no verified score to compare)."""
        return self.self_score is not None and (self.gap is None or abs(self.gap) >= 1)


def _verified(period: Period, object_ids: list[int]) -> dict[int, dict[str, dict[str, float]]]:
    out: dict[int, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for oid, ind, var, x in Value.objects.filter(period=period, object_id__in=object_ids,
                                                 status=Value.Status.VERIFIED, value__isnull=False).values_list(
            "object_id", "indicator", "variable", "value"):
        if x is not None:
            out[oid][ind][var] = float(x)
    return out


def self_compare(*, period: Period, objects: list[AssessedObject]) -> dict[int, list[CompareRow]]:
    """Per object: each indicator with points, its self-score and the score of its verified numbers
    (the engine's method on them; see :mod:`jixiao.planning.leafscore`). Three queries."""
    from jixiao.planning.leafscore import leaf_nodes, leaf_score

    catalog = catalog_of(period.assessment)
    ids = [o.pk for o in objects]
    scores: dict[int, dict[str, SelfScore]] = defaultdict(dict)
    for ss in SelfScore.objects.filter(period=period, object_id__in=ids):
        scores[ss.object_id][ss.indicator] = ss
    verified = _verified(period, ids)
    out: dict[int, list[CompareRow]] = {}
    for o in objects:
        cat = catalog.category_of_group(o.group)
        if cat is None:
            out[o.pk] = []
            continue
        nodes = leaf_nodes(catalog.scheme, cat)
        rows = []
        for lf in catalog.categories[cat].leaves:
            if lf.points is None or not lf.applies(period.code):
                continue
            s = scores[o.pk].get(lf.code)
            node = nodes.get(lf.code)
            v = leaf_score(node, verified[o.pk][lf.code]) if node is not None and lf.code in verified[o.pk] else None
            rows.append(CompareRow(lf.code, lf.name, lf.points, s.score if s else None, s.note if s else "", v))
        out[o.pk] = rows
    return out


def self_reports_of(*, period: Period, objects: list[AssessedObject]) -> dict[int, SelfReport]:
    return {r.object_id: r for r in SelfReport.objects.filter(period=period, object_id__in=[o.pk for o in objects])}


def objects_seen(*, scope: Scope, assessment: Assessment) -> list[AssessedObject]:
    """The assessment's objects the scope sees (the office all, a leader his units', a unit its own)."""
    catalog = catalog_of(assessment)
    qs = for_org(AssessedObject.objects.select_related("unit", "category").filter(active=True), scope,
                 "unit__organisation").filter(category__code__in=list(catalog.categories))
    if not scope.office:
        cond = Q(unit_id__in=scope.view_units or ())
        if scope.person_id is not None:
            cond |= Q(person_id=scope.person_id)
        qs = qs.filter(cond)
    return list(qs.order_by("category__position", "code"))


# --- The reporting calendar -----------------------------------------------------------------------


def calendars_of(assessment: Assessment) -> dict[int, PeriodCalendar]:
    return {c.period_id: c for c in PeriodCalendar.objects.filter(period__assessment=assessment)}


@dataclass(frozen=True)
class LateRow:
    unit: str
    expected: int
    reported: int
    percent: float
    late: bool
    marks: tuple[str, ...]  # 截止前提醒 / 逾期催报 / 逾期扣分, with their dates


def rates_with_lateness(*, period: Period, today: Any) -> list[LateRow]:
    """The period's recording rates (录入率) per unit, each marked late when the reporting due date
    has passed and the unit is still behind, with what the calendar job did about it."""
    from jixiao.collection.selectors import recording_rates

    cal = calendar_of(period)
    due = cal.report_due if cal else None
    labels = dict(CalendarMark.Kind.choices)
    marks: dict[int, list[str]] = defaultdict(list)
    for unit_id, kind, on in CalendarMark.objects.filter(period=period).order_by("on", "id").values_list(
            "unit_id", "kind", "on"):
        marks[unit_id].append(f"{labels.get(kind, kind)} {on:%m-%d}")
    return [LateRow(unit=r.unit.name, expected=r.expected, reported=r.reported, percent=r.percent,
                    late=bool(due and today > due and r.reported < r.expected), marks=tuple(marks.get(r.unit.pk, ())))
            for r in recording_rates(period=period)]


# --- Delegated assessment (四级考核) ---------------------------------------------------------------


def delegated_for(*, scope: Scope) -> QuerySet[DelegatedScheme]:
    """Filed rules the scope sees: the office all of its organisation's, a unit head or leader his units'."""
    qs = for_org(DelegatedScheme.objects.select_related("unit"), scope)
    if not scope.office:
        qs = qs.filter(unit_id__in=scope.head_units | scope.leader_units)
    return qs.order_by("-year", "unit__code")


def delegated_get(*, scope: Scope, pk: int) -> DelegatedScheme:
    """One filed rules document the scope sees (``DelegatedScheme.DoesNotExist`` otherwise)."""
    return delegated_for(scope=scope).get(pk=pk)


def headed_units(*, scope: Scope) -> list[Unit]:
    """The units the scope heads (the top of each head grant's subtree first)."""
    return list(for_org(Unit.objects.filter(pk__in=scope.head_units), scope).order_by("level", "position", "code"))


# --- What waits for the user ------------------------------------------------------------------------


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str


def todos_for(*, scope: Scope) -> list[Todo]:
    """待办: what waits for this user's step across the organisation's assessments (three queries)."""
    from django.db.models import Count
    from django.urls import reverse

    out: list[Todo] = []
    states: dict[tuple[str, str, bool, bool], int] = defaultdict(int)
    for code, state, unit_id, person_id, n in (
            for_org(TargetProposal.objects.all(), scope).filter(_visible(scope))
            .values_list("assessment__code", "state", "object__unit_id", "object__person_id")
            .annotate(n=Count("id")).order_by()):
        mine = unit_id in scope.report_units or unit_id in scope.head_units or (
            person_id is not None and person_id == scope.person_id)
        states[(code, state, mine, unit_id in scope.leader_units)] += n
    for (code, state, mine, charge), n in sorted(states.items()):
        url = reverse("planning:targets", kwargs={"code": code}) + f"?state={state}"
        if scope.office and state in ("submitted", "passed"):
            out.append(Todo("待初审的目标申报" if state == "submitted" else "待磋商的目标申报", n, url))
        elif charge and state == "negotiated":
            out.append(Todo("待审定的目标", n, url))
        elif mine and state == "returned":
            out.append(Todo("被退回的目标申报", n, url))
    plans: dict[tuple[str, str], int] = defaultdict(int)
    for code, state, unit_id, person_id, n in (
            for_org(WorkPlan.objects.all(), scope).filter(_visible(scope)).filter(state__in=("submitted", "reported"))
            .values_list("assessment__code", "state", "object__unit_id", "object__person_id")
            .annotate(n=Count("id")).order_by()):
        own = person_id is not None and person_id == scope.person_id
        if scope.office or (unit_id in scope.head_units and not own):
            plans[(code, state)] += n
    for (code, state), n in sorted(plans.items()):
        out.append(Todo("待审批的工作计划" if state == "submitted" else "待确认的计划完成情况", n,
                        reverse("planning:plans", kwargs={"code": code})))
    if scope.office:
        filed = for_org(DelegatedScheme.objects.filter(state=DelegatedScheme.State.FILED), scope).count()
        if filed:
            out.append(Todo("待备案的考评细则", filed, reverse("planning:delegated")))
    return out
