"""Reading the budget workbooks (projects, execution): every row checked, every problem placed by
row and column, nothing written. The upload has passed :func:`jixiao.core.uploads.check_xlsx`
before this module opens it. Pure apart from openpyxl: the lookups (known units, projects) are
handed in."""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

logger = logging.getLogger(__name__)

MAX_PROBLEMS = 50
MAX_ROWS = 50_000


class CellError(ValueError):
    pass


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    parse: Callable[[Any], Any]
    required: bool = True


@dataclass
class Read:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    total: int = 0

    def add(self, msg: str) -> None:
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(msg)


def text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def money(v: Any) -> Decimal:
    """An amount in yuan, at most two decimal places (分)."""
    try:
        d = Decimal(text(v).replace(",", ""))
    except InvalidOperation:
        raise CellError("不是有效的金额") from None
    if not d.is_finite():
        raise CellError("不是有效的金额")
    if d < 0:
        raise CellError("金额不能为负数")
    if d != d.quantize(Decimal("0.01")):
        d = Decimal(str(v)).quantize(Decimal("0.01")) if isinstance(v, float) else d
        if d != d.quantize(Decimal("0.01")):
            raise CellError("金额最多保留两位小数（到分）")
    return d.quantize(Decimal("0.01"))


def date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = text(v).replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise CellError("不是有效的日期（例：2025-03-31）")


def month_end(v: Any) -> dt.date:
    """A checkpoint month: any date of it, or ``YYYY-MM``; stored as its last day."""
    d = date(v)
    nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def read_table(data: bytes, cols: list[Col]) -> Read:
    """The rows of the workbook's first sheet under a header row naming the columns (in any
    order); every bad cell listed as ``第 N 行“列名”列（C5）：…``."""
    out = Read()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds of errors on a damaged file
        logger.warning("budget workbook not readable", exc_info=True)
        out.add(f"无法打开工作簿：文件已损坏或不是 .xlsx（{type(e).__name__}）")
        return out
    try:
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        names = [text(h) for h in header or ()]
        where: dict[str, int] = {}
        for c in cols:
            if c.header in names:
                where[c.key] = names.index(c.header)
            elif c.required:
                out.add(f"第 1 行缺少“{c.header}”列")
        if out.problems:
            return out
        for n, values in enumerate(it, start=2):
            if n - 1 > MAX_ROWS:
                out.add(f"超过 {MAX_ROWS} 行，请分批导入")
                break
            if values is None or all(v is None or text(v) == "" for v in values):
                continue
            row: dict[str, Any] = {"_row": n}
            ok = True
            for c in cols:
                i = where.get(c.key)
                raw = values[i] if i is not None and i < len(values) else None
                if raw is None or text(raw) == "":
                    if c.required:
                        out.add(f"第 {n} 行“{c.header}”列（{get_column_letter((i or 0) + 1)}{n}）：不能为空")
                        ok = False
                    row[c.key] = None
                    continue
                try:
                    row[c.key] = c.parse(raw)
                except CellError as e:
                    cell = f"{get_column_letter((i or 0) + 1)}{n}"
                    out.add(f"第 {n} 行“{c.header}”列（{cell}）：{e}（填写的是“{text(raw)}”）")
                    ok = False
            if ok:
                out.rows.append(row)
    except Exception as e:  # damaged sheet XML while streaming
        logger.warning("budget workbook damaged", exc_info=True)
        out.add(f"读取工作簿时出错：文件已损坏（{type(e).__name__}），未导入任何数据")
    finally:
        wb.close()
    if out.problems:
        out.rows = []
    return out


def cell_of(cols: list[Col], key: str, row: int) -> str:
    """Where a column's cell of a template-ordered workbook is, for messages after the read."""
    header = next(c.header for c in cols if c.key == key)
    return f"第 {row} 行“{header}”列"


def template(cols: list[Col], sample: list[list[Any]] | None = None) -> bytes:
    """An empty workbook with the header row (and example rows) to fill in."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([c.header for c in cols])
    for r in sample or []:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
