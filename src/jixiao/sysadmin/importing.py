"""Bulk import of units and people (单位、人员批量导入) from one workbook with the sheets 单位 and
人员, as the value imports do it: the upload gate first (jixiao.core.uploads), every cell checked
with its sheet, row and column named in Chinese, and nothing written unless every row is right;
then one transaction through ``unit_create`` and ``person_create`` (each row audited) and one
``import`` entry for the file.

单位: 编码 | 名称 | 类型 (政府/乡镇/部门/驻地单位/科室) | 上级单位编码 | 排序
人员: 编码 | 姓名 | 所在单位编码 | 层级 (领导班子成员/中层正职/中层副职/一般人员) | 职务
A parent may be a unit of the organisation or one listed above it on the sheet.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from openpyxl import Workbook, load_workbook

from jixiao.audit.services import Actor, audit_event
from jixiao.core.errors import ServiceError
from jixiao.core.uploads import UploadRefused, check_xlsx
from jixiao.org.models import MAX_UNIT_DEPTH, Person, Unit
from jixiao.org.scoping import Scope, for_org
from jixiao.org.services import person_create, unit_create

UNIT_SHEET, PERSON_SHEET = "单位", "人员"
UNIT_COLUMNS = ("编码", "名称", "类型", "上级单位编码", "排序")
PERSON_COLUMNS = ("编码", "姓名", "所在单位编码", "层级", "职务")
KINDS = {str(label): value for value, label in Unit.Kind.choices}
LEVELS = {str(label): value for value, label in Person.Level.choices}
MAX_ROWS = 20000
MAX_ERRORS = 200
LETTERS = "ABCDE"


@dataclass
class Parsed:
    units: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error(self, sheet: str, row: int | None, col: int | None, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"sheet": sheet, "row": row, "column": LETTERS[col] if col is not None else "",
                                "message": message})


def template_workbook() -> bytes:
    """The empty workbook to fill in, with its two sheets and their headers."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = UNIT_SHEET
    ws.append(list(UNIT_COLUMNS))
    ws2 = wb.create_sheet(PERSON_SHEET)
    ws2.append(list(PERSON_COLUMNS))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _rows(wb: Any, title: str, columns: tuple[str, ...], out: Parsed) -> list[tuple[int, list[str]]]:
    if title not in wb.sheetnames:
        out.error(title, None, None, f"缺少工作表“{title}”，请使用系统下载的模板")
        return []
    rows = []
    for r, values in enumerate(wb[title].iter_rows(values_only=True), start=1):
        cells = [_text(v) for v in list(values)[:len(columns)]] + [""] * max(0, len(columns) - len(values))
        if r == 1:
            if [c for c in cells if c] and cells[:len(columns)] != list(columns):
                out.error(title, 1, None, f"表头应为：{'、'.join(columns)}")
            continue
        if any(cells):
            rows.append((r, cells))
        if len(rows) > MAX_ROWS:
            out.error(title, r, None, f"行数超过上限 {MAX_ROWS}")
            break
    return rows


def import_read(data: bytes, *, scope: Scope) -> Parsed:
    """Every row of the workbook checked against the organisation; nothing written."""
    out = Parsed()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds of errors on a damaged file
        out.error("", None, None, f"无法打开工作簿：文件已损坏或不是 .xlsx（{type(e).__name__}）")
        return out
    try:
        unit_rows = _rows(wb, UNIT_SHEET, UNIT_COLUMNS, out)
        person_rows = _rows(wb, PERSON_SHEET, PERSON_COLUMNS, out)
    except Exception as e:  # damaged sheet XML while streaming
        out.error("", None, None, f"读取工作簿时出错：文件已损坏（{type(e).__name__}），未写入任何数据")
        return out
    finally:
        wb.close()
    existing = {code: (pk, level) for code, pk, level in
                for_org(Unit.objects.all(), scope).values_list("code", "pk", "level")}
    codes = [c[0] for _, c in unit_rows if c[0]]
    taken = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
    new_levels: dict[str, int] = {}
    for r, (code, name, kind, parent, position) in unit_rows:
        ok = True
        if not code:
            out.error(UNIT_SHEET, r, 0, "单位编码不能为空")
            ok = False
        elif code in taken or code in new_levels:
            out.error(UNIT_SHEET, r, 0, f"单位编码 {code} 已存在")
            ok = False
        if not name:
            out.error(UNIT_SHEET, r, 1, "单位名称不能为空")
            ok = False
        if kind not in KINDS:
            out.error(UNIT_SHEET, r, 2, f"类型“{kind}”无效，应为：{'、'.join(KINDS)}")
            ok = False
        if not parent:
            out.error(UNIT_SHEET, r, 3, "请填写上级单位编码（本组织的单位，或本表中在上方列出的单位）")
            ok = False
            level = 0
        elif parent in existing:
            level = existing[parent][1] + 1
        elif parent in new_levels:
            level = new_levels[parent] + 1
        else:
            out.error(UNIT_SHEET, r, 3, f"上级单位 {parent} 不存在于本组织（或在本表中列在其下方）")
            ok = False
            level = 0
        if level > MAX_UNIT_DEPTH:
            out.error(UNIT_SHEET, r, 3, f"单位层级不能超过 {MAX_UNIT_DEPTH} 级")
            ok = False
        if position and not position.isdigit():
            out.error(UNIT_SHEET, r, 4, "排序应为非负整数")
            ok = False
        if code and code not in taken:
            new_levels.setdefault(code, level)
        if ok:
            out.units.append({"code": code, "name": name, "kind": KINDS[kind], "parent": parent,
                              "position": int(position or 0)})
    pcodes = [c[0] for _, c in person_rows if c[0]]
    ptaken = set(Person.objects.filter(code__in=pcodes).values_list("code", flat=True))
    seen: set[str] = set()
    for r, (code, name, unit, level_label, title) in person_rows:
        ok = True
        if not code:
            out.error(PERSON_SHEET, r, 0, "人员编码不能为空")
            ok = False
        elif code in ptaken or code in seen:
            out.error(PERSON_SHEET, r, 0, f"人员编码 {code} 已存在")
            ok = False
        seen.add(code)
        if not name:
            out.error(PERSON_SHEET, r, 1, "姓名不能为空")
            ok = False
        if unit not in existing and unit not in new_levels:
            out.error(PERSON_SHEET, r, 2, f"所在单位 {unit or '（空）'} 不存在于本组织")
            ok = False
        if level_label and level_label not in LEVELS:
            out.error(PERSON_SHEET, r, 3, f"层级“{level_label}”无效，应为：{'、'.join(LEVELS)}")
            ok = False
        if len(title) > 60:
            out.error(PERSON_SHEET, r, 4, "职务不能超过 60 个字")
            ok = False
        if ok:
            out.people.append({"code": code, "name": name, "unit": unit,
                               "level": LEVELS.get(level_label, Person.Level.STAFF), "title": title})
    if not unit_rows and not person_rows and not out.errors:
        out.error("", None, None, "工作簿中没有数据行")
    if out.errors:
        out.units, out.people = [], []
    return out


@transaction.atomic
def org_import(*, actor: Actor, scope: Scope, name: str, data: bytes) -> Parsed:
    """Import the workbook: all rows or none (单位、人员批量导入). Returns the parse; its errors
    (sheet, row, column, message) when refused, in which case nothing was written."""
    try:
        check_xlsx(name, data, max_bytes=settings.JIXIAO_IMPORT_MAX_BYTES,
                   max_uncompressed=settings.JIXIAO_IMPORT_MAX_UNCOMPRESSED)
    except UploadRefused as e:
        raise ServiceError(str(e), field="file") from None
    parsed = import_read(data, scope=scope)
    digest = hashlib.sha256(data).hexdigest()
    if parsed.errors:
        audit_event(actor=actor, action="import", target="org.unit", summary=f"单位人员导入被拒绝：{name}",
                    outcome="failure", after={"sha256": digest, "errors": len(parsed.errors)})
        return parsed
    units = {u.code: u for u in for_org(Unit.objects.all(), scope)}
    for row in parsed.units:
        units[row["code"]] = unit_create(actor=actor, code=row["code"], name=row["name"], kind=row["kind"],
                                         parent=units[row["parent"]], position=row["position"])
    for row in parsed.people:
        person_create(actor=actor, code=row["code"], name=row["name"], unit=units[row["unit"]], level=row["level"],
                      title=row["title"])
    audit_event(actor=actor, action="import", target="org.unit", summary=f"单位人员导入：{name}",
                after={"sha256": digest, "units": len(parsed.units), "people": len(parsed.people)})
    return parsed
