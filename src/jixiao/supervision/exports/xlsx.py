"""A bulletin as the XLSX workbook an office prints: the unit summary with two-level headers, the
overdue list, the units that have not fed back, and (for a bulletin over both kinds) the
rectification items by unit. Drawn from the stored snapshot only."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from jixiao.core.exports import (
    BODY_FONT,
    CENTER,
    HEAD_FONT,
    HEADER_FILL,
    LEFT,
    safe_cell,
    xlsx_cell,
    xlsx_grid,
    xlsx_print_setup,
)
from jixiao.supervision.bulletin_data import group_labels

RED_FILL = PatternFill("solid", fgColor="FFF8CBAD")
YELLOW_FILL = PatternFill("solid", fgColor="FFFFE699")
DATE_FORMAT = "yyyy-mm-dd"


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _cn(text: str | None) -> str:
    day = _day(text)
    return f"{day:%Y年%m月%d日}" if day else ""




def _heading(ws: Any, title: str, meta: str, columns: int) -> None:
    """Row 1: the title merged across the table; row 2: number, window and kind."""
    end = get_column_letter(columns)
    ws.merge_cells(f"A1:{end}1")
    cell = ws.cell(row=1, column=1, value=safe_cell(title))
    cell.font = Font(name=HEAD_FONT, bold=True, size=18)
    cell.alignment = CENTER
    ws.row_dimensions[1].height = 36
    ws.merge_cells(f"A2:{end}2")
    cell = ws.cell(row=2, column=1, value=safe_cell(meta))
    cell.font = Font(name=BODY_FONT, size=11)
    cell.alignment = CENTER
    ws.row_dimensions[2].height = 22


def _meta(bulletin: Any) -> str:
    data = bulletin.data
    parts = [f"期号：{bulletin.number}" if bulletin.number else "",
             f"统计时段：{_cn(data['date_from'])}至{_cn(data['date_to'])}",
             f"范围：{data.get('kind_label', '')}"]
    return "    ".join(p for p in parts if p)


def _widths(ws: Any, widths: Sequence[float]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _summary(ws: Any, bulletin: Any) -> None:
    data: Mapping[str, Any] = bulletin.data
    groups = group_labels(data)
    lights = (("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯"))
    ncols = 3 + len(groups) + len(lights) + 2
    _heading(ws, bulletin.title, _meta(bulletin), ncols)
    # Two header rows: single headers span both; 办理状态 and 灯色 sit over their parts.
    singles_before = ("序号", "单位", "事项总数")
    for i, label in enumerate(singles_before, start=1):
        ws.merge_cells(start_row=3, start_column=i, end_row=4, end_column=i)
        xlsx_cell(ws, 3, i, label, bold=True, fill=HEADER_FILL)
    col = len(singles_before) + 1
    for label, parts in (("办理状态", [g[1] for g in groups]), ("灯色", [x[1] for x in lights])):
        ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + len(parts) - 1)
        xlsx_cell(ws, 3, col, label, bold=True, fill=HEADER_FILL)
        for j, part in enumerate(parts):
            xlsx_cell(ws, 4, col + j, part, bold=True, fill=HEADER_FILL)
        col += len(parts)
    for label in ("逾期事项", "本期是否反馈"):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        xlsx_cell(ws, 3, col, label, bold=True, fill=HEADER_FILL)
        col += 1
    # Merged header cells need their hidden parts filled too, or the borders show gaps.
    for r in (3, 4):
        for c in range(1, ncols + 1):
            ws.cell(row=r, column=c).fill = HEADER_FILL

    def line(r: int, no: Any, u: Mapping[str, Any], fed: str, bold: bool = False) -> None:
        values: list[Any] = [no, u["name"], u["total"], *(u["states"].get(g, 0) for g, _ in groups),
                             *(u[k] for k, _ in lights), u["overdue"], fed]
        for c, v in enumerate(values, start=1):
            fill = None
            if c == 4 + len(groups) and u["red"]:
                fill = RED_FILL
            elif c == 5 + len(groups) and u["yellow"]:
                fill = YELLOW_FILL
            elif c == ncols - 1 and u["overdue"]:
                fill = RED_FILL
            xlsx_cell(ws, r, c, v, align=LEFT if c == 2 else CENTER, bold=bold, fill=fill)

    r = 5
    for i, u in enumerate(data["units"], start=1):
        line(r, i, u, "是" if u["fed_back"] else "否")
        r += 1
    t = data["totals"]
    line(r, "", t, f"{t.get('fed_back', 0)}/{t.get('units', len(data['units']))}个单位", bold=True)
    xlsx_grid(ws, first_row=3, last_row=r, columns=ncols)
    ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=ncols)
    xlsx_cell(ws, r + 1, 1, "说明：红灯为已逾期或被退回重办；黄灯为临近办结时限或阶段节点、或阶段节点滞后；"
                       f"灯色和逾期天数按{_cn(data['date_to'])}计算；“本期是否反馈”指统计时段内主办单位是否报送办理反馈。",
         align=LEFT)
    ws.row_dimensions[r + 1].height = 32
    _widths(ws, [6, 22, 9, *([8] * len(groups)), *([7] * len(lights)), 9, 14])
    ws.freeze_panes = "C5"
    xlsx_print_setup(ws, title_rows="3:4")


def _table(ws: Any, bulletin: Any, title: str, headers: Sequence[tuple[str, float]],
           rows: Sequence[Sequence[Any]], *, left: Sequence[int] = (), empty: str = "无") -> None:
    """A one-header table under the heading rows (the overdue list, units not fed back…)."""
    ncols = len(headers)
    _heading(ws, f"{bulletin.title} {title}", _meta(bulletin), ncols)
    for c, (label, _w) in enumerate(headers, start=1):
        xlsx_cell(ws, 3, c, label, bold=True, fill=HEADER_FILL)
    r = 4
    for row in rows:
        for c, v in enumerate(row, start=1):
            fmt = DATE_FORMAT if isinstance(v, dt.date) else None
            xlsx_cell(ws, r, c, v, align=LEFT if c in left else CENTER, number_format=fmt)
        r += 1
    if not rows:
        ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=ncols)
        xlsx_cell(ws, 4, 1, empty)
        r = 5
    xlsx_grid(ws, first_row=3, last_row=r - 1, columns=ncols)
    _widths(ws, [w for _l, w in headers])
    ws.freeze_panes = "A4"
    xlsx_print_setup(ws, title_rows="3:3")


def workbook(bulletin: Any) -> Workbook:
    """The workbook of a bulletin (anything with ``title``, ``number`` and the snapshot ``data``)."""
    data = bulletin.data
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "单位汇总"
    _summary(ws, bulletin)
    kinds = {"supervision": "督办", "rectification": "整改"}
    _table(wb.create_sheet("逾期事项"), bulletin, "逾期事项清单", (
        ("序号", 6), ("编号", 15), ("事项名称", 36), ("类别", 7), ("主办单位", 16), ("责任领导", 10),
        ("办结时限", 12), ("逾期天数", 9), ("退回次数", 9), ("催办次数", 9)),
        [(i, o["number"], o["title"], kinds.get(o["kind"], o["kind"]), o["unit"], o["leader"], _day(o["deadline"]),
          o["days"], o["returns"], o["notices"]) for i, o in enumerate(data["overdue"], start=1)],
        left=(3, 5), empty="本期无逾期事项")
    _table(wb.create_sheet("未反馈单位"), bulletin, "未反馈单位", (
        ("序号", 6), ("单位", 24), ("在办事项", 10), ("最近反馈日期", 16)),
        [(i, u["name"], u["open"], _day(u["last_feedback"]) or "从未反馈")
         for i, u in enumerate(data["not_fed_back"], start=1)], left=(2,), empty="本期各单位均已反馈")
    if data.get("rectification") is not None:
        rows: list[tuple[Any, ...]] = []
        for unit in data["rectification"]:
            for it in unit["items"]:
                rows.append((len(rows) + 1, unit["name"], it["number"], it["title"], it["source"], it["measures"],
                             it["state"], it.get("light_text") or it["light_label"], _day(it["deadline"]), it["days"]))
        _table(wb.create_sheet("整改事项"), bulletin, "整改事项（按单位）", (
            ("序号", 6), ("责任单位", 16), ("编号", 15), ("问题", 30), ("来源", 10), ("整改措施", 30),
            ("状态", 9), ("灯色", 24), ("整改时限", 12), ("逾期天数", 9)), rows, left=(2, 4, 6),
            empty="本期无整改事项")
    return wb


def bulletin_xlsx(bulletin: Any) -> bytes:
    buf = io.BytesIO()
    workbook(bulletin).save(buf)
    return buf.getvalue()
