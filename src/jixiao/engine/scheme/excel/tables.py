"""Opening the workbook (macros refused) and reading a sheet into a table: cell values with
formulas and error values resolved, header row matched to known columns, empty rows dropped.
Every problem is recorded with its sheet, row and column; ``structural`` ones stop the read
before validation, since the data built from a broken layout would only add noise."""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jixiao.engine.scheme.excel.cells import _CONVERTERS, _Bad, _blank, _CellError, _strip, _unescape
from jixiao.engine.scheme.excel.columns import _HEADER_KEY, _SHEET_NAMES, HELP_SHEET, _by_key, _Col
from jixiao.engine.scheme.loader import Problem, SchemeError


@dataclass
class _Table:
    sheet: str
    cols: dict[str, int]  # column key -> 0-based position
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row, cell values) of the non-empty rows



@dataclass
class _Book:
    """The workbook being read and the problems found in it so far."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    structural: bool = False
    _values_wb: Any = None

    @property
    def name(self) -> str:
        return str(self.path)

    def add(self, sheet: str, row: int | None, path: str, message: str, *, structural: bool = False) -> None:
        self.problems.append(Problem(f"{self.name}[{sheet}]", row, path, message))
        self.structural = self.structural or structural

    # ---- workbook and tables

    def open(self) -> Any:
        p = self.path
        suffix = p.suffix.lower()
        if suffix in (".xlsm", ".xltm", ".xlsb", ".xla", ".xlam"):
            raise SchemeError([Problem(self.name, None, "", "macro-enabled workbooks are refused: save the scheme "
                                       "as an Excel workbook (.xlsx) without macros")])
        if suffix != ".xlsx":
            raise SchemeError([Problem(self.name, None, "", "the Excel scheme template must be an .xlsx workbook")])
        try:
            with zipfile.ZipFile(p) as z:
                names = z.namelist()
                types = z.read("[Content_Types].xml").decode("utf-8", "replace") if "[Content_Types].xml" in names \
                    else ""
        except FileNotFoundError as e:
            raise SchemeError([Problem(self.name, None, "", f"cannot read the file: {e}")]) from e
        except (OSError, zipfile.BadZipFile, KeyError) as e:
            raise SchemeError([Problem(self.name, None, "", f"not an Excel .xlsx workbook: {e}")]) from e
        if any(n.lower().endswith("vbaproject.bin") for n in names) or "macroenabled" in types.lower():
            raise SchemeError([Problem(self.name, None, "", "the workbook contains macros (VBA) and is refused: "
                                       "save it as an Excel workbook (.xlsx) without macros")])
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return load_workbook(p, data_only=False)
        except Exception as e:  # openpyxl raises many kinds for a damaged file
            raise SchemeError([Problem(self.name, None, "", f"cannot open the workbook: {e}")]) from e

    def cached_cell(self, sheet: str, coordinate: str) -> Any:
        if self._values_wb is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._values_wb = load_workbook(self.path, data_only=True)
        return self._values_wb[sheet][coordinate]

    def cell_value(self, sheet: str, cell: Any) -> Any:
        v = cell.value
        if cell.data_type == "f":
            cell = self.cached_cell(sheet, cell.coordinate)
            v = cell.value
            if v is None:
                return _Bad("a formula without a saved result: type the value, or open and save the file in Excel")
        if cell.data_type == "e":
            return _Bad(f"the cell shows the error {v}")
        if isinstance(v, str):
            return _unescape(v)
        return v

    def sheet(self, wb: Any, title: str) -> Any:
        english = _SHEET_NAMES[title]
        for ws in wb.worksheets:
            t = _strip(ws.title)
            if t in (title, english) or t.lower() == english or _HEADER_KEY.sub("", t).strip() == title:
                return ws
        self.add(title, None, "工作表 (sheet)", f"the workbook has no sheet '{title}' ({english})", structural=True)
        return None

    def table(self, ws: Any, sheet: str, cols: Sequence[_Col], required: Sequence[str]) -> _Table:
        title = ws.title
        rows = [(r[0].row, [self.cell_value(title, c) for c in r]) for r in ws.iter_rows() if r]
        header_row = rows[0][1] if rows and rows[0][0] == 1 else []
        by_key = _by_key(cols)
        by_label = {c.label: c for c in cols}
        positions: dict[str, int] = {}
        ignored: set[int] = set()
        for i, raw in enumerate(header_row):
            text = _strip(raw) if isinstance(raw, str) else ("" if raw is None else str(raw))
            letter = get_column_letter(i + 1)
            if not text:
                ignored.add(i)
                continue
            if text.startswith(("备注", "#")):
                ignored.add(i)
                continue
            m = _HEADER_KEY.search(text)
            col = by_key.get(m.group(1)) if m else None
            if col is None:
                col = by_label.get(_HEADER_KEY.sub("", text).strip()) or by_key.get(text.lower())
            if col is None:
                self.add(sheet, 1, f"column {letter}", f"unknown column '{text}' (check it against the sheet "
                         f"{HELP_SHEET}; name your own columns 备注…)")
                ignored.add(i)
            elif col.key in positions:
                self.add(sheet, 1, f"column {letter}", f"column '{col.header}' appears twice")
                ignored.add(i)
            else:
                positions[col.key] = i
        for key in required:
            if key not in positions:
                self.add(sheet, 1, by_key[key].header, f"the sheet needs the column '{by_key[key].header}'",
                         structural=True)
        body: list[tuple[int, list[Any]]] = []
        for rownum, vals in rows:
            if rownum == 1 or all(_blank(v) for v in vals):
                continue
            for i, v in enumerate(vals):
                if i in ignored and not _blank(v) and i < len(header_row) and _blank(header_row[i]):
                    self.add(sheet, rownum, f"column {get_column_letter(i + 1)}",
                             "a value in a column without a header")
            body.append((rownum, vals))
        return _Table(sheet, positions, body)

    def get(self, table: _Table, row: int, vals: list[Any], key: str, cols: dict[str, _Col]) -> Any:
        pos = table.cols.get(key)
        if pos is None or pos >= len(vals):
            return None
        col = cols[key]
        try:
            return _CONVERTERS[col.kind](vals[pos])
        except _CellError as e:
            self.add(table.sheet, row, col.header, str(e))
            return None

    def filled(self, table: _Table, vals: list[Any], key: str) -> bool:
        pos = table.cols.get(key)
        return pos is not None and pos < len(vals) and not _blank(vals[pos])

    # ---- sheets
