"""The budget tables the finance bureau downloads: a unit's monitoring report (绩效运行监控表, XLSX
and PDF) and next year's adjustment table (预算调整建议表). Text typed by users passes
:func:`jixiao.core.exports.safe_cell` before it lands in a cell."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from django.template.loader import render_to_string
from openpyxl import Workbook

from jixiao.budget.rules import LIGHT_LABELS, LIGHT_NAMES
from jixiao.budget.selectors import BoardRow, ResultRow
from jixiao.core.exports import pdf_from_html, safe_cell, xlsx_cell, xlsx_grid, xlsx_print_setup

LABEL_OF = {LIGHT_NAMES[k]: v for k, v in LIGHT_LABELS.items()}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def monitoring_xlsx(unit: str, year: int, at: dt.date, rows: Sequence[BoardRow]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "绩效运行监控表"
    heads = ["项目编码", "项目名称", "预算金额（元）", "累计支付（元）", "预算执行率", "目标完成度", "时间进度",
             "监控结果", "财政处理"]
    xlsx_cell(ws, 1, 1, safe_cell(f"{unit} {year} 年预算绩效运行监控表（截至 {at:%Y-%m-%d}）"), bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
    for c, h in enumerate(heads, start=1):
        xlsx_cell(ws, 2, c, h, bold=True)
    for n, r in enumerate(rows, start=3):
        p = r.project
        for c, v in enumerate([safe_cell(p.code), safe_cell(p.name), float(p.amount),
                               float(r.paid) if r.paid is not None else None, _pct(r.rate), _pct(r.completion),
                               _pct(r.elapsed), LABEL_OF[r.light], p.get_mark_display() if p.mark else ""], start=1):
            xlsx_cell(ws, n, c, v)
    xlsx_grid(ws, first_row=2, last_row=len(rows) + 2, columns=len(heads))
    xlsx_print_setup(ws, title_rows="1:2")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def monitoring_pdf(unit: str, year: int, at: dt.date, rows: Sequence[BoardRow]) -> bytes:
    html = render_to_string("budget/report_pdf.html", {"unit": unit, "year": year, "at": at, "rows": rows,
                                                       "labels": LABEL_OF})
    return pdf_from_html(html)


def adjustments_xlsx(year: int, rows: Sequence[ResultRow]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "预算调整建议表"
    heads = ["预算单位", "项目编码", "项目名称", f"{year}年预算（元）", "评价得分", "评价等级",
             f"{year + 1}年建议控制数（元）", "调整额（元）"]
    xlsx_cell(ws, 1, 1, f"{year + 1} 年预算调整建议表（依据 {year} 年绩效评价结果）", bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
    for c, h in enumerate(heads, start=1):
        xlsx_cell(ws, 2, c, h, bold=True)
    n = 2
    for r in rows:
        if r.final is None:
            continue
        n += 1
        p = r.project
        for c, v in enumerate([safe_cell(p.unit.name), safe_cell(p.code), safe_cell(p.name), float(p.amount),
                               float(r.final.score), r.final.grade, float(r.proposed or 0), float(r.change or 0)],
                              start=1):
            xlsx_cell(ws, n, c, v)
    xlsx_grid(ws, first_row=2, last_row=n, columns=len(heads))
    xlsx_print_setup(ws, title_rows="1:2")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
