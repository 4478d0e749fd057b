"""The official tables as an XLSX workbook an office prints: one sheet per table, the title merged
across it, a line saying what and when, merged two-level headers, thin borders, 宋体 / 黑体, A4 with
the header rows repeated on every page (the handbook: one person per page)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from jixiao.core.exports import (
    CENTER,
    HEADER_FILL,
    LEFT,
    xlsx_cell,
    xlsx_grid,
    xlsx_print_setup,
)
from jixiao.reports.tables import Appendix, Column, Row, Table, header_rows

GROUP_FILL = PatternFill("solid", fgColor="FFF2F2F2")




def _line(ws: Any, row: int, ncols: int, text: str, *, align: Alignment = LEFT, bold: bool = False, size: int = 11,
          fill: PatternFill | None = None, height: float | None = None) -> None:
    """One text merged across the table."""
    if ncols > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    xlsx_cell(ws, row, 1, text, align=align, bold=bold, size=size, fill=fill)
    if fill is not None:
        for c in range(2, ncols + 1):
            ws.cell(row=row, column=c).fill = fill
    if height:
        ws.row_dimensions[row].height = height


def _formats(t: Table) -> dict[str, str]:
    score = "0." + "0" * t.decimals if t.decimals else "0"
    return {"score": score, "int": "0", "coef": "General"}


def _header(ws: Any, row: int, columns: Sequence[Column]) -> int:
    """The header rows from ``row``; returns the row after them."""
    levels = header_rows(columns)
    for i, cells in enumerate(levels):
        for h in cells:
            r, c = row + i, h.col + 1
            if h.colspan > 1 or h.rowspan > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + h.rowspan - 1, end_column=c + h.colspan - 1)
            xlsx_cell(ws, r, c, h.label, bold=True, fill=HEADER_FILL)
    # Merged header cells need their hidden parts filled too, or the fill shows gaps.
    for r in range(row, row + len(levels)):
        for c in range(1, len(columns) + 1):
            ws.cell(row=r, column=c).fill = HEADER_FILL
        ws.row_dimensions[r].height = 30
    return row + len(levels)


def _rows(ws: Any, row: int, t: Table, rows: Sequence[Row]) -> int:
    ncols = len(t.columns)
    formats = _formats(t)
    for line in rows:
        if line.kind in ("group", "note"):
            group = line.kind == "group"
            _line(ws, row, ncols, str(line.cells[0]), bold=group, fill=GROUP_FILL if group else None)
        else:
            bold = line.kind == "total"
            for c, (col, v) in enumerate(zip(t.columns, line.cells, strict=True), start=1):
                fmt = formats.get(col.kind) if isinstance(v, (int, float)) else None
                xlsx_cell(ws, row, c, v, align=LEFT if col.kind == "text" else CENTER, bold=bold, number_format=fmt)
        row += 1
    return row


def _appendix(ws: Any, row: int, a: Appendix, ncols: int) -> int:
    _line(ws, row, ncols, a.title, bold=True)
    first = row + 1

    def put_line(r: int, values: Sequence[Any], bold: bool) -> None:
        c = 1
        for (_label, span), v in zip(a.columns, values, strict=True):
            if span > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + span - 1)
            xlsx_cell(ws, r, c, v, bold=bold, fill=HEADER_FILL if bold else None)
            c += span

    put_line(first, [label for label, _span in a.columns], True)
    r = first + 1
    for values in a.rows:
        put_line(r, values, False)
        r += 1
    xlsx_grid(ws, first_row=first, last_row=r - 1, columns=ncols)
    return r


def _sheet(ws: Any, t: Table) -> None:
    ncols = len(t.columns)
    _line(ws, 1, ncols, t.title, align=CENTER, bold=True, size=16, height=34)
    _line(ws, 2, ncols, "    ".join(t.meta), align=CENTER, height=22)
    row = 3
    head_end = 3
    for i, block in enumerate(t.blocks):
        if t.page_per_block:
            if i:
                ws.row_breaks.append(Break(id=row - 1))
            _line(ws, row, ncols, block.heading, bold=True, height=24)
            row += 1
        first = row
        if t.page_per_block or i == 0:
            row = _header(ws, row, t.columns)
            head_end = row - 1
        row = _rows(ws, row, t, block.rows)
        xlsx_grid(ws, first_row=first, last_row=row - 1, columns=ncols)
        if t.page_per_block:
            row += 1  # a blank line under each person
    if t.appendix is not None:
        row = _appendix(ws, row + 1, t.appendix, ncols)
    for note in t.notes:
        _line(ws, row, ncols, note, height=30)
        row += 1
    for i, col in enumerate(t.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    if t.page_per_block:
        xlsx_print_setup(ws, title_rows="1:2", landscape=t.landscape)
    else:
        ws.freeze_panes = f"{get_column_letter(min(3, ncols))}{head_end + 1}"
        xlsx_print_setup(ws, title_rows=f"3:{head_end}", landscape=t.landscape)


def workbook(tables: Sequence[Table]) -> Workbook:
    """A workbook with one sheet per table (sheet names made unique)."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    used: set[str] = set()
    for i, t in enumerate(tables):
        name = t.sheet
        n = 2
        while name in used:
            name = f"{t.sheet[:28]}({n})"
            n += 1
        used.add(name)
        ws = first if i == 0 else wb.create_sheet()
        ws.title = name
        _sheet(ws, t)
    return wb


def tables_xlsx(tables: Sequence[Table]) -> bytes:
    buf = io.BytesIO()
    workbook(tables).save(buf)
    return buf.getvalue()
