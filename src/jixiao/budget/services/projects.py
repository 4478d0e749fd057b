"""Projects and whole-unit spending (项目支出 / 部门整体支出): created in the browser by a budget
unit or the finance bureau, or imported from Excel by the finance bureau — all rows or none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from jixiao.audit.services import Actor, audit_record, audit_record_many
from jixiao.budget.models import Project
from jixiao.budget.services.common import require_finance, unit_side
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.models import Unit
from jixiao.org.scoping import Scope, require_org


@dataclass(frozen=True)
class ProjectInput:
    code: str
    name: str
    unit: Unit
    year: int
    amount: Decimal
    start: dt.date
    end: dt.date
    kind: str = Project.Kind.PROJECT
    source: str = Project.Source.GENERAL
    sector: str = ""
    section: str = ""
    key: bool = False


def project_check(d: ProjectInput, *, where: str = "") -> None:
    """Refuse a project whose fields do not hold, naming the field (``where`` places it in a sheet)."""
    if not d.code.strip():
        raise ServiceError(f"{where}请填写项目编码", field="code")
    if not d.name.strip():
        raise ServiceError(f"{where}请填写项目名称", field="name")
    if d.amount is None or d.amount <= 0:
        raise ServiceError(f"{where}预算金额须大于 0", field="amount")
    if d.amount != d.amount.quantize(Decimal("0.01")):
        raise ServiceError(f"{where}预算金额最多保留两位小数（到分）", field="amount")
    if d.end < d.start:
        raise ServiceError(f"{where}执行期结束日期早于开始日期", field="end")
    if d.kind not in Project.Kind.values:
        raise ServiceError(f"{where}项目类型应为“项目支出”或“部门整体支出”", field="kind")
    if d.source not in Project.Source.values:
        raise ServiceError(f"{where}资金来源不正确", field="source")


@transaction.atomic
def project_save(*, actor: Actor, scope: Scope, data: ProjectInput, project: Project | None = None) -> Project:
    """新建 / 修改: a budget unit's project (its own unit), or the finance bureau's for any unit. An
    approved project's table is fixed: only the finance bureau changes its data then."""
    require_org(scope, data.unit.organisation_id)
    if not (scope.office or unit_side(scope, data.unit.pk)):
        raise NotAllowed(f"只有 {data.unit.name} 本单位或财政部门可以编报该单位的项目")
    project_check(data)
    code = data.code.strip()
    clash = Project.objects.filter(organisation_id=data.unit.organisation_id, year=data.year, code=code)
    if project is not None:
        require_org(scope, project.organisation_id)
        if not (scope.office or unit_side(scope, project.unit_id)):
            raise NotAllowed(f"只有 {project.unit.name} 本单位或财政部门可以修改该项目")
        clash = clash.exclude(pk=project.pk)
        if project.state == Project.State.APPROVED and not scope.office:
            raise ServiceError("项目绩效目标已批复，预算单位不能再修改项目信息", field="name")
    if clash.exists():
        raise ServiceError(f"{data.year} 年已有编码为 {code} 的项目", field="code")
    fields = {"unit": data.unit, "year": data.year, "code": code, "name": data.name.strip(), "kind": data.kind,
              "sector": data.sector.strip(), "source": data.source, "amount": data.amount,
              "section": data.section.strip(), "start": data.start, "end": data.end, "key": data.key}
    if project is None:
        p = Project.objects.create(organisation_id=data.unit.organisation_id, **fields)
        audit_record(actor=actor, action="budget.project_create", instance=p,
                     after={"code": code, "amount": str(data.amount)},
                     summary=f"新建预算项目 {code} {p.name}")
        return p
    before = {"amount": str(project.amount), "name": project.name}
    for f, v in fields.items():
        setattr(project, f, v)
    project.save()
    audit_record(actor=actor, action="budget.project_update", instance=project, before=before,
                 after={"amount": str(project.amount), "name": project.name}, summary=f"修改预算项目 {code}")
    return project


@transaction.atomic
def projects_import(*, actor: Actor, scope: Scope, organisation_id: int, rows: Sequence[tuple[int, ProjectInput]],
                    source_name: str = "") -> int:
    """The finance bureau's import of checked rows ``(sheet row, input)``: new codes created,
    existing ones (still editable) updated; the first refusal names its row and nothing is written."""
    require_finance(scope, organisation_id, "导入预算项目")
    seen: dict[tuple[int, str], int] = {}
    for n, d in rows:
        project_check(d, where=f"第 {n} 行：")
        if d.unit.organisation_id != organisation_id:
            raise ServiceError(f"第 {n} 行：预算单位不属于当前组织", field="file")
        k = (d.year, d.code.strip())
        if k in seen:
            raise ServiceError(f"第 {n} 行：项目编码 {d.code} 与第 {seen[k]} 行重复", field="file")
        seen[k] = n
    existing = {(p.year, p.code): p for p in Project.objects.filter(
        organisation_id=organisation_id, year__in={y for y, _c in seen}, code__in={c for _y, c in seen})}
    new: list[Project] = []
    changed: list[Project] = []
    for n, d in rows:
        old = existing.get((d.year, d.code.strip()))
        fields = {"unit": d.unit, "name": d.name.strip(), "kind": d.kind, "sector": d.sector.strip(),
                  "source": d.source, "amount": d.amount, "section": d.section.strip(), "start": d.start,
                  "end": d.end, "key": d.key}
        if old is None:
            new.append(Project(organisation_id=organisation_id, year=d.year, code=d.code.strip(), **fields))
        else:
            if old.state == Project.State.APPROVED:
                raise ServiceError(f"第 {n} 行：项目 {old.code} 的绩效目标已批复，不能再导入修改", field="file")
            for f, v in fields.items():
                setattr(old, f, v)
            changed.append(old)
    made = Project.objects.bulk_create(new)
    if changed:
        Project.objects.bulk_update(changed, ["unit", "name", "kind", "sector", "source", "amount", "section",
                                              "start", "end", "key"])
    audit_record_many(actor=actor, action="budget.project_import", target="budget.project",
                      rows=[(str(p.pk), None, {"code": p.code, "amount": str(p.amount)}) for p in made + changed],
                      summary=f"导入预算项目 {source_name}")
    return len(made) + len(changed)
