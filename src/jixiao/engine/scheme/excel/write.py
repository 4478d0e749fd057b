"""Writing a scheme (or an empty template) as the workbook: the three data sheets with their
styling, drop-down choices and column widths, and the 说明 sheet for the clerk."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jixiao.engine.scheme.excel.cells import _escape, _list_text, _num_cell, _weights_text, _yaml_flow
from jixiao.engine.scheme.excel.columns import (
    _CATEGORY_COLS,
    _INDICATOR_BY_KEY,
    _INDICATOR_COLS,
    _METHOD_COLUMNS,
    _METHOD_HELP,
    _NODE_TEXT,
    _SCHEME_ROWS,
    CATEGORY_SHEET,
    HELP_SHEET,
    INDICATOR_SHEET,
    SCHEME_SHEET,
    _Col,
)
from jixiao.engine.scheme.loader import Problem, SchemeError
from jixiao.engine.scheme.model import Category, Node, Rollup, Scheme
from jixiao.engine.scheme.rules import RULE_METHODS

MAX_CELL = 32767
"""Excel's limit on the characters of one cell."""


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)



# --------------------------------------------------------------------------- writing

_HEADER_FONT = Font(bold=True)
_GROUP_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_KEY_FILL = PatternFill("solid", fgColor="F2F2F2")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
_TEXT_KINDS = ("code", "text", "enum", "list", "weights", "yaml")
_MAX_WIDTH = 60


@dataclass
class _Writer:
    path: Path
    problems: list[Problem] = field(default_factory=list)

    def put(self, ws: Any, row: int, column: int, value: Any, path: str) -> Any:
        cell = ws.cell(row=row, column=column)
        if value is None:
            return cell
        if isinstance(value, bool):
            value = "是" if value else "否"
        if isinstance(value, str):
            text = _escape(value)
            if len(text) > MAX_CELL:
                self.problems.append(Problem(f"{self.path}[{ws.title}]", row, path,
                                             f"{len(text)} characters do not fit in one Excel cell ({MAX_CELL})"))
                return cell
            cell.value = text
            cell.data_type = "s"  # never a formula or an error value, whatever the text starts with
        else:
            cell.value = _num_cell(value)
            if isinstance(cell.value, str):
                cell.data_type = "s"
        return cell

    def header(self, ws: Any, cols: Sequence[_Col]) -> None:
        for i, col in enumerate(cols, start=1):
            cell = ws.cell(row=1, column=i, value=col.header)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = _HEADER_ALIGN
        ws.row_dimensions[1].height = 32

    def table_row(self, ws: Any, row: int, cols: Sequence[_Col], values: dict[str, Any]) -> None:
        for i, col in enumerate(cols, start=1):
            v = values.get(col.key)
            if v is None:
                continue
            cell = self.put(ws, row, i, _format(col.kind, v), col.header)
            if col.kind in _TEXT_KINDS:
                cell.number_format = "@"

    def finish_table(self, ws: Any, cols: Sequence[_Col], freeze: str) -> None:
        ws.freeze_panes = freeze
        for i, col in enumerate(cols, start=1):
            letter = get_column_letter(i)
            width = max([col.width, min(_display_width(col.header), 16)]
                        + [_display_width(str(c.value)) for c in ws[letter][1:] if c.value is not None])
            ws.column_dimensions[letter].width = min(width + 2, _MAX_WIDTH)
            if col.kind in _TEXT_KINDS:
                ws.column_dimensions[letter].number_format = "@"
            if col.choices:
                _choice_list(ws, f"{letter}2:{letter}1048576", col.choices)
        if ws.max_row >= 1:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(ws.max_row, 2)}"

    # ---- sheets

    def scheme_sheet(self, ws: Any, scheme: Scheme | None) -> None:
        heads = ("项目 (field)", "值 (value)", "说明 (note)")
        for i, h in enumerate(heads, start=1):
            cell = ws.cell(row=1, column=i, value=h)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = _HEADER_ALIGN
        values = _scheme_values(scheme)
        for r, col in enumerate(_SCHEME_ROWS, start=2):
            key_cell = ws.cell(row=r, column=1, value=col.header)
            key_cell.font = _HEADER_FONT
            key_cell.fill = _KEY_FILL
            v = values.get(col.key)
            if v is not None:
                cell = self.put(ws, r, 2, _format(col.kind, v), col.header)
                if col.kind in _TEXT_KINDS:
                    cell.number_format = "@"
            ws.cell(row=r, column=3, value=col.help)
            if col.choices:
                _choice_list(ws, f"B{r}", col.choices)
        ws.freeze_panes = "B2"
        ws.column_dimensions["A"].width = 24
        longest = max([_display_width(str(c.value)) for c in ws["B"] if c.value is not None] + [30])
        ws.column_dimensions["B"].width = min(longest + 2, _MAX_WIDTH)
        ws.column_dimensions["C"].width = 70

    def category_sheet(self, ws: Any, scheme: Scheme | None) -> None:
        self.header(ws, _CATEGORY_COLS)
        for r, cat in enumerate(scheme.categories if scheme else [], start=2):
            self.table_row(ws, r, _CATEGORY_COLS, _category_values(cat))
        self.finish_table(ws, _CATEGORY_COLS, "C2")

    def indicator_sheet(self, ws: Any, scheme: Scheme | None) -> None:
        self.header(ws, _INDICATOR_COLS)
        r = 2
        name_col = list(_INDICATOR_BY_KEY).index("name") + 1
        code_col = list(_INDICATOR_BY_KEY).index("code") + 1
        for cat in scheme.categories if scheme else []:
            seen: set[str] = set()
            for node, parent, depth in _tree_rows(cat.indicators):
                if node.code in seen:
                    self.problems.append(Problem(f"{self.path}[{ws.title}]", r, _INDICATOR_BY_KEY["code"].header,
                                                 f"indicator code '{node.code}' repeats in category '{cat.code}': "
                                                 "the parent column needs codes that are unique in a category"))
                seen.add(node.code)
                self.table_row(ws, r, _INDICATOR_COLS, _node_values(cat.code, node, parent))
                name_cell = ws.cell(row=r, column=name_col)
                name_cell.alignment = Alignment(indent=min(depth, 15))
                if not node.is_leaf:
                    name_cell.font = _GROUP_FONT
                    ws.cell(row=r, column=code_col).font = _GROUP_FONT
                r += 1
        self.finish_table(ws, _INDICATOR_COLS, "E2")

    def help_sheet(self, ws: Any) -> None:
        rows: list[tuple[str, str, str]] = [
            ("本工作簿是考核方案的 Excel 模板。每张表第一行为表头；表头括号中的英文是系统识别用的名称，请勿改动。",
             "", ""),
            ("列表用逗号或顿号分隔；是/否 列填「是」或「否」；期间权重写作 期间:权重, 期间:权重。", "", ""),
            ("「指标」表一行一个指标（任意层级）：下级指标填上级编码，放在上级之后；分组指标不填计分方法。", "", ""),
            ("以「备注」或 # 开头的列为自用备注，系统不读取；其他未知列会报错。", "", ""),
            ("", "", ""),
        ]
        sheets = ((SCHEME_SHEET, _SCHEME_ROWS), (CATEGORY_SHEET, _CATEGORY_COLS), (INDICATOR_SHEET, _INDICATOR_COLS))
        for title, cols in sheets:
            for col in cols:
                rows.append((title, col.header, col.help))
        rows.append(("", "", ""))
        for method in RULE_METHODS:
            used = ", ".join(_INDICATOR_BY_KEY[k].header for k in _METHOD_COLUMNS[method])
            rows.append(("计分方法 (method)", method, f"{_METHOD_HELP[method]}。所用列：{used}"))
        rows.append(("", "", ""))
        examples = (
            ("deduction", "{items: [{code: D1, name: 迟报, per: 2}, {code: D2, name: 通报, range: [2, 5], cap: 10}]}"),
            ("bonus", "{items: [{code: B1, name: 表彰, levels: {市级: 1, 省级: 2, 国家级: 3}}]}"),
            ("rating", "{scale: {优秀: 100, 称职: 90, 基本称职: 70, 不称职: 0}}"),
            ("tiers", "{tiers: [{min: 95, score: 10}, {min: 90, score: 8}, {min: 80, score: 5}]}"),
            ("grade_map", "{grades: {优秀: 10, 良好: [8, 9], 一般: [5, 6], 差: 0}}"),
            ("follow", "{category: keshi}"),
        )
        for method, text in examples:
            rows.append(("规则明细示例 (rule)", method, text))
        ws.cell(row=1, column=1, value="工作表 (sheet)")
        ws.cell(row=1, column=2, value="列 (column)")
        ws.cell(row=1, column=3, value="说明 (meaning)")
        for i in range(1, 4):
            cell = ws.cell(row=1, column=i)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
        for r, (a, b, c) in enumerate(rows, start=2):
            ws.cell(row=r, column=1, value=a)
            ws.cell(row=r, column=2, value=b)
            ws.cell(row=r, column=3, value=c)
        ws.freeze_panes = "A2"
        ws.column_dimensions["A"].width = 22
        ws.column_dimensions["B"].width = 28
        ws.column_dimensions["C"].width = 100


def _choice_list(ws: Any, ref: str, choices: Sequence[str]) -> None:
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="请从列表中选择", error="可选值：" + " / ".join(choices))
    dv.add(ref)
    ws.add_data_validation(dv)


def _format(kind: str, v: Any) -> Any:
    if kind == "list":
        return _list_text(list(v))
    if kind == "weights":
        return _weights_text(dict(v))
    if kind == "yaml":
        return _yaml_flow(v)
    if kind == "bool":
        return bool(v)
    return v


def _scheme_values(scheme: Scheme | None) -> dict[str, Any]:
    if scheme is None:
        return {"scale": 100, "decimals": 2, "rollup": "mean"}
    p = scheme.periods
    out: dict[str, Any] = {
        "code": scheme.code,
        "name": scheme.name,
        "description": scheme.description or None,
        "scale": scheme.scale,
        "decimals": scheme.rounding.decimals,
        "rounding_at": scheme.rounding.at if scheme.rounding.at != "nodes" else None,
        "period_codes": p.codes,
        "frequency": p.frequency,
        "year": p.year,
        "rollup": p.rollup.mode,
        "rollup_weights": p.rollup.weights,
        "rollup_out_of": p.rollup.out_of,
    }
    return out


def _rollup_values(r: Rollup | None) -> dict[str, Any]:
    if r is None:
        return {}
    return {"periods": r.mode, "period_weights": r.weights, "period_out_of": r.out_of}


def _category_values(cat: Category) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": cat.code,
        "name": cat.name or None,
        "groups": cat.groups or None,
        "points": cat.points,
        "weight_total": None if cat.weight_total == 100 else cat.weight_total,
        "bonus_cap": cat.bonus_cap,
        "deduction_cap": cat.deduction_cap,
        "min_score": "无" if cat.min_score is None else (None if cat.min_score == 0 else cat.min_score),
        **_rollup_values(cat.periods),
    }
    results = cat.results.model_dump(exclude_defaults=True)
    if "ranking" in results:
        out["ranking"] = results.pop("ranking")
    grades = results.get("grades")
    if grades is not None and set(grades) == {"bands"}:
        results["grades"] = grades["bands"]
    out.update(results)
    return out


def _tree_rows(nodes: Sequence[Node], parent: str | None = None, depth: int = 0) -> Iterable[
        tuple[Node, str | None, int]]:
    for n in nodes:
        yield n, parent, depth
        yield from _tree_rows(n.children, n.code, depth + 1)


def _node_values(category: str, node: Node, parent: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"category": category, "code": node.code, "parent": parent}
    for key in _NODE_TEXT:
        out[key] = getattr(node, key) or None
    out["points"] = node.points
    out["weight"] = node.weight
    out["weight_total"] = None if node.weight_total == 100 else node.weight_total
    out["bonus_cap"] = node.bonus_cap
    out["deduction_cap"] = node.deduction_cap
    out["co_units"] = node.co_units or None
    out["frequency"] = node.frequency
    out["applies_to"] = node.applies_to
    if node.bounds is not None:
        out["bounds_low"], out["bounds_high"] = node.bounds
    out.update(_rollup_values(node.periods))
    if node.rule is not None:
        rule = node.rule.model_dump(exclude_defaults=True, by_alias=True)
        method = rule.pop("method")
        out["method"] = method
        if method == "bonus":
            rule.pop("base", None)  # a bonus is always an adjustment; the model sets base itself
        columns = _METHOD_COLUMNS[method]
        for key, fpath in columns.items():
            v: Any = rule
            for part in fpath:
                if isinstance(v, dict) and isinstance(part, str):
                    v = v.get(part)
                elif isinstance(v, list | tuple) and isinstance(part, int):
                    v = v[part]
                else:
                    v = None
            out[key] = v
        for key in {str(p[0]) for p in columns.values()}:
            rule.pop(key, None)
        if rule:
            out["rule"] = rule
    return out


def write_scheme_workbook(scheme: Scheme | None, path: Path) -> None:
    """Write ``scheme`` (or an empty template) as the Excel workbook ``path`` (.xlsx)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise SchemeError([Problem(str(path), None, "", "the Excel template is written as an .xlsx workbook "
                                   "(name the file ….xlsx)")])
    writer = _Writer(path)
    wb = Workbook()
    ws = wb.active
    ws.title = SCHEME_SHEET
    writer.scheme_sheet(ws, scheme)
    writer.category_sheet(wb.create_sheet(CATEGORY_SHEET), scheme)
    writer.indicator_sheet(wb.create_sheet(INDICATOR_SHEET), scheme)
    writer.help_sheet(wb.create_sheet(HELP_SHEET))
    if writer.problems:
        raise SchemeError(writer.problems)
    wb.active = 0
    wb.save(path)
