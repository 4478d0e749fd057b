"""Reading an uploaded import workbook: every cell checked, every problem listed, nothing written.

The upload has passed :func:`~jixiao.core.uploads.check_xlsx` (no macros, bounded size and
compression ratio) before this module opens it. :func:`read_values` streams the workbook
(openpyxl read-only mode) and returns the rows to write, or the complete list of problems, each
with its sheet, row and column letter.

Cell rules (also printed on the template's 说明 sheet):

- a blank cell leaves the value in the ledger unchanged;
- ``清空`` (exactly that word) clears an existing value; ``-``, ``/`` and other text are errors;
- numbers may carry thousands separators and a trailing ``%`` (``85%`` → 85, also when Excel
  stored the cell as 0.85 with a percent format);
- a number equal to a value that already counts (submitted or verified) is left as it is, so
  re-importing a pre-filled template neither verifies nor re-submits anything;
- a cell the user may not report (another unit's object, a third-party indicator), a cell of a
  verified value changed by anyone but the office, an unknown object or indicator, a duplicate
  object row, a cell in a column that is not an indicator column: each is an error.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jixiao.collection.models import Value
from jixiao.collection.services import ValueInput, parse_number
from jixiao.core.errors import ServiceError

from .layout import (
    CLEAR_WORD,
    CODE_COL,
    FIRST_DATA_ROW,
    FIRST_VALUE_COL,
    INSTRUCTIONS_SHEET,
    KEY_ROW,
    parse_column_key,
    parse_marker,
)
from .plan import TARGET, Column, ImportContext, ObjectInfo

logger = logging.getLogger(__name__)

MAX_ERRORS = 500
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!"})
HUNDRED = Decimal(100)

Progress = Callable[[float], None]


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class Parsed:
    rows: list[ValueInput] = field(default_factory=list)
    cells: int = 0  # non-blank value cells read
    unchanged: int = 0  # cells equal to a value that already counts
    errors: list[CellError] = field(default_factory=list)
    total_errors: int = 0

    def error(self, sheet: str, row: int | None, column: int | str, message: str) -> None:
        self.total_errors += 1
        if len(self.errors) < MAX_ERRORS:
            letter = get_column_letter(column) if isinstance(column, int) else column
            self.errors.append(CellError(sheet, row, letter, message))

    def error_dicts(self) -> list[dict[str, Any]]:
        """The errors as stored on the job; a last line says how many were left off."""
        out = [e.as_dict() for e in self.errors]
        more = self.total_errors - len(self.errors)
        if more > 0:
            out.append({"sheet": "", "row": None, "column": "", "more": more,
                        "message": f"另有 {more} 处错误未列出（共 {self.total_errors} 处），"
                                   "请先改正以上错误后重新上传"})
        return out


class _Clear:
    """The value of a cell holding 清空."""


CLEAR = _Clear()


def read_values(data: bytes, ctx: ImportContext, *, progress: Progress | None = None) -> Parsed:
    """Parse and check every cell of an import workbook against the context."""
    out = Parsed()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds of errors on a damaged file
        logger.warning("import workbook not readable", exc_info=True)
        out.error("", None, "", f"无法打开工作簿：文件已损坏或不是 Excel 生成的 .xlsx（{type(e).__name__}）")
        return out
    try:
        sheets = [ws for ws in wb.worksheets if ws.title != INSTRUCTIONS_SHEET]
        total_rows = sum(max(int(getattr(ws, "max_row", 0) or 0), 1) for ws in sheets) or 1
        seen: dict[str, tuple[str, int]] = {}
        done = 0
        for ws in sheets:
            done = _read_sheet(ws, ctx, out, seen, done, total_rows, progress)
        if not sheets:
            out.error("", None, "", "工作簿中没有数据工作表，请使用系统下载的模板")
    except Exception as e:  # damaged sheet XML (e.g. an entity bomb stopped by expat) while streaming
        logger.warning("import workbook damaged", exc_info=True)
        out.error("", None, "", f"读取工作簿时出错：文件已损坏（{type(e).__name__}），未写入任何数据")
    finally:
        wb.close()
    if out.errors:
        out.rows = []
    return out


def _read_sheet(ws: Any, ctx: ImportContext, out: Parsed, seen: dict[str, tuple[str, int]], done: int,
                total_rows: int, progress: Progress | None) -> int:
    title: str = ws.title
    rows: Iterator[tuple[Any, ...]] = ws.iter_rows(min_row=1)
    head = [next(rows, ()) for _ in range(KEY_ROW)]
    key_values = [c.value for c in head[KEY_ROW - 1]]
    marker = parse_marker(key_values[CODE_COL - 1] if key_values else None)
    if marker is None:
        if any(not _blank(c.value) for row in (*head, *rows) for c in row):
            out.error(title, KEY_ROW, CODE_COL,
                      f"工作表“{title}”不是本系统的导入模板（缺少第 2 行的系统标识），请删除该工作表或使用下载的模板")
        return done + max(int(getattr(ws, "max_row", 0) or 0), 1)
    assessment, period, category = marker
    if (assessment, period) != (ctx.assessment.code, ctx.period.code):
        out.error(title, KEY_ROW, CODE_COL,
                  f"该工作表属于考核 {assessment} 的 {period} 期，不能导入到 {ctx.assessment.code} 的 "
                  f"{ctx.period.code} 期，请下载本期的模板")
        return done + max(int(getattr(ws, "max_row", 0) or 0), 1)
    info = ctx.catalog.categories.get(category)
    if info is None:
        out.error(title, KEY_ROW, CODE_COL, f"考核方案中没有类别 {category}，模板可能已过期，请重新下载")
        return done + max(int(getattr(ws, "max_row", 0) or 0), 1)

    columns = _columns(title, key_values, ctx, category, out)
    office = ctx.scope.office
    report_cols = {i: c for i, c in columns.items() if c is not None}
    counting = Value.COUNTING
    verified = Value.Status.VERIFIED
    r = KEY_ROW
    step = 200
    for row in rows:
        r += 1
        if r < FIRST_DATA_ROW:
            continue
        if progress is not None and r % step == 0:
            progress(min(1.0, (done + r) / total_rows))
        code_raw = row[CODE_COL - 1].value if len(row) >= CODE_COL else None
        filled: list[tuple[int, Any, Any]] = []  # (column index, raw value, cell)
        for i in range(FIRST_VALUE_COL - 1, len(row)):
            cell = row[i]
            v = cell.value
            if v is None or (v.__class__ is str and not v.strip()):
                continue
            filled.append((i + 1, v, cell))
        code = _code(code_raw)
        if not filled:
            continue
        out.cells += len(filled)
        if code is None:
            out.error(title, r, CODE_COL, "缺少考核对象编码")
            continue
        obj = ctx.objects.get(code)
        if obj is None:
            out.error(title, r, CODE_COL, f"考核对象编码“{code}”在本考核中不存在（或已停用）")
            continue
        if ctx.category_of(obj) != category:
            out.error(title, r, CODE_COL,
                      f"考核对象 {obj.name}（{code}）不属于“{info.name}”类别，请填在对应类别的工作表中")
            continue
        if code in seen:
            sheet, at = seen[code]
            out.error(title, r, CODE_COL, f"考核对象 {obj.name}（{code}）重复：已在工作表“{sheet}”第 {at} 行出现")
            continue
        seen[code] = (title, r)
        if not office and not any(ctx.may_report(obj, c) for c in report_cols.values()):
            out.error(title, r, CODE_COL, f"无权填报 {obj.name} 的数据")
            continue
        for col_idx, raw, cell in filled:
            if col_idx not in columns:
                out.error(title, r, col_idx, "该列不是模板中的指标列（第 2 行没有指标标识），请不要在模板中增加列")
                continue
            col = columns[col_idx]
            if col is None:
                continue  # the column's header is wrong: reported once there
            _cell(title, r, col_idx, raw, cell, obj, col, ctx, out, office, counting, verified)
    return done + r


def _columns(title: str, keys: list[Any], ctx: ImportContext, category: str,
             out: Parsed) -> dict[int, Column | None]:
    """Column index → the column its hidden key names; None for a bad key (reported here)."""
    valid = {c.key: c for c in ctx.columns(category)}
    info = ctx.catalog.categories[category]
    cols: dict[int, Column | None] = {}
    seen: dict[str, int] = {}
    for i in range(FIRST_VALUE_COL - 1, len(keys)):
        raw = keys[i]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        idx = i + 1
        key = parse_column_key(raw)
        if key is None:
            out.error(title, KEY_ROW, idx, f"第 2 行的指标标识“{raw}”无法识别，请不要修改隐藏的标识行")
            cols[idx] = None
            continue
        ind, var = key
        col = valid.get(f"{ind}:{var}")
        if col is None:
            leaf = ctx.catalog.leaf(category, ind)
            if leaf is None or leaf.kind != "value":
                msg = f"指标 {ind} 不是“{info.name}”类别的填报指标，模板可能已过期，请重新下载"
            elif not leaf.applies(ctx.period.code):
                msg = f"指标“{leaf.name}”不在 {ctx.period.name} 考核，请删除该列或重新下载模板"
            else:
                msg = f"指标“{leaf.name}”没有数据项 {var}，模板可能已过期，请重新下载"
            out.error(title, KEY_ROW, idx, msg)
            cols[idx] = None
            continue
        if col.leaf.fed_by_system:
            out.error(title, KEY_ROW, idx, f"指标“{col.leaf.name}”由督办系统按事项办理情况自动计数，不能导入，"
                                           "请删除该列（下载的模板中没有这一列）")
            cols[idx] = None
            continue
        if col.key in seen:
            out.error(title, KEY_ROW, idx,
                      f"指标“{col.leaf.name}”的{col.label}列重复（与 {get_column_letter(seen[col.key])} 列相同）")
            cols[idx] = None
            continue
        seen[col.key] = idx
        cols[idx] = col
    return cols


def _cell(title: str, r: int, c: int, raw: Any, cell: Any, obj: ObjectInfo, col: Column, ctx: ImportContext,
          out: Parsed, office: bool, counting: tuple[str, ...], verified: str) -> None:
    leaf = col.leaf
    if not office and not ctx.may_report(obj, col):
        if col.variable == TARGET and ctx.scope.can_report(obj.unit_id, leaf.source):
            out.error(title, r, c, f"“{leaf.name}”的{col.label}由绩效办设定，填报单位不能导入")
        else:
            who = f"（由 {leaf.source} 填报）" if leaf.source else ""
            out.error(title, r, c, f"无权填报 {obj.name} 的“{leaf.name}”{who}")
        return
    value = _value(raw, cell)
    if isinstance(value, str):
        out.error(title, r, c, value)
        return
    ex = ctx.existing.get((obj.id, leaf.code, col.variable))
    new: Decimal | None
    if value is CLEAR:
        if ex is None or (ex.value is None and ex.status in counting):
            return  # nothing to clear
        new = None
    else:
        assert isinstance(value, Decimal)
        new = value
    if ex is not None and ex.value == new and ex.status in counting:
        out.unchanged += 1
        return
    if ex is not None and ex.status == verified and not office:
        out.error(title, r, c, f"该数据已审核（当前值 {_fmt(ex.value)}），需由绩效办退回后才能修改")
        return
    out.rows.append(ValueInput(object=obj.code, indicator=leaf.code, variable=col.variable, value=new))


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _code(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    return text or None


def _value(raw: Any, cell: Any) -> Decimal | _Clear | str:
    """The cell as a number, CLEAR, or an error message (a str)."""
    if isinstance(raw, bool):
        return f"“{'TRUE' if raw else 'FALSE'}”不是数字"
    if isinstance(raw, dt.datetime | dt.date | dt.time | dt.timedelta):
        return f"“{raw}”是日期或时间，不是数字；请把单元格格式设为“常规”或“数值”后重新填写"
    if isinstance(raw, str):
        text = raw.strip()
        if text == CLEAR_WORD:
            return CLEAR
        if text in EXCEL_ERRORS:
            return f"单元格是错误值 {text}，请检查公式"
        if text in {"-", "—", "－", "/", "／", "——"}:
            return f"“{text}”不是数字：留空表示不修改，删除原值请填写“{CLEAR_WORD}”"
    try:
        number = parse_number(raw)
    except ServiceError as e:
        return e.message
    if number is None:  # unreachable for non-blank cells, kept for the type checker
        return f"“{raw}”不是数字"
    if isinstance(raw, int | float) and "%" in (getattr(cell, "number_format", "") or ""):
        try:
            number = parse_number(Decimal(str(raw)) * HUNDRED)
        except ServiceError as e:
            return e.message
        assert number is not None
    return number


def _fmt(d: Decimal | None) -> str:
    return "（空）" if d is None else format(d.normalize(), "f")
