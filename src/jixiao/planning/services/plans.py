"""Work plans (工作计划): a section or a member of staff plans the next period's items by category
(日常基础工作 / 科室职能工作 / 中心工作) with planned points; the head above approves before the period
starts; completion is reported against the items and, once the head confirms it, the plan's
totals are the ledger's ``planned`` and ``actual`` of the scheme's plan-method indicator (written
through ``jixiao.collection.services``), so the engine's plan method scores them — nobody retypes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.collection.services import value_save
from jixiao.core import clock
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope, require_org
from jixiao.planning import rules
from jixiao.planning.models import PlanItem, WorkPlan
from jixiao.planning.services.common import ledger_scope, step_add, unit_side
from jixiao.schemes.catalog import Leaf
from jixiao.schemes.models import Period
from jixiao.schemes.selectors import catalog_of
from jixiao.schemes.services import period_require_open

S = WorkPlan.State


@dataclass(frozen=True)
class PlanItemInput:
    category: str
    title: str
    planned: Decimal | None


def plan_leaf(*, period: Period, obj: AssessedObject) -> Leaf:
    """The scheme's plan-method indicator (计划完成率) of the object's category in the period."""
    catalog = catalog_of(period.assessment)
    cat = catalog.category_of_group(obj.group)
    leaves = [lf for lf in catalog.categories[cat].leaves if lf.method == "plan" and lf.applies(period.code)] \
        if cat else []
    if not leaves:
        raise ServiceError(f"{obj.name} 在 {period.name} 没有按工作计划计分的指标", field="object")
    return leaves[0]


def approver(scope: Scope, obj: AssessedObject) -> bool:
    """The head above (a unit head over the object's unit, not the object himself) or the office."""
    own = obj.person_id is not None and obj.person_id == scope.person_id
    return scope.office or (obj.unit_id in scope.head_units and not own)


def _locked(plan: WorkPlan) -> WorkPlan:
    return (WorkPlan.objects.select_for_update(of=("self",)).select_related("object", "period__assessment")
            .get(pk=plan.pk))


@transaction.atomic
def plan_save(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject, items: Sequence[PlanItemInput],
              submit: bool = False, plan: WorkPlan | None = None) -> WorkPlan:
    """编制 / 报送: the section (or the person) writes its plan's items, as a draft or submitted for
    approval; every item needs its planned points. Replaces the items of a draft or returned plan."""
    period = period_require_open(period)
    require_org(scope, period.assessment.organisation_id)
    if obj.unit.organisation_id != period.assessment.organisation_id:
        raise NotAllowed("该考核对象属于另一个组织")
    if not unit_side(scope, obj):
        raise NotAllowed(f"只有 {obj.name} 本人（本科室）可以编制工作计划")
    leaf = plan_leaf(period=period, obj=obj)
    rows = [i for i in items if i.title.strip() or i.planned is not None]
    if not rows:
        raise ServiceError("请至少填写一项计划事项", field="items")
    for n, i in enumerate(items):
        if not (i.title.strip() or i.planned is not None):
            continue
        if not i.title.strip():
            raise ServiceError("请填写计划事项", field=f"title_{n}")
        if i.planned is None or i.planned <= 0:
            raise ServiceError(f"计划事项“{i.title.strip()}”没有计划分值（须大于 0）", field=f"planned_{n}")
        if i.category not in PlanItem.Category.values:
            raise ServiceError("请选择类别", field=f"category_{n}")
    if plan is None:
        if WorkPlan.objects.filter(assessment=period.assessment, period=period, object=obj,
                                   indicator=leaf.code).exists():
            raise ServiceError(f"{obj.name} 已有 {period.name} 的工作计划，请在原计划上修改", field="period")
        p = WorkPlan.objects.create(organisation_id=period.assessment.organisation_id, assessment=period.assessment,
                                    period=period, object=obj, indicator=leaf.code, created_by=user_of(actor))
        before = ""
    else:
        p = _locked(plan)
        if p.state not in (S.DRAFT, S.RETURNED):
            raise ServiceError(f"计划为“{p.get_state_display()}”，不能再修改", field="items")
        before = p.state
        PlanItem.objects.filter(plan=p).delete()
    PlanItem.objects.bulk_create([PlanItem(plan=p, position=n, category=i.category, title=i.title.strip(),
                                           planned=i.planned or Decimal(0)) for n, i in enumerate(rows)])
    p.state = S.SUBMITTED if submit else S.DRAFT
    p.version += 1
    p.save(update_fields=["state", "version"])
    total = sum((i.planned or Decimal(0) for i in rows), Decimal(0))
    step_add(actor=actor, plan=p, action="plan_submit" if submit else "plan_save", before=before, after=p.state,
             note=f"{len(rows)} 项，计划分值合计 {total.normalize():f}")
    audit_record(actor=actor, action="plan_save", instance=p, after={
        "object": obj.code, "period": period.code, "state": p.state,
        "items": [[i.category, i.title.strip(), str(i.planned)] for i in rows]})
    return p


def _write(actor: Actor, scope: Scope, p: WorkPlan, variable: str, value: Decimal, note: str) -> None:
    value_save(actor=actor, scope=ledger_scope(scope), period=p.period, obj=p.object, indicator=p.indicator,
               variable=variable, value=value, via="plan", note=note[:500])


@transaction.atomic
def plan_decide(*, actor: Actor, scope: Scope, plan: WorkPlan, approve: bool, comment: str = "") -> WorkPlan:
    """审批: the head above approves a submitted plan — before the period starts — (its planned
    points become the ledger's ``planned``) or returns it; a reported completion he confirms
    (the ledger's ``actual``) or returns for correction."""
    p = _locked(plan)
    require_org(scope, p.organisation_id)
    if not approver(scope, p.object):
        raise NotAllowed(f"只有 {p.object.name} 的上级负责人或绩效办可以审批其工作计划")
    period = period_require_open(p.period)
    if not approve and not comment.strip():
        raise ServiceError("退回需要填写意见", field="comment")
    planned, actual = rules.plan_totals(PlanItem.objects.filter(plan=p).values_list("planned", "actual"))
    before = p.state
    if p.state == S.SUBMITTED:
        if approve and clock.today() >= period.starts:
            raise ServiceError(f"工作计划须在考核期开始（{period.starts:%Y-%m-%d}）前审批；已过期限，请与绩效办联系",
                               field="comment")
        if approve:
            _write(actor, scope, p, "planned", planned, f"工作计划第 {p.pk} 号：计划分值合计")
        p.state = S.APPROVED if approve else S.RETURNED
        action = "plan_approve" if approve else "plan_return"
        if approve:
            p.approved_by = user_of(actor)
    elif p.state == S.REPORTED:
        if approve:
            _write(actor, scope, p, "actual", actual, f"工作计划第 {p.pk} 号：完成分值合计（已确认）")
        p.state = S.CONFIRMED if approve else S.APPROVED
        action = "plan_confirm" if approve else "plan_return"
    else:
        raise ServiceError(f"计划为“{p.get_state_display()}”，无须审批", field="comment")
    p.comment, p.version = comment.strip(), p.version + 1
    p.save(update_fields=["state", "comment", "approved_by", "version"])
    step_add(actor=actor, plan=p, action=action, before=before, after=p.state,
             note=(comment.strip() or "同意") + (f"（计划 {planned.normalize():f} 分，完成 {actual.normalize():f} 分）"
                                                 if p.state == S.CONFIRMED else ""))
    audit_record(actor=actor, action=action, instance=p, before={"state": before},
                 after={"state": p.state, "comment": p.comment, "planned": str(planned), "actual": str(actual)})
    return p


@transaction.atomic
def plan_report(*, actor: Actor, scope: Scope, plan: WorkPlan,
                actuals: Mapping[int, tuple[Decimal | None, str]]) -> WorkPlan:
    """报告完成情况: completed points against each item of an approved plan (none above its planned)."""
    p = _locked(plan)
    require_org(scope, p.organisation_id)
    if not unit_side(scope, p.object):
        raise NotAllowed(f"只有 {p.object.name} 本人（本科室）可以报告计划完成情况")
    period_require_open(p.period)
    if p.state != S.APPROVED:
        raise ServiceError(f"只能对已批准的计划报告完成情况（当前：{p.get_state_display()}）", field="items")
    items = list(PlanItem.objects.select_for_update().filter(plan=p))
    for it in items:
        got, note = actuals.get(it.pk, (None, ""))
        if got is None:
            raise ServiceError(f"请填写“{it.title}”的完成分值（未完成填 0）", field=f"actual_{it.pk}")
        if got < 0 or got > it.planned:
            raise ServiceError(f"“{it.title}”的完成分值须在 0 到计划分值 {it.planned.normalize():f} 之间",
                               field=f"actual_{it.pk}")
        it.actual, it.note = got, note.strip()[:300]
    PlanItem.objects.bulk_update(items, ["actual", "note"])
    planned, actual = rules.plan_totals((i.planned, i.actual) for i in items)
    before = p.state
    p.state, p.version = S.REPORTED, p.version + 1
    p.save(update_fields=["state", "version"])
    step_add(actor=actor, plan=p, action="plan_report", before=before, after=p.state,
             note=f"完成 {actual.normalize():f} / 计划 {planned.normalize():f} 分")
    audit_record(actor=actor, action="plan_report", instance=p, before={"state": before},
                 after={"state": p.state, "actuals": {str(i.pk): str(i.actual) for i in items}})
    return p
