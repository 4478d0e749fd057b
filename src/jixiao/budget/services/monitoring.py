"""Dual monitoring (双监控): budget execution imported from the treasury's Excel beside the target
progress the units report per indicator; deviation reasons and corrective measures recorded; the
finance bureau marks a project for correction or suspension."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from jixiao.audit.services import Actor, audit_record, audit_record_many, user_of
from jixiao.budget.models import Execution, Indicator, Monitoring, Project
from jixiao.budget.services.common import require_finance, require_unit
from jixiao.core.errors import ServiceError
from jixiao.org.scoping import Scope


@dataclass(frozen=True)
class ExecutionRow:
    row: int  # the sheet's row, for messages
    code: str
    month: dt.date
    paid: Decimal


@transaction.atomic
def executions_import(*, actor: Actor, scope: Scope, organisation_id: int, year: int, rows: Sequence[ExecutionRow],
                      source_name: str = "") -> int:
    """导入执行数: the amounts paid per project and checkpoint, all or nothing. Refused, naming the
    row: a project code that does not exist, a project whose budget is not entered, a month outside
    the year, an amount above the project's budget, a code and month twice."""
    require_finance(scope, organisation_id, "导入预算执行数据")
    if not rows:
        raise ServiceError("工作簿中没有执行数据", field="file")
    projects = {c: (pk, amount, entered) for pk, c, amount, entered in Project.objects.filter(
        organisation_id=organisation_id, year=year).values_list("pk", "code", "amount", "budget_entered")}
    seen: dict[tuple[str, dt.date], int] = {}
    keyed: dict[tuple[int, dt.date], Decimal] = {}
    for r in rows:
        where = f"第 {r.row} 行"
        found = projects.get(r.code)
        if found is None:
            raise ServiceError(f"{where}“项目编码”列：{year} 年没有编码为 {r.code} 的项目", field="file")
        pk, amount, entered = found
        if not entered:
            raise ServiceError(f"{where}“项目编码”列：项目 {r.code} 的预算尚未录入（绩效目标未批复）", field="file")
        if r.month.year != year:
            raise ServiceError(f"{where}“月份”列：{r.month:%Y-%m} 不在 {year} 年度内", field="file")
        if r.paid > amount:
            raise ServiceError(f"{where}“累计支付金额”列：{r.paid} 元超过项目 {r.code} 的预算 {amount} 元",
                               field="file")
        k = (r.code, r.month)
        if k in seen:
            raise ServiceError(f"{where}：项目 {r.code} {r.month:%Y-%m} 的执行数与第 {seen[k]} 行重复", field="file")
        seen[k] = r.row
        keyed[(pk, r.month)] = r.paid
    ids = {pk for pk, _m in keyed}
    months = {m for _pk, m in keyed}
    old = {(e.project_id, e.month): e for e in Execution.objects.filter(project_id__in=ids, month__in=months)}
    new: list[Execution] = []
    changed: list[Execution] = []
    audit: list[tuple[str, dict[str, str] | None, dict[str, str] | None]] = []
    for (pk, m), paid in keyed.items():
        e = old.get((pk, m))
        if e is None:
            new.append(Execution(project_id=pk, month=m, paid=paid))
            audit.append((f"{pk}:{m:%Y-%m}", None, {"paid": str(paid)}))
        elif e.paid != paid:
            audit.append((f"{pk}:{m:%Y-%m}", {"paid": str(e.paid)}, {"paid": str(paid)}))
            e.paid = paid
            changed.append(e)
    Execution.objects.bulk_create(new, batch_size=2000)
    if changed:
        Execution.objects.bulk_update(changed, ["paid"], batch_size=2000)
    audit_record_many(actor=actor, action="budget.execution_import", target="budget.execution", rows=audit,
                      summary=f"导入预算执行数 {source_name}")
    return len(new) + len(changed)


@transaction.atomic
def progress_save(*, actor: Actor, scope: Scope, project: Project, values: Mapping[int, Decimal | None]) -> int:
    """报送目标完成进度: the value reached so far per indicator (by its id) of an approved table."""
    require_unit(scope, project, "报送目标完成进度")
    if project.state != Project.State.APPROVED:
        raise ServiceError("绩效目标尚未批复，不能报送完成进度", field="progress")
    inds = {i.pk: i for i in Indicator.objects.filter(project=project)}
    changed = []
    for pk, v in values.items():
        ind = inds.get(pk)
        if ind is None:
            raise ServiceError("指标不属于该项目", field="progress")
        if v is not None and v < 0:
            raise ServiceError(f"“{ind.name}”的完成值不能为负数", field=f"p_{pk}")
        if ind.progress != v:
            ind.progress = v
            changed.append(ind)
    Indicator.objects.bulk_update(changed, ["progress"])
    audit_record(actor=actor, action="budget.progress_save", instance=project,
                 after={str(i.pk): str(i.progress) for i in changed}, summary=f"报送目标完成进度 {project.code}")
    return len(changed)


@transaction.atomic
def monitoring_save(*, actor: Actor, scope: Scope, project: Project, month: dt.date, light: str, reason: str,
                    measures: str) -> Monitoring:
    """记录偏差原因和纠偏措施 at a checkpoint; a yellow or red light needs both."""
    require_unit(scope, project, "填写监控情况")
    if light in ("yellow", "red") and not (reason.strip() and measures.strip()):
        raise ServiceError("存在偏差的项目须填写偏差原因和纠偏措施",
                           field="reason" if not reason.strip() else "measures")
    m, _ = Monitoring.objects.update_or_create(project=project, month=month, defaults={
        "light": light, "reason": reason.strip()[:500], "measures": measures.strip()[:500],
        "created_by": user_of(actor)})
    audit_record(actor=actor, action="budget.monitoring_save", instance=m, after={"light": light},
                 summary=f"监控情况 {project.code} {month:%Y-%m}")
    return m


@transaction.atomic
def project_mark(*, actor: Actor, scope: Scope, project: Project, mark: str, note: str = "") -> Project:
    """财政处理: mark a project for correction (责令整改) or suspension (暂停执行), or clear the mark."""
    require_finance(scope, project.organisation_id, "对项目作出整改或暂停处理")
    if mark not in Project.Mark.values:
        raise ServiceError("请选择处理方式", field="mark")
    if mark and not note.strip():
        raise ServiceError("请写明处理意见", field="note")
    before = {"mark": project.mark}
    project.mark, project.mark_note = mark, note.strip()[:300]
    project.save(update_fields=["mark", "mark_note", "updated_at"])
    audit_record(actor=actor, action="budget.project_mark", instance=project, before=before,
                 after={"mark": mark, "note": project.mark_note},
                 summary=f"{project.get_mark_display()} {project.code}")
    return project
