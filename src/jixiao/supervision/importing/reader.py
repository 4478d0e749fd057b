"""Reading an uploaded matters workbook: every row checked, every problem listed, nothing written.

The upload has passed :func:`~jixiao.core.uploads.check_xlsx` (a plain .xlsx, no macros,
bounded size and compression ratio) before this module opens it. Columns are mapped by their
header text; unknown headers and missing required ones are named. Each cell is read (units,
leaders, choices, dates, milestones); each complete row then goes through the same rules as a
matter typed into the form (:func:`~jixiao.supervision.services.imports.rows_check`), so the
office sees every problem at once, each with its row, column and what was typed.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jixiao.supervision.services.imports import MAX_PROBLEMS, ImportRow, Problem, problems_sorted, rows_check
from jixiao.supervision.services.matters import MatterInput, MilestoneInput

from .columns import (
    BY_KEY,
    DATA_SHEET,
    HEADERS,
    REFERENCE_SHEETS,
    REQUIRED,
    YES,
    CellError,
    Col,
    header_key,
    parse_choice,
    parse_date,
    parse_int,
    parse_milestones,
    split_items,
    split_list,
    text_of,
)
from .plan import Lookups, lookups_load

logger = logging.getLogger(__name__)

MAX_ROWS = 2000
HEADER_SEARCH = 5  # the header may sit below a title row or two


@dataclass
class Parsed:
    """The rows ready to import, or the problems (then ``rows`` is empty)."""

    sheet: str = ""
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0  # problems found, also those beyond MAX_PROBLEMS

    def add(self, p: Problem) -> None:
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(p)


def read_matters(data: bytes, *, today: dt.date, lookups: Lookups | None = None,
                 assign: bool | None = None) -> Parsed:
    """Parse and check every row of the workbook; ``assign`` overrides each row's 立即交办."""
    out = Parsed()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds of errors on a damaged file
        logger.warning("matters workbook not readable", exc_info=True)
        out.add(Problem(None, "", f"无法打开工作簿：文件已损坏或不是 Excel 生成的 .xlsx（{type(e).__name__}）"))
        return out
    try:
        ws = _data_sheet(wb)
        if ws is None:
            out.add(Problem(None, "", f"工作簿中没有“{DATA_SHEET}”工作表，请使用下载的模板"))
        else:
            out.sheet = ws.title
            _read_sheet(ws, out, today, lookups or lookups_load(), assign)
    except Exception as e:  # damaged sheet XML (e.g. an entity bomb stopped by expat) while streaming
        logger.warning("matters workbook damaged", exc_info=True)
        out.add(Problem(None, "", f"读取工作簿时出错：文件已损坏（{type(e).__name__}），未导入任何事项"))
    finally:
        wb.close()
    out.problems = problems_sorted(out.problems)
    if out.problems:
        out.rows = []
    return out


def _data_sheet(wb: Any) -> Any:
    if DATA_SHEET in wb.sheetnames:
        return wb[DATA_SHEET]
    others = [ws for ws in wb.worksheets if ws.title not in REFERENCE_SHEETS]
    return others[0] if others else None


def _read_sheet(ws: Any, out: Parsed, today: dt.date, lookups: Lookups, assign: bool | None) -> None:
    sheet = ws.title
    rows: Iterator[tuple[Any, ...]] = ws.iter_rows(values_only=True)
    header_row, columns = 0, {}
    for n, values in enumerate(rows, start=1):
        if any(header_key(text_of(v)) in HEADERS for v in values):
            header_row, columns = n, _columns(sheet, n, values, out)
            break
        if n >= HEADER_SEARCH:
            break
    if not header_row:
        out.add(Problem(1, "", f"找不到表头：第 1 行应为列名（{'、'.join(c.header for c in REQUIRED)} 等），"
                               "请使用下载的模板", sheet=sheet))
        return
    if out.problems:
        return  # a sheet whose columns are wrong would only yield misleading row problems
    letters = {c.key: get_column_letter(i + 1) for i, c in columns.items()}
    parsed: list[ImportRow] = []
    count = 0
    for line, values in enumerate(rows, start=header_row + 1):
        cells = {i: v for i, v in enumerate(values) if text_of(v)}
        if not cells:
            continue
        count += 1
        if count > MAX_ROWS:
            out.add(Problem(line, "", f"一次最多导入 {MAX_ROWS} 个事项，请分成几个文件", sheet=sheet))
            return
        stray = sorted(i for i in cells if i not in columns)
        for i in stray:
            out.add(Problem(line, "", f"{get_column_letter(i + 1)} 列没有表头，其中的内容无法导入",
                            sheet=sheet, letter=get_column_letter(i + 1), value=text_of(cells[i])[:100]))
        row = _row(sheet, line, {c.key: cells.get(i) for i, c in columns.items()}, letters, lookups, out)
        if row is not None and not stray:
            parsed.append(row if assign is None else replace(row, assign=assign))
    if count == 0:
        out.add(Problem(None, "", "表中没有填写任何事项", sheet=sheet))
    for p in rows_check(parsed, today=today, sheet=sheet, letters=letters):
        out.add(p)
    out.rows = parsed


def _columns(sheet: str, line: int, values: tuple[Any, ...], out: Parsed) -> dict[int, Col]:
    """Column index → column, from the header row; unknown, repeated and missing headers are problems."""
    columns: dict[int, Col] = {}
    seen: dict[str, int] = {}
    for i, v in enumerate(values):
        text = text_of(v)
        if not text:
            continue
        letter = get_column_letter(i + 1)
        col = HEADERS.get(header_key(text))
        if col is None:
            out.add(Problem(line, text, f"无法识别的列“{text}”（{letter} 列）；可用的列见“填写说明”工作表",
                            sheet=sheet, letter=letter, value=text))
        elif col.key in seen:
            out.add(Problem(line, col.header, f"“{text}”列重复（与 {get_column_letter(seen[col.key] + 1)} 列相同）",
                            sheet=sheet, letter=letter, value=text))
        else:
            seen[col.key] = i
            columns[i] = col
    missing = [c.header for c in REQUIRED if c.key not in seen]
    if missing:
        out.add(Problem(line, "", f"缺少必填列：{'、'.join(missing)}", sheet=sheet))
    return columns


def _row(sheet: str, line: int, raw: dict[str, Any], letters: dict[str, str], lookups: Lookups,
         out: Parsed) -> ImportRow | None:
    """One row as an ImportRow, or None after adding its cell problems."""
    texts = {k: text_of(v) for k, v in raw.items() if text_of(v)}
    bad = False

    def fail(key: str, message: str) -> None:
        nonlocal bad
        bad = True
        out.add(Problem(line, BY_KEY[key].header, message, sheet=sheet, letter=letters.get(key, ""),
                        value=texts.get(key, "")[:100]))

    def read(key: str, parse: Callable[[Any], Any]) -> Any:
        if key not in texts:
            return None
        try:
            return parse(raw[key])
        except CellError as e:
            fail(key, str(e))
            return None

    for col in REQUIRED:
        if col.key not in texts:
            fail(col.key, f"请填写{col.header}")
    choice = {k: read(k, partial(parse_choice, BY_KEY[k])) for k in ("kind", "source", "level", "urgency", "assign")}
    leader = read("leader", lambda v: lookups.leader(text_of(v)))
    lead = read("lead_unit", lambda v: lookups.unit(text_of(v)))
    co = read("co_units", lambda v: [lookups.unit(x) for x in split_list(text_of(v))])
    deadline = read("deadline", parse_date)
    milestones = read("milestones", lambda v: parse_milestones(text_of(v)))
    warn_days = read("warn_days", parse_int)
    if bad or lead is None or deadline is None:
        return None
    data = MatterInput(
        title=texts.get("title", ""), lead_unit=lead, deadline=deadline, co_units=tuple(co or ()),
        leader_id=leader.pk if leader is not None else None,
        milestones=tuple(MilestoneInput(title=t, due=d) for t, d in milestones or ()),
        content=texts.get("content", ""), source_ref=texts.get("source_ref", ""), liaison=texts.get("liaison", ""),
        liaison_phone=texts.get("liaison_phone", ""), measures=texts.get("measures", ""),
        materials="\n".join(split_items(texts.get("materials", ""))), warn_days=warn_days,
        **{k: v for k, v in choice.items() if k != "assign" and v is not None})
    return ImportRow(line=line, data=data, assign=choice["assign"] == YES, cells=texts)
