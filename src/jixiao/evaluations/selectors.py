"""Reads of evaluations, scoped to the organisation and the role:

- the office (绩效办) sees its organisation's campaigns, their set-up, turnout and results;
- a rater sees what he has to rate (我的测评) and nothing of anybody's ballots;
- a rated unit (its reporter, head or leader) sees its own objects' aggregates once the campaign
  is closed;
- individual ballots are shown to nobody: every read here counts or averages them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from jixiao.evaluations import rules
from jixiao.evaluations.models import Assignment, Ballot, Campaign, PaperTally, RaterGroup, Result, Token, WindowLink
from jixiao.org.models import AssessedObject, Person
from jixiao.org.scoping import Scope, for_org, in_org
from jixiao.planning import selectors as planning_selectors
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of


def campaigns_of(*, scope: Scope) -> QuerySet[Campaign]:
    """The office's campaigns; for anyone else the closed ones rating an object he sees."""
    qs = for_org(Campaign.objects.select_related("assessment", "period"), scope, "assessment__organisation")
    if scope.office:
        return qs
    units = scope.view_units or frozenset()
    return qs.filter(status=Campaign.Status.CLOSED).filter(
        Q(objects_rated__unit_id__in=units) | Q(objects_rated__person_id=scope.person_id)
        if scope.person_id else Q(objects_rated__unit_id__in=units)).distinct()


def campaign_get(*, scope: Scope, pk: int) -> Campaign:
    """One campaign the scope may see (:func:`campaigns_of`); 404 otherwise."""
    c = campaigns_of(scope=scope).filter(pk=pk).first()
    if c is None:
        raise Http404
    return c


def campaign_for_office(*, scope: Scope, pk: int) -> Campaign:
    """A campaign of the office's organisation (404 for another organisation's; a non-office user
    is refused by the service or the view)."""
    c = Campaign.objects.select_related("assessment", "period").filter(pk=pk).first()
    if c is None or not in_org(scope, c.assessment.organisation_id):
        raise Http404
    return c


def groups_of(campaign: Campaign) -> list[RaterGroup]:
    return list(campaign.groups.all())


def group_of(campaign: Campaign, pk: int | None) -> RaterGroup:
    g = campaign.groups.filter(pk=pk).first() if pk else None
    if g is None:
        raise Http404
    return g


def objects_of(campaign: Campaign) -> list[AssessedObject]:
    return list(campaign.objects_rated.select_related("category", "unit").order_by("category__position", "code"))


def object_in(campaign: Campaign, pk: int | None) -> AssessedObject:
    o = campaign.objects_rated.select_related("unit", "category").filter(pk=pk).first() if pk else None
    if o is None:
        raise Http404
    return o


def assignments_of(campaign: Campaign) -> QuerySet[Assignment]:
    return campaign.assignments.select_related("group", "object", "rater", "rater__person").order_by(
        "object__code", "group_id", "rater__username")


def assignment_of(campaign: Campaign, pk: int) -> Assignment:
    a = campaign.assignments.filter(pk=pk).first()
    if a is None:
        raise Http404
    return a


def windows_of(campaign: Campaign) -> QuerySet[WindowLink]:
    return campaign.windows.select_related("group", "object")


def people_of_org(*, scope: Scope) -> QuerySet[Person]:
    return for_org(Person.objects.filter(user__isnull=False).select_related("unit"), scope, "unit__organisation")


def person_of_org(*, scope: Scope, pk: int | None) -> Person:
    p = people_of_org(scope=scope).filter(pk=pk).first() if pk else None
    if p is None:
        raise Http404
    return p


def assessments_for_campaigns(*, scope: Scope) -> QuerySet[Assessment]:
    return for_org(Assessment.objects.all(), scope)


def periods_of_assessment(assessment: Assessment) -> QuerySet[Period]:
    return assessment.periods.order_by("position")


def objects_of_assessment(*, scope: Scope, assessment: Assessment) -> QuerySet[AssessedObject]:
    categories = list(catalog_of(assessment).categories)
    return for_org(AssessedObject.objects.filter(active=True, category__code__in=categories)
                   .select_related("category", "unit"), scope, "unit__organisation")


def rating_indicators(assessment: Assessment) -> list[tuple[str, str]]:
    """(code, name) of the indicators a campaign can feed: 评分, 测评票折算 and value indicators."""
    seen: dict[str, str] = {}
    for c in catalog_of(assessment).categories.values():
        for lf in c.leaves:
            if lf.method in ("manual", "rating") or (lf.kind == "value" and "value" in lf.variables
                                                     and not lf.fed_by_system):
                seen.setdefault(lf.code, f"{lf.name}（{' / '.join(lf.path[-1:] + (c.name,))}）" if lf.path
                                else f"{lf.name}（{c.name}）")
    return sorted(seen.items())


# --- 我的测评 -------------------------------------------------------------------------------------

def my_assignments(*, scope: Scope) -> QuerySet[Assignment]:
    """What the user rates in open campaigns: to do first, then done."""
    if scope.user_id is None:
        return Assignment.objects.none()
    return (for_org(Assignment.objects.filter(rater_id=scope.user_id, campaign__status=Campaign.Status.OPEN),
                    scope, "campaign__assessment__organisation")
            .select_related("campaign", "object", "group").order_by("submitted_at", "campaign__closes_at",
                                                                     "object__code"))


def my_assignment(*, scope: Scope, pk: int) -> Assignment:
    a = my_assignments(scope=scope).filter(pk=pk).first()
    if a is None:
        raise Http404
    return a


def self_report_for(obj: AssessedObject, period: Period) -> str | None:
    """The object's self-report (述职 / 自评 text) for the period, shown to its raters: what
    the planning app keeps (a unit's self-assessment report, a person's 工作纪实)."""
    return planning_selectors.self_report_for(obj=obj, period=period)


# --- Turnout (参评率) and the bulletin of who has not taken part ---------------------------------------

@dataclass(frozen=True)
class GroupTurnout:
    group: RaterGroup
    expected: int  # assignments, tokens issued and paper ballots issued
    cast: int  # ballots and paper ballots entered
    rate: Decimal | None


@dataclass(frozen=True)
class UnitTurnout:
    unit: str
    raters: int
    submitted: int  # raters who submitted everything
    assignments: int
    done: int
    rate: Decimal | None


def turnout(campaign: Campaign) -> list[GroupTurnout]:
    """参评率 per rater group, live: a handful of grouped queries whatever the campaign's size."""
    groups = groups_of(campaign)
    nobj = campaign.objects_rated.count()
    assigned = {g: (n, done) for g, n, done in campaign.assignments.values("group_id").annotate(
        n=Count("id"), done=Count("id", filter=Q(submitted_at__isnull=False))).values_list("group_id", "n", "done")}
    tokens = dict(Token.objects.filter(campaign=campaign).values("group_id").annotate(n=Count("id"))
                  .values_list("group_id", "n"))
    ballots = dict(Ballot.objects.filter(campaign=campaign).values("group_id").annotate(n=Count("id"))
                   .values_list("group_id", "n"))
    paper = dict(PaperTally.objects.filter(campaign=campaign).values("group_id").annotate(n=Sum("count"))
                 .values_list("group_id", "n"))
    used = dict(Token.objects.filter(campaign=campaign, used=True).values("group_id").annotate(n=Count("id"))
                .values_list("group_id", "n"))
    out = []
    for g in groups:
        if g.with_accounts:
            expected, cast = assigned.get(g.pk, (0, 0))
        else:
            # raters: tokens issued and paper ballots issued (a paper rater fills one per object)
            expected = tokens.get(g.pk, 0) + g.paper_issued
            cast = used.get(g.pk, 0) + int(paper.get(g.pk) or 0) // max(nobj, 1)
            if not expected:  # a window group: ballots only
                cast = ballots.get(g.pk, 0)
        out.append(GroupTurnout(group=g, expected=expected, cast=cast, rate=rules.turnout(cast, expected)))
    return out


def turnout_by_unit(campaign: Campaign) -> list[UnitTurnout]:
    """Per unit of the raters with an account: raters, who submitted all, 参评率 of assignments."""
    rows = (campaign.assignments.values("rater_id", "rater__person__unit__name")
            .annotate(n=Count("id"), done=Count("id", filter=Q(submitted_at__isnull=False))))
    units: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in rows:
        units[r["rater__person__unit__name"] or "未归属单位"].append((r["n"], r["done"]))
    return [UnitTurnout(unit=u, raters=len(v), submitted=sum(1 for n, d in v if d == n),
                        assignments=sum(n for n, _ in v), done=sum(d for _, d in v),
                        rate=rules.turnout(sum(d for _, d in v), sum(n for n, _ in v)))
            for u, v in sorted(units.items())]


def not_taken_part(campaign: Campaign) -> tuple[list[str], list[dict[str, Any]]]:
    """The bulletin: units none of whose raters has submitted, and raters with something left."""
    rows = list(campaign.assignments.values("rater__first_name", "rater__username", "rater__person__unit__name")
                .annotate(n=Count("id"), done=Count("id", filter=Q(submitted_at__isnull=False)))
                .order_by("rater__person__unit__name", "rater__username"))
    raters = [{"name": r["rater__first_name"] or r["rater__username"],
               "unit": r["rater__person__unit__name"] or "未归属单位", "left": r["n"] - r["done"]}
              for r in rows if r["done"] < r["n"]]
    by_unit: dict[str, int] = defaultdict(int)
    for r in rows:
        by_unit[r["rater__person__unit__name"] or "未归属单位"] += r["done"]
    return [u for u, d in sorted(by_unit.items()) if d == 0], raters


# --- Results ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResultRow:
    object: AssessedObject
    score: Decimal | None
    ballots: int
    groups: list[tuple[str, int, str | None]]  # group name, ballots, mean (None under the minimum)
    fed: str


def results_of(*, scope: Scope, campaign: Campaign) -> list[ResultRow]:
    """The aggregates: all of them for the office; a rated unit its own objects' after closing."""
    if campaign.status != Campaign.Status.CLOSED:
        return []
    names = {str(g.pk): g.name for g in groups_of(campaign)}
    qs = Result.objects.filter(campaign=campaign).select_related("object")
    if not scope.office:
        units = scope.view_units or frozenset()
        qs = qs.filter(Q(object__unit_id__in=units) | Q(object__person_id=scope.person_id)
                       if scope.person_id else Q(object__unit_id__in=units))
    return [ResultRow(object=r.object, score=r.score, ballots=r.ballots, fed=r.fed if scope.office else "",
                      groups=[(names.get(g, g), v["n"], v["mean"]) for g, v in r.groups.items()])
            for r in qs]


def campaign_counts(campaign: Campaign) -> dict[str, int]:
    return {"objects": campaign.objects_rated.count(), "assignments": campaign.assignments.count(),
            "tokens": campaign.tokens.count(), "ballots": campaign.ballots.count(),
            "windows": campaign.windows.count()}
