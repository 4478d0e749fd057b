"""The budget workbooks end to end: refuse what is not a plain .xlsx before parsing it
(:func:`jixiao.core.uploads.check_xlsx`), read and check every row (:mod:`jixiao.budget.sheets`),
then import all rows or none through the services. Every problem names its row and column."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from jixiao.audit.services import Actor
from jixiao.budget import sheets
from jixiao.budget.models import Project
from jixiao.budget.services import ExecutionRow, ProjectInput, executions_import, projects_import
from jixiao.budget.services.common import require_finance
from jixiao.core.errors import ServiceError
from jixiao.core.uploads import UploadRefused, check_xlsx, extension
from jixiao.org.models import Unit
from jixiao.org.scoping import Scope


class ImportRefused(ServiceError):
    """The workbook has problems; ``problems`` lists them (each placed by row and column)."""

    def __init__(self, problems: list[str], total: int):
        more = f"（另有 {total - len(problems)} 处问题未列出）" if total > len(problems) else ""
        super().__init__(f"工作簿有 {total} 处问题，未导入任何数据{more}", field="file")
        self.problems = problems


def _choice(labels: dict[str, str]) -> Any:
    def parse(v: Any) -> str:
        t = sheets.text(v)
        for value, label in labels.items():
            if t in (value, label):
                return value
        raise sheets.CellError(f"应为 {' / '.join(labels.values())} 之一")
    return parse


def _year(v: Any) -> int:
    try:
        y = int(sheets.text(v))
    except ValueError:
        raise sheets.CellError("年度应为四位数字") from None
    if not 2000 <= y <= 2100:
        raise sheets.CellError("年度应为四位数字")
    return y


def _yes(v: Any) -> bool:
    return sheets.text(v) in ("是", "Y", "y", "1", "TRUE", "True", "重点")


PROJECT_COLS = [
    sheets.Col("year", "年度", _year),
    sheets.Col("code", "项目编码", sheets.text),
    sheets.Col("name", "项目名称", sheets.text),
    sheets.Col("unit", "预算单位", sheets.text),
    sheets.Col("kind", "类型", _choice(dict(Project.Kind.choices)), required=False),
    sheets.Col("source", "资金来源", _choice(dict(Project.Source.choices)), required=False),
    sheets.Col("amount", "预算金额", sheets.money),
    sheets.Col("section", "责任科室", sheets.text, required=False),
    sheets.Col("sector", "行业领域", sheets.text, required=False),
    sheets.Col("start", "开始日期", sheets.date),
    sheets.Col("end", "结束日期", sheets.date),
    sheets.Col("key", "重点项目", _yes, required=False),
]
EXECUTION_COLS = [
    sheets.Col("code", "项目编码", sheets.text),
    sheets.Col("month", "月份", sheets.month_end),
    sheets.Col("paid", "累计支付金额", sheets.money),
]
SAMPLES = {
    "projects": [[2025, "P2025-001", "农村公路提质改造", "预算单位名称或编码", "项目支出", "一般公共预算", 1000000,
                  "交通办", "交通运输", "2025-01-01", "2025-12-31", "否"]],
    "executions": [["P2025-001", "2025-06", 450000]],
}


def template_of(kind: str) -> bytes:
    return sheets.template(PROJECT_COLS if kind == "projects" else EXECUTION_COLS, SAMPLES[kind])


def upload_read(upload: UploadedFile[bytes]) -> bytes:
    """The upload's bytes once the ledger import's checks pass (type, macros, size, zip bomb)."""
    name, size = upload.name or "", upload.size or 0
    limit = settings.JIXIAO_IMPORT_MAX_BYTES
    is_xlsx = extension(name) == "xlsx"
    if is_xlsx and size > limit:
        raise ServiceError(f"文件 {size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB", field="file")
    try:
        data = upload.read() if is_xlsx else b""
        check_xlsx(name, data, max_bytes=limit, max_uncompressed=settings.JIXIAO_IMPORT_MAX_UNCOMPRESSED)
    except UploadRefused as e:
        raise ServiceError(str(e), field="file") from None
    return data


def projects_from(data: bytes, organisation_id: int) -> list[tuple[int, ProjectInput]]:
    read = sheets.read_table(data, PROJECT_COLS)
    units = list(Unit.objects.filter(organisation_id=organisation_id))
    by_key = {u.code: u for u in units} | {u.name: u for u in units}
    out: list[tuple[int, ProjectInput]] = []
    for r in read.rows:
        unit = by_key.get(r["unit"])
        if unit is None:
            read.add(f"第 {r['_row']} 行“预算单位”列：没有名为或编码为“{r['unit']}”的单位")
            continue
        if r["end"] < r["start"]:
            read.add(f"第 {r['_row']} 行“结束日期”列：早于开始日期")
            continue
        out.append((r["_row"], ProjectInput(
            code=r["code"], name=r["name"], unit=unit, year=r["year"], amount=r["amount"], start=r["start"],
            end=r["end"], kind=r["kind"] or Project.Kind.PROJECT, source=r["source"] or Project.Source.GENERAL,
            sector=r["sector"] or "", section=r["section"] or "", key=bool(r["key"]))))
    if read.problems:
        raise ImportRefused(read.problems, read.total)
    return out


def projects_import_upload(*, actor: Actor, scope: Scope, upload: UploadedFile[bytes]) -> int:
    org = scope.organisation_id or 0
    require_finance(scope, org, "导入预算项目")
    return projects_import(actor=actor, scope=scope, organisation_id=org,
                           rows=projects_from(upload_read(upload), org), source_name=upload.name or "")


def executions_from(data: bytes) -> list[ExecutionRow]:
    read = sheets.read_table(data, EXECUTION_COLS)
    if read.problems:
        raise ImportRefused(read.problems, read.total)
    return [ExecutionRow(r["_row"], r["code"], r["month"], r["paid"]) for r in read.rows]


def executions_import_upload(*, actor: Actor, scope: Scope, year: int, upload: UploadedFile[bytes]) -> int:
    org = scope.organisation_id or 0
    require_finance(scope, org, "导入预算执行数据")
    return executions_import(actor=actor, scope=scope, organisation_id=org, year=year,
                             rows=executions_from(upload_read(upload)), source_name=upload.name or "")


def default_month(year: int, today: dt.date) -> dt.date:
    """The checkpoint a page opens on: today within the year, else the year's end."""
    return today if today.year == year else dt.date(year, 12, 31)
