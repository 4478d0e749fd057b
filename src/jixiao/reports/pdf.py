"""The official tables as PDF: a print template (A4, the orientation each table needs, headers
repeated on every page) rendered by WeasyPrint with a Chinese font."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string

from jixiao.core.exports import pdf_from_html
from jixiao.reports.tables import Row, Table, Value, header_rows, number

PRINT_TEMPLATE = "reports/print.html"


def _text(v: Value, kind: str, decimals: int) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float) and kind == "score":
        return f"{v:.{decimals}f}"
    if isinstance(v, (int, float)):
        return number(v)
    return v


def _row(t: Table, r: Row) -> dict[str, Any]:
    if r.kind in ("group", "note"):
        return {"kind": r.kind, "text": str(r.cells[0]), "span": len(t.columns)}
    return {"kind": r.kind, "cells": [(_text(v, c.kind, t.decimals), c.kind) for c, v in zip(t.columns, r.cells,
                                                                                          strict=True)]}


def layout(t: Table) -> dict[str, Any]:
    """A table laid out for the template: header cells with spans, cells as text with their kind,
    column widths as shares of the page."""
    total = sum(c.width for c in t.columns) or 1
    appendix = None
    if t.appendix is not None:
        a = t.appendix
        rows = [[(_text(v, "coef", t.decimals), span) for v, (_l, span) in zip(row, a.columns, strict=True)]
                for row in a.rows]
        appendix = {"title": a.title, "columns": a.columns, "rows": rows}
    return {
        "table": t,
        "orientation": "wide" if t.landscape else "tall",
        "widths": [round(100 * c.width / total, 2) for c in t.columns],
        "header": header_rows(t.columns),
        "blocks": [{"heading": b.heading, "rows": [_row(t, r) for r in b.rows]} for b in t.blocks],
        "appendix": appendix,
    }


def tables_html(tables: Sequence[Table], *, title: str) -> str:
    return render_to_string(PRINT_TEMPLATE, {"title": title, "sheets": [layout(t) for t in tables]})


def tables_pdf(tables: Sequence[Table], *, title: str) -> bytes:
    """The PDF (the template loads nothing, so it needs no base URL). Without a Chinese font it
    raises ``jixiao.core.exports.FontMissing``, which names the package to install."""
    return pdf_from_html(tables_html(tables, title=title), base_url=None)
