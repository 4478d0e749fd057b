"""Reads of the use of results (结果运用), scoped by organisation and role."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope, for_org
from jixiao.outcomes.models import Appeal, Archive
from jixiao.outcomes.services.appeals import may_appeal_for
from jixiao.schemes.models import Period
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.models import Publication, Result


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
