"""A publication (结果公示) as the XLSX workbook an office prints or forwards: the title, a line
with the number, publication and computation times, the ranking with its component columns, and
the note. Drawn from the frozen snapshot only, like the published page."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from jixiao.core.exports import (
    CENTER,
    HEAD_FONT,
    HEADER_FILL,
    LEFT,
    xlsx_cell,
    xlsx_grid,
    xlsx_print_setup,
)
from jixiao.scoring.models import Publication

SCORE_FORMAT = "0.00"




def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def meta_line(pub: Publication) -> str:
    """第N次公示, when it was published and when the results in it were computed (and a
    withdrawal, which a printed copy must not hide)."""
    parts = [f"第{pub.number}次公示", f"发布时间：{_when(pub.published_at)}", f"结果计算时间：{_when(pub.results_at)}"]
    if pub.withdrawn_at:
        parts.append(f"已撤回（{_when(pub.withdrawn_at)}）：{pub.withdraw_reason}")
    return "    ".join(parts)


def headers(snap: dict[str, Any]) -> list[str]:
    """Column headers: 名次, 考核对象, 所属单位, [排名组], each component with its points or weight,
    综合得分, 等次, 标记."""
    out = ["名次", "考核对象", "所属单位"]
    if len(snap["groups"]) > 1:
        out.append("排名组")
    for c in snap["components"]:
        extra = f"（{c['points']:g}分）" if c["points"] else (f"（{c['weight']:g}%）" if c["weight"] else "")
        out.append(f"{c['name']}{extra}")
    return [*out, "综合得分", "等次", "标记"]


def publication_workbook(pub: Publication) -> Workbook:
    snap = pub.snapshot
    heads = headers(snap)
    ncols = len(heads)
    grouped = len(snap["groups"]) > 1
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "考核结果公示"
    end = get_column_letter(ncols)
    ws.merge_cells(f"A1:{end}1")
    xlsx_cell(ws, 1, 1, pub.title, bold=True).font = Font(name=HEAD_FONT, bold=True, size=16)
    ws.row_dimensions[1].height = 34
    ws.merge_cells(f"A2:{end}2")
    xlsx_cell(ws, 2, 1, meta_line(pub))
    ws.row_dimensions[2].height = 22
    for c, label in enumerate(heads, start=1):
        xlsx_cell(ws, 3, c, label, bold=True, fill=HEADER_FILL)
    r = 4
    for row in snap["rows"]:
        values: list[tuple[Any, str | None]] = [(row["rank"], None), (row["name"], None), (row["unit"], None)]
        if grouped:
            values.append((row.get("group_name", row["group"]), None))
        values += [(v, SCORE_FORMAT) for v in row["components"]]
        values += [(row["total"], SCORE_FORMAT), (row["grade"], None),
                   ("；".join(label for _kind, label in row["flags"]), None)]
        for c, (v, fmt) in enumerate(values, start=1):
            xlsx_cell(ws, r, c, v, align=LEFT if c in (2, 3, ncols) else CENTER, number_format=fmt)
        r += 1
    xlsx_grid(ws, first_row=3, last_row=r - 1, columns=ncols)
    if pub.note:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        xlsx_cell(ws, r, 1, f"说明：{pub.note}", align=LEFT)
        ws.row_dimensions[r].height = 32
    widths = [6, 20, 20, *([10] if grouped else []), *([11] * len(snap["components"])), 10, 9, 28]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "C4"
    xlsx_print_setup(ws, title_rows="3:3", landscape=ncols > 8)
    return wb


def publication_xlsx(pub: Publication) -> bytes:
    buf = io.BytesIO()
    publication_workbook(pub).save(buf)
    return buf.getvalue()
