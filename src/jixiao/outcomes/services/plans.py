"""绩效改进计划: required of the objects graded at or below a grade the office picks; measures
entered by the unit, signed by its head, reviewed by the office at half-year and year-end."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.scoping import Scope, require_org
from jixiao.outcomes.models import ImprovementPlan, PlanItem, PlanReview
from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.models import Result


def grades_of(assessment: Assessment, category: str) -> list[str]:
    """The category's grades, best first (the scheme's band order)."""
    cat = next((c for c in catalog_of(assessment).scheme.categories if c.code == category), None)
    grades = cat.results.grades if cat is not None else None
    return [b.name for b in grades.bands] if grades else []


@transaction.atomic
def plans_require(*, actor: Actor, scope: Scope, assessment: Assessment, category: str, grade: str) -> int:
    """Open a plan for every object of the category graded ``grade`` or below (none twice).
    Returns how many were opened."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以要求制定改进计划")
    require_org(scope, assessment.organisation_id)
    order = grades_of(assessment, category)
    if grade not in order:
        raise ServiceError(f"“{grade}”不是该类别的等次（{'、'.join(order) or '方案未设等次'}）", field="grade")
    below = set(order[order.index(grade):])
    have = set(ImprovementPlan.objects.filter(assessment=assessment).values_list("object_id", flat=True))
    made = []
    for r in Result.objects.filter(assessment=assessment, category=category).select_related("object"):
        if r.grade in below and r.object_id not in have:
            made.append(ImprovementPlan.objects.create(assessment=assessment, object=r.object, grade=r.grade,
                                                       threshold=grade, created_by=user_of(actor)))
    for p in made:
        audit_record(actor=actor, action="plan_require", instance=p,
                     after={"assessment": assessment.code, "object": p.object.code, "grade": p.grade,
                            "threshold": grade})
    return len(made)


def _unit_may_write(scope: Scope, plan: ImprovementPlan) -> bool:
    return scope.office or plan.object.unit_id in (scope.report_units | scope.head_units)


@transaction.atomic
def plan_item_add(*, actor: Actor, scope: Scope, plan: ImprovementPlan, measure: str, owner: str,
                  due: dt.date | None, result: str) -> PlanItem:
    """One SMART measure; every part is required. Only while the plan is not yet signed."""
    require_org(scope, plan.assessment.organisation_id)
    if not _unit_may_write(scope, plan):
        raise NotAllowed(f"只有{plan.object.name}的填报员、负责人或绩效办可以制定改进措施")
    if plan.status != ImprovementPlan.Status.DRAFT:
        raise ServiceError("改进计划已签字，不能再修改措施")
    measure, owner, result = measure.strip(), owner.strip(), result.strip()
    for value, field, label in ((measure, "measure", "改进措施"), (owner, "owner", "责任人"),
                                (result, "result", "可衡量的预期结果")):
        if not value:
            raise ServiceError(f"请填写{label}", field=field)
    if due is None:
        raise ServiceError("请填写完成时限", field="due")
    item = PlanItem.objects.create(plan=plan, measure=measure[:500], owner=owner[:100], due=due, result=result[:300])
    audit_record(actor=actor, action="plan_item_add", instance=item,
                 after={"plan": plan.pk, "measure": measure, "owner": owner, "due": due.isoformat(), "result": result})
    return item


@transaction.atomic
def plan_sign(*, actor: Actor, scope: Scope, plan: ImprovementPlan) -> ImprovementPlan:
    """单位负责人签字: the unit's head signs the plan off; it then runs."""
    require_org(scope, plan.assessment.organisation_id)
    if plan.object.unit_id not in scope.head_units:
        raise NotAllowed(f"只有{plan.object.unit.name}的单位负责人可以签字")
    locked = ImprovementPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != ImprovementPlan.Status.DRAFT:
        raise ServiceError("改进计划已签字")
    if not locked.items.exists():
        raise ServiceError("改进计划还没有措施，不能签字")
    locked.status, locked.signed_by, locked.signed_at = ImprovementPlan.Status.SIGNED, user_of(actor), timezone.now()
    locked.save(update_fields=["status", "signed_by", "signed_at"])
    audit_record(actor=actor, action="plan_sign", instance=locked, before={"status": "draft"},
                 after={"status": locked.status})
    return locked


@transaction.atomic
def plan_review(*, actor: Actor, scope: Scope, plan: ImprovementPlan, kind: str, progress: str,
                close: bool = False) -> PlanReview:
    """半年/年终评估 by the office, once each; the year-end review may close the plan."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以评估改进计划")
    require_org(scope, plan.assessment.organisation_id)
    locked = ImprovementPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != ImprovementPlan.Status.SIGNED:
        raise ServiceError("改进计划尚未签字或已完成，不能评估")
    if kind not in PlanReview.Kind.values:
        raise ServiceError("请选择半年评估或年终评估", field="kind")
    if PlanReview.objects.filter(plan=locked, kind=kind).exists():
        raise ServiceError(f"该计划已做过{PlanReview.Kind(kind).label}", field="kind")
    progress = progress.strip()
    if not progress:
        raise ServiceError("请填写评估意见", field="progress")
    if close and kind != PlanReview.Kind.YEAR:
        raise ServiceError("只有年终评估可以结束改进计划", field="kind")
    review = PlanReview.objects.create(plan=locked, kind=kind, progress=progress, closes=close,
                                       reviewed_by=user_of(actor))
    if close:
        locked.status, locked.closed_at = ImprovementPlan.Status.CLOSED, timezone.now()
        locked.save(update_fields=["status", "closed_at"])
    audit_record(actor=actor, action="plan_review", instance=review,
                 after={"plan": locked.pk, "kind": kind, "progress": progress, "closes": close})
    return review
