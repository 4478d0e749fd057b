"""Performance targets (绩效目标管理): the budget unit fills its project's indicator table and
submits it; the finance bureau returns it with comments or approves it together with the budget
(预算录入), which needs a supporting ex-ante opinion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from jixiao.audit.services import Actor, audit_record
from jixiao.budget.models import ExAnte, Indicator, LibraryIndicator, Project
from jixiao.budget.services.common import require_finance, require_unit
from jixiao.core.errors import ServiceError
from jixiao.org.scoping import Scope

S = Project.State
SUBS: dict[str, tuple[str, ...]] = {
    Indicator.Part.OUTPUT: (Indicator.Sub.QUANTITY, Indicator.Sub.QUALITY, Indicator.Sub.TIMELINESS,
                            Indicator.Sub.COST),
    Indicator.Part.EFFECT: (Indicator.Sub.ECONOMIC, Indicator.Sub.SOCIAL, Indicator.Sub.ECOLOGICAL,
                            Indicator.Sub.SUSTAINABLE),
    Indicator.Part.SATISFACTION: (Indicator.Sub.SATISFACTION,),
}


@dataclass(frozen=True)
class IndicatorInput:
    part: str
    sub: str
    name: str
    standard: str
    target: Decimal | None
    unit: str
    direction: str = Indicator.Direction.HIGHER


def table_check(rows: Sequence[IndicatorInput]) -> None:
    """A target table's rules, each refusal naming the row's field (``<field>_<n>``)."""
    if not rows:
        raise ServiceError("绩效目标表至少要有一项产出指标", field="rows")
    for n, r in enumerate(rows):
        label = f"第 {n + 1} 项指标“{r.name.strip() or '（未命名）'}”"
        if not r.name.strip():
            raise ServiceError(f"第 {n + 1} 项指标：请填写指标名称", field=f"name_{n}")
        if r.part not in SUBS:
            raise ServiceError(f"{label}：请选择一级指标（产出 / 效益 / 满意度）", field=f"part_{n}")
        if r.sub not in SUBS[r.part]:
            raise ServiceError(f"{label}：二级指标与一级指标不符", field=f"sub_{n}")
        if r.standard not in Indicator.Standard.values:
            raise ServiceError(f"{label}：请选择指标标准（计划 / 行业 / 历史标准）", field=f"standard_{n}")
        if not r.unit.strip():
            raise ServiceError(f"{label}：请填写计量单位", field=f"unit_{n}")
        if r.target is None:
            raise ServiceError(f"{label}：请填写指标值", field=f"target_{n}")
        if r.target <= 0:
            raise ServiceError(f"{label}：指标值须大于 0", field=f"target_{n}")
        if r.direction not in Indicator.Direction.values:
            raise ServiceError(f"{label}：请选择指标方向", field=f"direction_{n}")
    if not any(r.part == Indicator.Part.OUTPUT for r in rows):
        raise ServiceError("绩效目标表至少要有一项产出指标", field="rows")


@transaction.atomic
def targets_save(*, actor: Actor, scope: Scope, project: Project, rows: Sequence[IndicatorInput],
                 submit: bool = False) -> Project:
    """填报 / 报送: the table replaced by ``rows`` (a draft or returned table only); ``submit``
    sends it to the finance bureau."""
    p = Project.objects.select_for_update().get(pk=project.pk)
    require_unit(scope, p, "填报绩效目标")
    if p.state not in Project.EDITABLE:
        raise ServiceError(f"绩效目标为“{p.get_state_display()}”，不能再修改", field="rows")
    rows = [r for r in rows if r.name.strip() or r.target is not None or r.unit.strip()]
    table_check(rows)
    Indicator.objects.filter(project=p).delete()
    Indicator.objects.bulk_create([Indicator(project=p, position=n, part=r.part, sub=r.sub, name=r.name.strip(),
                                             standard=r.standard, target=r.target or Decimal(0), unit=r.unit.strip(),
                                             direction=r.direction) for n, r in enumerate(rows)])
    before = p.state
    if submit:
        p.state = S.SUBMITTED
    p.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, action="budget.targets_submit" if submit else "budget.targets_save", instance=p,
                 before={"state": before}, after={"state": p.state, "indicators": len(rows)},
                 summary=f"{'报送' if submit else '保存'}绩效目标 {p.code}（{len(rows)} 项指标）")
    return p


@transaction.atomic
def targets_review(*, actor: Actor, scope: Scope, project: Project, approve: bool, comment: str = "") -> Project:
    """审核: the finance bureau approves a submitted table with the budget (预算录入) — refused
    without a supporting ex-ante assessment — or returns it with its comments."""
    p = Project.objects.select_for_update().get(pk=project.pk)
    require_finance(scope, p.organisation_id, "审核绩效目标")
    if p.state != S.SUBMITTED:
        raise ServiceError(f"绩效目标为“{p.get_state_display()}”，不是待审核状态", field="decision")
    before = p.state
    if approve:
        e = ExAnte.objects.filter(project=p).first()
        if e is None:
            raise ServiceError(f"项目 {p.code} 尚未开展事前绩效评估，不能批复目标、录入预算", field="decision")
        if e.opinion == ExAnte.Opinion.REJECT:
            raise ServiceError(f"项目 {p.code} 事前绩效评估结论为“不予支持”，不能录入预算", field="decision")
        if not Indicator.objects.filter(project=p, part=Indicator.Part.OUTPUT).exists():
            raise ServiceError("绩效目标表至少要有一项产出指标", field="decision")
        p.state, p.budget_entered = S.APPROVED, True
    else:
        if not comment.strip():
            raise ServiceError("退回须写明审核意见", field="comment")
        p.state = S.RETURNED
    p.review_comment = comment.strip()[:500]
    p.save(update_fields=["state", "budget_entered", "review_comment", "updated_at"])
    audit_record(actor=actor, action="budget.targets_approve" if approve else "budget.targets_return", instance=p,
                 before={"state": before}, after={"state": p.state, "comment": p.review_comment},
                 summary=f"{'批复绩效目标并录入预算' if approve else '退回绩效目标'} {p.code}")
    return p


@transaction.atomic
def library_save(*, actor: Actor, scope: Scope, organisation_id: int, sector: str,
                 row: IndicatorInput) -> LibraryIndicator:
    """入库: a reusable indicator added to the library under its sector."""
    require_finance(scope, organisation_id, "维护指标库")
    if not sector.strip():
        raise ServiceError("请填写行业领域", field="sector")
    if not row.name.strip() or not row.unit.strip():
        raise ServiceError("请填写指标名称和计量单位", field="name")
    if row.part not in SUBS or row.sub not in SUBS[row.part]:
        raise ServiceError("二级指标与一级指标不符", field="sub")
    li = LibraryIndicator.objects.create(organisation_id=organisation_id, sector=sector.strip(), part=row.part,
                                         sub=row.sub, name=row.name.strip(), unit=row.unit.strip(),
                                         standard=row.standard, direction=row.direction)
    audit_record(actor=actor, action="budget.library_add", instance=li, after={"name": li.name, "sector": li.sector})
    return li
