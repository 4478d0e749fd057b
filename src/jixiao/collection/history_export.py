"""A value's history as an Excel file: the same words as the page (never codes)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

from jixiao.collection.selectors import HistoryEntry
from jixiao.core.exports import safe_cell

COLUMNS = ("时间", "操作人", "操作", "修改前", "修改后", "状态", "理由", "记录")


def history_xlsx(*, title: str, entries: Sequence[HistoryEntry]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "修改记录"
    ws.append([safe_cell(title)])
    ws.append(list(COLUMNS))
    for e in entries:
        ws.append([safe_cell(x) for x in (e.at, e.who, e.action, e.before, e.after, e.status, e.note, e.text)])
    for col, width in zip("ABCDEFGH", (17, 18, 16, 14, 14, 18, 24, 70), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
