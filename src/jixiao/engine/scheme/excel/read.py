"""Reading the workbook back into a scheme: the 方案 items, the category rows, the indicator rows
and the rule columns into plain scheme data; the indicator tree from the parent codes (with
repeated codes, unknown parents and cycles reported); then the model's own validation, its
problems placed by sheet, row and column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.engine.scheme.excel.cells import _CONVERTERS, _blank, _CellError, _strip
from jixiao.engine.scheme.excel.columns import (
    _CATEGORY_BY_KEY,
    _CATEGORY_COLS,
    _HEADER_KEY,
    _INDICATOR_BY_KEY,
    _INDICATOR_COLS,
    _INDICATORS_LABEL,
    _METHOD_COLUMNS,
    _NODE_NUMBERS,
    _NODE_TEXT,
    _RESULT_KEYS,
    _RULE_COLUMN_KEYS,
    _SCHEME_BY_KEY,
    _SCHEME_ROWS,
    _SHEET_ORDER,
    CATEGORY_SHEET,
    HELP_SHEET,
    INDICATOR_SHEET,
    SCHEME_SHEET,
)
from jixiao.engine.scheme.excel.locate import _Locator
from jixiao.engine.scheme.excel.tables import _Book, _Table
from jixiao.engine.scheme.loader import Problem, SchemeError, validate_scheme_data
from jixiao.engine.scheme.model import Scheme


def _rollup_data(mode: str | None, weights: dict[str, Any] | None, out_of: Any = None) -> dict[str, Any] | None:
    if mode is None and weights is None and out_of is None:
        return None
    out: dict[str, Any] = {"mode": mode or "weighted"}
    if weights is not None:
        out["weights"] = weights
    if out_of is not None:
        out["out_of"] = out_of
    return out



@dataclass
class _IndicatorRow:
    row: int
    category: str
    code: str
    parent: str | None
    method: str | None
    data: dict[str, Any]



@dataclass
class _Reader(_Book):
    scheme_rows: dict[str, int] = field(default_factory=dict)
    category_rows: dict[int, int] = field(default_factory=dict)
    node_rows: dict[tuple[Any, ...], tuple[int, str | None]] = field(default_factory=dict)
    grades_as_list: set[int] = field(default_factory=set)

    # ---- sheets

    def read_scheme_sheet(self, ws: Any) -> dict[str, Any]:
        sheet = SCHEME_SHEET
        values: dict[str, Any] = {}
        by_label = {c.label: c for c in _SCHEME_ROWS}
        for row in ws.iter_rows(min_row=2):
            if not row:
                continue
            cells = [self.cell_value(ws.title, c) for c in row[:2]]
            raw_key = cells[0] if cells else None
            value = cells[1] if len(cells) > 1 else None
            rownum = row[0].row
            if _blank(raw_key):
                if not _blank(value):
                    self.add(sheet, rownum, "column A", "a value without an item name in column A")
                continue
            text = _strip(str(raw_key))
            m = _HEADER_KEY.search(text)
            col = _SCHEME_BY_KEY.get(m.group(1)) if m else None
            if col is None:
                col = by_label.get(_HEADER_KEY.sub("", text).strip()) or _SCHEME_BY_KEY.get(text.lower())
            if col is None:
                self.add(sheet, rownum, "column A", f"unknown item '{text}' (the items are listed in {HELP_SHEET})")
                continue
            if col.key in self.scheme_rows:
                self.add(sheet, rownum, col.header, f"given twice (also in row {self.scheme_rows[col.key]})")
                continue
            self.scheme_rows[col.key] = rownum
            try:
                converted = _CONVERTERS[col.kind](value)
            except _CellError as e:
                self.add(sheet, rownum, col.header, str(e))
                continue
            if converted is not None:
                values[col.key] = converted
        data: dict[str, Any] = {}
        for key in ("code", "name", "description", "scale"):
            if key in values:
                data[key] = values[key]
        rounding = {k: values[c] for k, c in (("decimals", "decimals"), ("at", "rounding_at")) if c in values}
        if rounding:
            data["rounding"] = rounding
        periods: dict[str, Any] = {}
        if "period_codes" in values:
            periods["codes"] = values["period_codes"]
        for key in ("frequency", "year"):
            if key in values:
                periods[key] = values[key]
        rollup = _rollup_data(values.get("rollup"), values.get("rollup_weights"), values.get("rollup_out_of"))
        if rollup is not None:
            periods["rollup"] = rollup
        data["periods"] = periods
        return data

    def read_categories(self, table: _Table) -> list[tuple[int, dict[str, Any]]]:
        cols = _CATEGORY_BY_KEY
        out: list[tuple[int, dict[str, Any]]] = []
        seen: dict[str, int] = {}
        for rownum, vals in table.rows:
            code = self.get(table, rownum, vals, "code", cols)
            if code is None:
                if not self.filled(table, vals, "code"):
                    self.add(table.sheet, rownum, cols["code"].header, "the category code is empty", structural=True)
                else:
                    self.structural = True
                continue
            if code in seen:
                self.add(table.sheet, rownum, cols["code"].header,
                         f"category code '{code}' repeats (first in row {seen[code]})", structural=True)
                continue
            seen[code] = rownum
            d: dict[str, Any] = {"code": code}
            name = self.get(table, rownum, vals, "name", cols)
            if name is not None:
                d["name"] = name
            for key in ("groups", "points", "weight_total", "bonus_cap", "deduction_cap"):
                v = self.get(table, rownum, vals, key, cols)
                if v is not None:
                    d[key] = v
            ms = self.get(table, rownum, vals, "min_score", cols)
            if ms is not None:
                d["min_score"] = None if ms == "none" else ms
            rollup = _rollup_data(self.get(table, rownum, vals, "periods", cols),
                                  self.get(table, rownum, vals, "period_weights", cols),
                                  self.get(table, rownum, vals, "period_out_of", cols))
            if rollup is not None:
                d["periods"] = rollup
            results: dict[str, Any] = {}
            for key in _RESULT_KEYS:
                v = self.get(table, rownum, vals, key, cols)
                if v is None:
                    continue
                if key == "grades" and isinstance(v, list):
                    v = {"bands": v}
                    self.grades_as_list.add(len(out))
                results[key] = v
            if results:
                d["results"] = results
            out.append((rownum, d))
        return out

    def read_indicator_rows(self, table: _Table, categories: dict[str, int]) -> list[_IndicatorRow]:
        cols = _INDICATOR_BY_KEY
        out: list[_IndicatorRow] = []
        last_category: str | None = None
        for rownum, vals in table.rows:
            category = self.get(table, rownum, vals, "category", cols)
            if category is None and not self.filled(table, vals, "category"):
                category = last_category
                if category is None:
                    self.add(table.sheet, rownum, cols["category"].header,
                             "the category is empty (and there is no row above to take it from)", structural=True)
                    continue
            if category is None:
                self.structural = True
                continue
            last_category = category
            if category not in categories:
                self.add(table.sheet, rownum, cols["category"].header,
                         f"no category '{category}' in the sheet {CATEGORY_SHEET}", structural=True)
                continue
            code = self.get(table, rownum, vals, "code", cols)
            if code is None:
                if not self.filled(table, vals, "code"):
                    self.add(table.sheet, rownum, cols["code"].header, "the indicator code is empty", structural=True)
                else:
                    self.structural = True
                continue
            parent = self.get(table, rownum, vals, "parent", cols)
            if parent is None and self.filled(table, vals, "parent"):
                self.structural = True
                continue
            data: dict[str, Any] = {"code": code}
            for key in _NODE_TEXT + _NODE_NUMBERS + ("co_units", "frequency", "applies_to"):
                v = self.get(table, rownum, vals, key, cols)
                if v is not None:
                    data[key] = v
            low = self.get(table, rownum, vals, "bounds_low", cols)
            high = self.get(table, rownum, vals, "bounds_high", cols)
            if (low is None) != (high is None):
                missing = "bounds_high" if high is None else "bounds_low"
                if not self.filled(table, vals, missing):
                    self.add(table.sheet, rownum, cols[missing].header, "give both the low and the high bound")
            elif low is not None:
                data["bounds"] = [low, high]
            rollup = _rollup_data(self.get(table, rownum, vals, "periods", cols),
                                  self.get(table, rownum, vals, "period_weights", cols),
                                  self.get(table, rownum, vals, "period_out_of", cols))
            if rollup is not None:
                data["periods"] = rollup
            method = self.get(table, rownum, vals, "method", cols)
            rule = self.read_rule(table, rownum, vals, method)
            if rule is not None:
                data["rule"] = rule
            out.append(_IndicatorRow(rownum, category, code, parent, method, data))
        return out

    def read_rule(self, table: _Table, row: int, vals: list[Any], method: str | None) -> dict[str, Any] | None:
        cols = _INDICATOR_BY_KEY
        if method is None:
            used = [k for k in (*_RULE_COLUMN_KEYS, "rule") if self.filled(table, vals, k)]
            if used and not self.filled(table, vals, "method"):
                self.add(table.sheet, row, cols["method"].header,
                         f"rule fields are filled ({', '.join(cols[k].header for k in used)}) but the method is "
                         "empty (an empty method makes the indicator a group)")
            return None
        rule: dict[str, Any] = {"method": method}
        known = _METHOD_COLUMNS.get(method)
        for key in _RULE_COLUMN_KEYS:
            if not self.filled(table, vals, key):
                continue
            if known is not None and key not in known:
                self.add(table.sheet, row, cols[key].header, f"the method '{method}' does not use this column")
                continue
            v = self.get(table, row, vals, key, cols)
            if v is None or known is None:
                continue
            fpath = known[key]
            if fpath[0] == "range":
                continue
            target = rule
            for part in fpath[:-1]:
                target = target.setdefault(str(part), {})
            target[str(fpath[-1])] = v
        if known is not None and "range_low" in known:
            low = self.get(table, row, vals, "range_low", cols)
            high = self.get(table, row, vals, "range_high", cols)
            if (low is None) != (high is None):
                missing = "range_high" if high is None else "range_low"
                if not self.filled(table, vals, missing):
                    self.add(table.sheet, row, cols[missing].header, "give both the low and the high end of the range")
            elif low is not None:
                rule["range"] = [low, high]
        detail = self.get(table, row, vals, "rule", cols)
        if detail is not None:
            if not isinstance(detail, dict):
                self.add(table.sheet, row, cols["rule"].header,
                         "the rule detail must be a YAML flow mapping such as {items: [{code: A1, per: 2}]}")
            else:
                for k, v in detail.items():
                    key = str(k)
                    if key == "method":
                        if v != method:
                            self.add(table.sheet, row, cols["rule"].header,
                                     f"says method {v!r}, but the method column says {method!r}")
                        continue
                    if key in rule:
                        column = next((cols[c].header for c, p in (known or {}).items() if p[0] == key), key)
                        self.add(table.sheet, row, cols["rule"].header,
                                 f"'{key}' is given both here and in the column {column}")
                        continue
                    rule[key] = v
        return rule

    def build_trees(self, categories: list[tuple[int, dict[str, Any]]], rows: list[_IndicatorRow]) -> None:
        sheet = INDICATOR_SHEET
        cols = _INDICATOR_BY_KEY
        for ci, (_, cat) in enumerate(categories):
            mine = [r for r in rows if r.category == cat["code"]]
            by_code: dict[str, _IndicatorRow] = {}
            ok = True
            for r in mine:
                if r.code in by_code:
                    self.add(sheet, r.row, cols["code"].header, f"indicator code '{r.code}' repeats in category "
                             f"'{cat['code']}' (first in row {by_code[r.code].row})", structural=True)
                    ok = False
                else:
                    by_code[r.code] = r
            for r in mine:
                if r.parent is not None and r.parent not in by_code:
                    self.add(sheet, r.row, cols["parent"].header, f"unknown parent code '{r.parent}': no indicator "
                             f"with that code in category '{cat['code']}'", structural=True)
                    ok = False
            ok = self.check_cycles(by_code) and ok
            if not ok:
                continue
            children: dict[str, list[_IndicatorRow]] = {}
            top: list[_IndicatorRow] = []
            for r in mine:
                if by_code[r.code] is not r:
                    continue
                (top if r.parent is None else children.setdefault(r.parent, [])).append(r)
            cat["indicators"] = [self.build_node(r, children, ("categories", ci, "indicators", i))
                                 for i, r in enumerate(top)]
            if not mine:
                self.add(CATEGORY_SHEET, self.category_rows.get(ci), _INDICATORS_LABEL,
                         f"category '{cat['code']}' has no indicators in the sheet {INDICATOR_SHEET}")

    def build_node(self, r: _IndicatorRow, children: dict[str, list[_IndicatorRow]],
                   path: tuple[Any, ...]) -> dict[str, Any]:
        d = dict(r.data)
        kids = children.get(r.code, [])
        if kids:
            d["children"] = [self.build_node(k, children, (*path, "children", j)) for j, k in enumerate(kids)]
        self.node_rows[path] = (r.row, r.method)
        return d

    def check_cycles(self, by_code: dict[str, _IndicatorRow]) -> bool:
        state: dict[str, int] = {}
        ok = True
        for start in by_code:
            trail: list[str] = []
            cur: str | None = start
            while cur is not None and cur in by_code and state.get(cur) != 2:
                if state.get(cur) == 1:
                    loop = trail[trail.index(cur):]
                    first = min(loop, key=lambda c: by_code[c].row)
                    i = loop.index(first)
                    loop = loop[i:] + loop[:i]
                    text = " → ".join(f"{c} (row {by_code[c].row})" for c in [*loop, loop[0]])
                    self.add(INDICATOR_SHEET, by_code[first].row, _INDICATOR_BY_KEY["parent"].header,
                             f"the parent codes go round in a cycle: {text}", structural=True)
                    ok = False
                    break
                state[cur] = 1
                trail.append(cur)
                cur = by_code[cur].parent
            for c in trail:
                state[c] = 2
        return ok

    # ---- locating pydantic / check problems

    def read(self) -> Scheme:
        wb = self.open()
        scheme_ws = self.sheet(wb, SCHEME_SHEET)
        category_ws = self.sheet(wb, CATEGORY_SHEET)
        indicator_ws = self.sheet(wb, INDICATOR_SHEET)
        data: dict[str, Any] = self.read_scheme_sheet(scheme_ws) if scheme_ws is not None else {}
        categories: list[tuple[int, dict[str, Any]]] = []
        if category_ws is not None:
            table = self.table(category_ws, CATEGORY_SHEET, _CATEGORY_COLS, ("code",))
            if "code" in table.cols:
                categories = self.read_categories(table)
        self.category_rows = {i: row for i, (row, _) in enumerate(categories)}
        if category_ws is not None and not categories and not self.structural:
            self.add(CATEGORY_SHEET, None, _CATEGORY_BY_KEY["code"].header,
                     "the sheet has no categories: add a row for each category of objects")
        rows: list[_IndicatorRow] = []
        if indicator_ws is not None and category_ws is not None:
            table = self.table(indicator_ws, INDICATOR_SHEET, _INDICATOR_COLS, ("category", "code"))
            if "code" in table.cols and "category" in table.cols:
                rows = self.read_indicator_rows(table, {d["code"]: i for i, (_, d) in enumerate(categories)})
        if not self.structural:
            self.build_trees(categories, rows)
        if self.structural:
            raise SchemeError(self.ordered(self.problems))
        data["categories"] = [d for _, d in categories]
        found: list[Problem] = []
        scheme: Scheme | None = None
        where = _Locator(self.name, self.scheme_rows, self.category_rows, self.node_rows, self.grades_as_list)
        try:
            scheme = validate_scheme_data(data, filename=self.name, locate=where.locate)
        except SchemeError as e:
            found = [where.remap(p) for p in e.problems]
        taken = {(p.file, p.line, p.path) for p in self.problems}
        problems = self.problems + [p for p in found if (p.file, p.line, p.path) not in taken]
        if problems or scheme is None:
            raise SchemeError(self.ordered(problems))
        return scheme

    def ordered(self, problems: list[Problem]) -> list[Problem]:
        def key(p: Problem) -> tuple[int, int]:
            m = re.search(r"\[([^\[\]]*)\]$", p.file)
            sheet = m.group(1) if m else ""
            return (_SHEET_ORDER.get(sheet, -1 if not m else 3), p.line or 0)

        return sorted(problems, key=key)



def read_scheme_workbook(path: Path) -> Scheme:
    """Read the Excel template back into a scheme; every problem comes with its sheet, row and column."""
    return _Reader(Path(path)).read()
