"""A chart as data: the same rows feed the ECharts drawing, the data table under it and its XLSX.

A :class:`Chart` says which column is the category axis, which columns are series and how they
are drawn; ``static/dashboard/cockpit.js`` turns that into an ECharts option. Keeping the rows in
one place is what makes the table, the picture and the download agree. No database here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from jixiao.core.exports import CENTER, HEADER_FILL, LEFT, xlsx_cell, xlsx_grid, xlsx_print_setup

LIGHT_COLORS = {"达到进度": "#2e7d32", "略滞后": "#f9a825", "滞后": "#c62828", "未报送": "#9e9e9e",
                "未到考核期": "#90a4ae", "红灯": "#c62828", "黄灯": "#f9a825"}


@dataclass(frozen=True)
class Series:
    col: int
    name: str
    type: str = "bar"  # bar, line, scatter
    stack: str | None = None
    color: str | None = None


@dataclass
class Chart:
    """One chart of a page: title, rows (the data table) and how to draw them."""

    key: str
    title: str
    kind: str  # "bar" (category axis + series), "pie" (label column + one value column)
    columns: list[str]
    rows: list[list[Any]]
    series: list[Series]
    category_col: int = 0
    links: list[str | None] = field(default_factory=list)  # per row: where a click on it goes
    link_col: int = 0  # the table cell that carries the link
    horizontal: bool = False
    color_col: int | None = None  # a column of light labels colouring each bar
    mark: tuple[str, float] | None = None  # (name, value): a reference line (时序进度)
    unit: str = ""
    note: str = ""

    @property
    def height(self) -> int:
        if self.horizontal:
            return max(260, 28 * len(self.rows) + 80)
        return 340

    @property
    def table(self) -> list[tuple[list[Any], str | None, int]]:
        links = self.links or [None] * len(self.rows)
        return [(row, link, self.link_col) for row, link in zip(self.rows, links, strict=True)]

    def spec(self) -> dict[str, Any]:
        """What the page's script needs to draw the chart (JSON)."""
        return {"key": self.key, "title": self.title, "kind": self.kind, "columns": self.columns, "rows": self.rows,
                "series": [s.__dict__ for s in self.series], "category_col": self.category_col,
                "links": self.links, "horizontal": self.horizontal, "color_col": self.color_col,
                "colors": LIGHT_COLORS, "mark": list(self.mark) if self.mark else None, "unit": self.unit}


def chart_xlsx(chart: Chart, *, title: str, meta: str) -> bytes:
    """The chart's data table as a workbook: a merged title, a meta line, the header and the rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = chart.title[:31]
    n = len(chart.columns)
    end = get_column_letter(n)
    ws.merge_cells(f"A1:{end}1")
    xlsx_cell(ws, 1, 1, title, bold=True, size=16)
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{end}2")
    xlsx_cell(ws, 2, 1, meta, align=LEFT, size=10)
    for j, col in enumerate(chart.columns, 1):
        xlsx_cell(ws, 3, j, col, bold=True, fill=HEADER_FILL)
        ws.column_dimensions[get_column_letter(j)].width = 28 if j == chart.category_col + 1 else 14
    for i, row in enumerate(chart.rows, 4):
        for j, value in enumerate(row, 1):
            xlsx_cell(ws, i, j, value, align=LEFT if isinstance(value, str) else CENTER,
                      number_format="0.00" if isinstance(value, float) else None)
    xlsx_grid(ws, first_row=3, last_row=3 + len(chart.rows), columns=n)
    xlsx_print_setup(ws, title_rows="3:3", landscape=n > 5)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
