"""Ex-ante performance assessment (事前绩效评估): the finance bureau's reviewers score a project on
the organisation's checklist and give their opinion; 不予支持 keeps its budget from being entered."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.budget.models import Criterion, ExAnte, Project
from jixiao.budget.services.common import DEFAULT_CRITERIA, require_finance
from jixiao.core.errors import ServiceError
from jixiao.org.scoping import Scope


def criteria_of(organisation_id: int) -> list[Criterion]:
    """The organisation's checklist; the default five items (unsaved) when it has set none."""
    found = list(Criterion.objects.filter(organisation_id=organisation_id))
    if found:
        return found
    return [Criterion(organisation_id=organisation_id, code=c, name=n, points=p, position=i)
            for i, (c, n, p) in enumerate(DEFAULT_CRITERIA)]


@transaction.atomic
def criteria_save(*, actor: Actor, scope: Scope, organisation_id: int,
                  items: list[tuple[str, str, Decimal]]) -> list[Criterion]:
    """配置评估要点: the checklist replaced by ``items`` (code, name, points). An item given without
    a code keeps the code of the current item of the same name (its scores stay attached), or gets
    a fresh one."""
    require_finance(scope, organisation_id, "配置事前评估要点")
    if not items:
        raise ServiceError("请至少设置一项评估要点", field="items")
    names = [n for _c, n, _p in items]
    if len(set(names)) != len(names):
        raise ServiceError("评估要点名称重复", field="items")
    known = {c.name: c.code for c in criteria_of(organisation_id)}
    taken = set(known.values()) | {c for c, _n, _p in items if c}
    fresh = (f"item{i}" for i in range(1, 10_000) if f"item{i}" not in taken)
    items = [(c or known.get(n) or next(fresh), n, p) for c, n, p in items]
    codes = [c for c, _n, _p in items]
    if len(set(codes)) != len(codes):
        raise ServiceError("评估要点编码重复", field="items")
    for c, n, p in items:
        if not c or not n or p is None or p <= 0:
            raise ServiceError(f"评估要点“{n or c}”须有编码、名称和大于 0 的分值", field="items")
    Criterion.objects.filter(organisation_id=organisation_id).delete()
    made = Criterion.objects.bulk_create([Criterion(organisation_id=organisation_id, code=c, name=n, points=p,
                                                    position=i) for i, (c, n, p) in enumerate(items)])
    for m in made:
        audit_record(actor=actor, action="budget.criterion_save", instance=m, after={"name": m.name,
                                                                                      "points": str(m.points)})
    return made


@transaction.atomic
def exante_save(*, actor: Actor, scope: Scope, project: Project, scores: Mapping[str, Decimal], opinion: str,
                comment: str = "", reviewers: str = "") -> ExAnte:
    """评估: every checklist item scored within its points, an opinion given. Replaces the
    project's previous assessment; an entered budget cannot be re-assessed."""
    require_finance(scope, project.organisation_id, "开展事前绩效评估")
    if project.budget_entered:
        raise ServiceError("项目预算已录入，不能再修改事前评估结论", field="opinion")
    if opinion not in ExAnte.Opinion.values:
        raise ServiceError("请选择评估结论（予以支持 / 调整完善后予以支持 / 不予支持）", field="opinion")
    out: dict[str, str] = {}
    for c in criteria_of(project.organisation_id):
        v = scores.get(c.code)
        if v is None:
            raise ServiceError(f"请为“{c.name}”评分", field=f"c_{c.code}")
        if v < 0 or v > c.points:
            raise ServiceError(f"“{c.name}”的得分须在 0 到 {c.points.normalize():f} 之间", field=f"c_{c.code}")
        out[c.code] = str(v)
    if opinion == ExAnte.Opinion.REJECT and not comment.strip():
        raise ServiceError("不予支持须写明评估意见", field="comment")
    total = sum((Decimal(v) for v in out.values()), Decimal(0))
    found = ExAnte.objects.filter(project=project).first()
    before = {"opinion": found.opinion, "total": str(found.total)} if found else None
    e, _ = ExAnte.objects.update_or_create(project=project, defaults={
        "scores": out, "total": total, "opinion": opinion, "comment": comment.strip()[:500],
        "reviewers": reviewers.strip()[:200], "created_by": user_of(actor)})
    audit_record(actor=actor, action="budget.exante_save", instance=e, before=before,
                 after={"opinion": opinion, "total": str(total)},
                 summary=f"事前绩效评估 {project.code}：{e.get_opinion_display()}")
    return e
