"""Reads of the use of results (结果运用), scoped by organisation and role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope, for_org
from jixiao.outcomes import letter
from jixiao.outcomes.models import Appeal, Archive, Feedback, ImprovementPlan
from jixiao.outcomes.services.appeals import may_appeal_for
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.approval import LEADER_GROUP
from jixiao.scoring.models import Approval, Publication, Result
from jixiao.scoring.snapshot import components_of


def appeals_for(*, scope: Scope) -> QuerySet[Appeal]:
    """The appeals the user may read: the office all of its organisation's; others those on
    objects they see or those they filed."""
    if not scope.authenticated:
        return Appeal.objects.none()
    qs = for_org(Appeal.objects.select_related("object", "publication", "assessment", "filed_by", "decided_by",
                                               "period", "republished"), scope, "assessment__organisation")
    if scope.office:
        return qs
    units = scope.view_units or frozenset()
    cond = Q(object__unit_id__in=units) | Q(filed_by_id=scope.user_id)
    if scope.person_id is not None:
        cond |= Q(object__person_id=scope.person_id)
    return qs.filter(cond)


def appeal_get(*, scope: Scope, pk: int) -> Appeal:
    appeal = appeals_for(scope=scope).filter(pk=pk).first()
    if appeal is None:
        raise Http404("没有这个申诉")
    return appeal


def appealable_objects(*, scope: Scope, publication: Publication) -> list[AssessedObject]:
    """The objects of the publication the user may appeal for (his unit's, or himself)."""
    codes = [row["object"] for row in publication.snapshot.get("rows", [])]
    objs = for_org(AssessedObject.objects.filter(code__in=codes), scope, "unit__organisation").order_by("code")
    return [o for o in objs if may_appeal_for(scope, o)]


def indicator_choices(*, publication: Publication) -> list[tuple[str, str]]:
    info = catalog_of(publication.assessment).categories.get(publication.category)
    if info is None:
        return []
    return [(lf.code, " › ".join((*lf.path, lf.name)) if lf.path else lf.name) for lf in info.leaves]


def period_choices(*, appeal: Appeal) -> list[Period]:
    return list(Period.objects.filter(assessment=appeal.assessment).order_by("position"))


@dataclass(frozen=True)
class Step:
    at: object
    words: str


def appeal_steps(*, appeal: Appeal) -> list[Step]:
    """What the appellant sees: filed, answered (with reasons), corrected, republished."""
    steps = [Step(appeal.filed_at, f"提出申诉（{appeal.filed_by.get_username() if appeal.filed_by else ''}），"
                                   f"绩效办应于 {appeal.deadline:%Y-%m-%d} 前答复")]
    if appeal.decided_at:
        words = f"绩效办答复：{appeal.get_status_display()}。理由：{appeal.decision_reason}"
        steps.append(Step(appeal.decided_at, words))
    if appeal.status == Appeal.Status.ACCEPTED and appeal.period is not None:
        before = "空" if appeal.value_before is None else f"{appeal.value_before.normalize():f}"
        after = "空" if appeal.value_after is None else f"{appeal.value_after.normalize():f}"
        steps.append(Step(appeal.decided_at, f"台帐已更正：{appeal.period.name} {appeal.indicator_name} "
                                             f"由 {before} 改为 {after}，考核结果随之重新计算"))
    if appeal.republished is not None:
        steps.append(Step(appeal.republished.published_at,
                          f"更正后的结果已发布（第{appeal.republished.number}次公示），原公示作废"))
    return steps



def archives_for(*, scope: Scope) -> QuerySet[Archive]:
    if not scope.office:
        return Archive.objects.none()
    return for_org(Archive.objects.select_related("assessment", "created_by"), scope, "assessment__organisation")


def archive_get(*, scope: Scope, pk: int) -> Archive:
    got = archives_for(scope=scope).filter(pk=pk).first()
    if got is None:
        raise Http404("没有这个归档")
    return got


def object_visible(*, scope: Scope, code: str) -> AssessedObject:
    """An object of the scope's organisation the user sees (his unit's, or himself); 404 otherwise."""
    obj = (for_org(AssessedObject.objects.select_related("unit", "category"), scope, "unit__organisation")
           .filter(code=code).first())
    if obj is None or not scope.sees_object(obj.unit_id, obj.person_id):
        raise Http404("没有这个考核对象")
    return obj


def years_of(*, obj: AssessedObject) -> list[Result]:
    """The object's results of every assessment, oldest year first (多年对比)."""
    return list(Result.objects.filter(object=obj).select_related("assessment").order_by("assessment__year",
                                                                                         "assessment__code"))


def letter_of(*, assessment: Assessment, obj: AssessedObject) -> dict[str, Any]:
    """What the feedback letter shows (the caller checked the user sees the object)."""
    result = Result.objects.filter(assessment=assessment, object=obj).first()
    if result is None:
        raise Http404("该考核对象在本次考核中没有结果")
    catalog = catalog_of(assessment)
    comps = [(c.code, c.name, c.points) for c in components_of(catalog, result.category)]
    rows = list(Result.objects.filter(assessment=assessment, category=result.category)
                .values_list("components", flat=True))
    items = letter.lines(comps, result.components, letter.averages(rows, [c for c, _, _ in comps]))
    names = dict(Period.objects.filter(assessment=assessment).values_list("code", "name"))
    order = list(Period.objects.filter(assessment=assessment).order_by("position").values_list("code", flat=True))
    points: list[tuple[str, int | None]] = []
    prev = (Result.objects.filter(object=obj, assessment__year__lt=assessment.year)
            .select_related("assessment").order_by("-assessment__year").first())
    if prev is not None:
        points.append((f"{prev.assessment.year}年度", prev.rank))
    points += [(names.get(p, p), result.periods[p].get("rank")) for p in order if p in result.periods]
    moves = letter.rank_moves([(label, int(r) if r is not None else None) for label, r in points])
    fb = Feedback.objects.filter(assessment=assessment, object=obj).first()
    return {"assessment": assessment, "obj": obj, "result": result, "lines": items,
            "weakest": letter.weakest(items), "moves": moves, "prev": prev,
            "suggestions": fb.suggestions if fb else "", "feedback": fb,
            "category_name": catalog.categories[result.category].name if result.category in catalog.categories
            else result.category}


def plans_for(*, scope: Scope) -> QuerySet[ImprovementPlan]:
    """Improvement plans the user may read: the office all; others their units' (or their own)."""
    if not scope.authenticated:
        return ImprovementPlan.objects.none()
    qs = for_org(ImprovementPlan.objects.select_related("assessment", "object__unit", "signed_by"), scope,
                 "assessment__organisation")
    if scope.office:
        return qs
    cond = Q(object__unit_id__in=scope.view_units or frozenset())
    if scope.person_id is not None:
        cond |= Q(object__person_id=scope.person_id)
    return qs.filter(cond)


def plan_get(*, scope: Scope, pk: int) -> ImprovementPlan:
    got = plans_for(scope=scope).filter(pk=pk).first()
    if got is None:
        raise Http404("没有这个改进计划")
    return got


def open_plans_of(*, obj: AssessedObject) -> list[ImprovementPlan]:
    """The object's plans not yet closed (shown on its pages in the following year)."""
    return list(ImprovementPlan.objects.filter(object=obj).exclude(status=ImprovementPlan.Status.CLOSED)
                .select_related("assessment").prefetch_related("items"))


def plan_categories(*, scope: Scope) -> list[tuple[Assessment, list[tuple[str, str, list[str]]]]]:
    """For the office's form: each assessment's categories with their grades (best first)."""
    from jixiao.outcomes.services.plans import grades_of
    from jixiao.schemes.selectors import assessments_all

    out = []
    for a in assessments_all(scope=scope):
        cats = [(c.code, c.name or c.code, grades_of(a, c.code)) for c in catalog_of(a).categories.values()]
        out.append((a, [c for c in cats if c[2]]))
    return out


def approvals_waiting(*, scope: Scope) -> list[tuple[Approval, str]]:
    """Categories reviewed by the office and waiting for the leadership group (for its members and
    the office), each with the category's name."""
    if not (scope.office or LEADER_GROUP in scope.roles):
        return []
    rows = list(for_org(Approval.objects.filter(status=Approval.Status.REVIEWED).select_related("assessment"),
                        scope, "assessment__organisation").order_by("reviewed_at")[:50])
    out = []
    for ap in rows:
        info = catalog_of(ap.assessment).categories.get(ap.category)
        out.append((ap, info.name if info is not None and info.name else "该类别"))
    return out
