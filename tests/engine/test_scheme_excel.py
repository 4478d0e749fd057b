"""The Excel scheme template (jixiao.engine.scheme.excel): lossless round trip, hand edits, and
every problem located by sheet, row and column."""

from __future__ import annotations

import datetime
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.engine.scheme.excel import read_scheme_workbook, write_scheme_workbook
from jixiao.engine.scheme.loader import Problem, SchemeError, load_scheme, parse_scheme_text, validate_scheme_data
from jixiao.engine.scheme.model import Periods, Scheme
from jixiao.engine.scheme.rules import RULE_METHODS

RICH_YAML = """
code: county-2024
name: 2024年度综合考核
description: "全县乡镇和部门年度考核\\n第二行"
scale: 100
rounding: {decimals: 1}
periods:
  codes: [2024-H1, 2024-Y]
  rollup: {mode: weighted, weights: {2024-H1: 30, 2024-Y: 70}}
categories:
  - code: town
    name: 乡镇
    groups: [town-a, town-b]
    bonus_cap: 5
    deduction_cap: 8
    min_score: null
    periods: sum
    indicators:
      - code: econ
        name: 经济发展
        points: 40
        children:
          - code: gdp
            name: 地区生产总值增速
            points: 15
            unit: "%"
            source: 统计局
            responsible: 发改局
            co_units: [统计局, 财政局]
            frequency: quarter
            evidence: 统计报表
            description: 按完成率计分
            rule: {method: ratio, target: 6.5, challenge: {value: 8, bonus: 2, mode: linear}, zero_below: 0.6}
          - code: energy
            name: " =SUM(A1) "
            points: 10
            co_units: ["统计局, 调查队", 财政局]
            rule: {method: ratio, target: 0.5, lower_is_better: true, challenge: {value: 0.4, bonus: 1}}
          - code: invest
            name: "固定资产投资 _x0041_ #N/A"
            points: 15
            periods: {mode: last}
            rule: {method: plan, cap_ratio: 1.2}
      - code: gov
        name: 政务工作
        points: 30
        weight_total: 10
        bonus_cap: 3
        children:
          - code: sup
            name: 督办落实
            points: 100
            weight: 4
            rule: {method: supervision, per_overdue: 2, per_returned: 1, cap: 20}
          - code: sat
            name: 群众满意度
            points: 100
            weight: 3
            periods: {mode: weighted, weights: {2024-H1: 50, 2024-Y: 50}}
            rule: {method: tiers, basis: share, below: 0.2, tiers: [{min: 90, score: 1}, {min: 80, score: 0.8}]}
          - code: eval
            name: 领导评价
            points: 100
            weight: 3
            rule: {method: rating, full: 90, scale: {优秀: 100, 称职: 90, 基本称职: 70, 不称职: 0}}
          - code: gov-bonus
            name: 表彰加分
            rule:
              method: bonus
              requires_evidence: true
              cap: 5
              items: [{code: award, name: 表彰, levels: {市级: 1, 省级: 2, 国家级: 3}, cap: 4}]
      - code: safety
        name: 安全生产
        points: 30
        deduction_cap: 2
        children:
          - code: incidents
            name: 安全事故
            points: 10
            rule:
              method: deduction
              cap: 10
              items: [{code: minor, name: 一般事故, per: 2}, {code: major, name: 较大事故, range: [3, 5], cap: 8}]
          - code: special
            name: 专项工作
            points: 10
            rule: {method: grade_map, grades: {优秀: 10, 良好: [8, 9], 一般: [5, 6], 差: 0}}
          - code: review
            name: 综合评议
            points: 5
            bounds: [1, 5]
            rule: {method: manual, range: [0, 5]}
          - code: env
            name: 环境质量
            points: 5
            rule: {method: formula, expression: "min(value / target, 1.2) * points", target: 80, min: 0, max: 6}
          - code: late
            name: 迟报倒扣
            rule: {method: deduction, base: zero, items: [{code: late, name: 迟报, per: 0.5}]}
      - code: penalty
        name: 通报批评
        rule: {method: deduction, base: zero, items: [{code: notice, name: 通报, per: 1}]}
      - code: extra
        name: 争先创优
        rule: {method: bonus, items: [{code: first, per: 2}]}
    results:
      ranking: category
      grades:
        bands:
          - {name: 优秀, min: 90, quota: {share: 0.2, rounding: floor, min_count: 1, max_count: 5, per: category,
                                          ties: exclude}}
          - {name: 良好, min: 80, quota: {share: 0.5}}
          - {name: 合格, min: 60}
          - {name: 不合格}
      vetoes:
        - {code: V1, name: 重大安全事故, effect: force_grade, grade: 不合格}
        - {code: V2, name: 违纪, effect: no_top}
      multi_year: {label: 三年优秀, years: 4, min_each: 90, or_top_share: 0.1}
      bottom_report: {count: 1, below: 80}
  - code: staff
    name: 中层正职
    points: 50
    groups: [staff]
    indicators:
      - code: perf
        name: 工作实绩
        points: 30
        rule: {method: manual}
      - code: vote
        name: 民主测评
        points: 20
        rule:
          method: formula
          expression: "if(value >= challenge, points, value * points / 100)"
          variables: [value, extra]
          challenge: 95
    results:
      grades:
        basis: percent
        bands: [{name: 优秀, min: 90}, {name: 称职, min: 60}, {name: 不称职}]
      eligibility:
        - name: 单位较差
          when: {parent_category: town, parent_grade_in: [不合格]}
          effect: force_grade
          grade: 不称职
          groups: [staff]
        - when: {parent_category: town, parent_value: {indicator: sat, below: 80, measure: percent}}
  - code: dept
    name: 部门
    points: 100
    weight_total: 1
    min_score: 10
    periods: {mode: pool}
    indicators:
      - code: duty
        name: 职能工作
        points: 100
        weight: 0.6
        rule: {method: tiers, tiers: [{min: 95, score: 100}, {min: 0, score: 60}]}
      - code: party
        name: 党建
        points: 100
        weight: 0.4
        rule: {method: manual, range: [60, 100]}
"""

SMALL_YAML = """
code: small
name: 小方案
periods: {frequency: quarter, year: 2024}
categories:
  - code: town
    indicators:
      - code: econ
        name: 经济
        points: 60
        children:
          - {code: gdp, name: GDP, points: 30, rule: {method: ratio, target: 100}}
          - {code: tax, name: 税收, points: 30, rule: {method: manual}}
      - code: work
        name: 工作
        points: 40
        rule: {method: deduction, items: [{code: late, per: 2}]}
"""


def rich() -> Scheme:
    return parse_scheme_text(RICH_YAML, filename="rich.yaml")


def small() -> Scheme:
    return parse_scheme_text(SMALL_YAML, filename="small.yaml")


def write(tmp_path: Path, scheme: Scheme | None, name: str = "scheme.xlsx") -> Path:
    path = tmp_path / name
    write_scheme_workbook(scheme, path)
    return path


def column(ws: Any, key: str) -> int:
    """The 1-based column whose header names ``key`` in brackets."""
    for cell in ws[1]:
        if isinstance(cell.value, str) and cell.value.endswith(f"({key})"):
            return int(cell.column)
    raise KeyError(key)


def row_of(ws: Any, code: str, category: str | None = None) -> int:
    code_col = column(ws, "code")
    cat_col = column(ws, "category") if category else None
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, code_col).value == code and (cat_col is None or ws.cell(r, cat_col).value == category):
            return r
    raise KeyError(code)


def refused(path: Path) -> list[Problem]:
    with pytest.raises(SchemeError) as info:
        read_scheme_workbook(path)
    return info.value.problems


def edit(path: Path, sheet: str = "指标") -> tuple[Any, Any]:
    wb = openpyxl.load_workbook(path)
    return wb, wb[sheet]


# ----------------------------------------------------------------------------- round trips


def test_rich_scheme_round_trips(tmp_path: Path) -> None:
    scheme = rich()
    back = read_scheme_workbook(write(tmp_path, scheme))
    assert back.model_dump() == scheme.model_dump()
    assert back == scheme
    # The loader dispatches .xlsx to the workbook reader.
    assert load_scheme(tmp_path / "scheme.xlsx") == scheme


def test_workbook_is_laid_out_for_a_clerk(tmp_path: Path) -> None:
    path = write(tmp_path, rich())
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["方案", "类别", "指标", "说明"]
    ws = wb["指标"]
    assert ws.freeze_panes == "E2"
    assert all(c.font.bold for c in ws[1])
    assert [c.value for c in ws[1]][:7] == ["类别 (category)", "编码 (code)", "上级编码 (parent)", "名称 (name)",
                                          "分值 (points)", "权重 (weight)", "计分方法 (method)"]
    # One row per node in tree order, children after their parent.
    codes = [ws.cell(r, column(ws, "code")).value for r in range(2, ws.max_row + 1)]
    assert codes[:5] == ["econ", "gdp", "energy", "invest", "gov"]
    gdp = row_of(ws, "gdp")
    assert ws.cell(gdp, column(ws, "parent")).value == "econ"
    assert ws.cell(gdp, column(ws, "method")).value == "ratio"
    assert ws.cell(gdp, column(ws, "target")).value == 6.5
    assert ws.cell(gdp, column(ws, "challenge")).value == 8
    assert ws.cell(gdp, column(ws, "co_units")).value == "统计局, 财政局"
    assert ws.cell(gdp, column(ws, "name")).alignment.indent == 1
    assert ws.cell(row_of(ws, "econ"), column(ws, "name")).font.bold  # groups stand out
    incidents = row_of(ws, "incidents")
    assert ws.cell(incidents, column(ws, "rule")).value.startswith("{items: [{code: minor, name: 一般事故, per: 2}")
    assert ws.column_dimensions["D"].width >= 20
    lists = {re.sub(r"\d.*", "", str(v.sqref)): v.formula1 for v in ws.data_validations.dataValidation}
    assert "ratio" in lists["G"] and "是" in lists[openpyxl.utils.get_column_letter(column(ws, "lower_is_better"))]
    scheme_ws = wb["方案"]
    assert scheme_ws["A2"].value == "方案编码 (code)" and scheme_ws["B2"].value == "county-2024"
    assert scheme_ws["B11"].value == "2024-H1:30, 2024-Y:70"
    help_text = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    for method in RULE_METHODS:
        assert method in help_text
    assert "配合单位 (co_units)" in help_text


def test_empty_template_names_what_is_missing(tmp_path: Path) -> None:
    path = write(tmp_path, None)
    wb = openpyxl.load_workbook(path)
    assert wb["指标"].max_row == 1 and wb["类别"].max_row == 1
    problems = refused(path)
    where = {(p.file, p.line, p.path) for p in problems}
    name = str(path)
    assert (f"{name}[方案]", 2, "方案编码 (code)") in where
    assert (f"{name}[方案]", 3, "方案名称 (name)") in where
    assert any(p.file == f"{name}[类别]" and "no categories" in p.message for p in problems)


def test_odd_texts_and_numbers_round_trip(tmp_path: Path) -> None:
    data: dict[str, Any] = {
        "code": "odd.1",
        "name": "\x01控制\r\n字符\t_x0041__x005F_x0042_\ufffe",
        "description": "   ",
        "scale": 0.1 + 0.2,
        "periods": {"codes": ["2024-01", "101", "[x]", "a，b"], "rollup": {"mode": "weighted",
                                                                          "weights": {"2024-01": 1 / 3, "a，b": 2}}},
        "categories": [{
            "code": "1001",
            "groups": ["007", "{g}"],
            "points": 0.1 + 0.2,
            "indicators": [{
                "code": "=A1",
                "name": "#N/A",
                "points": 0.1 + 0.2,
                "bounds": [-1e308, 1 / 3],
                "co_units": ["", " 前后空格 ", "a\nb"],
                "unit": "TRUE",
                "rule": {"method": "grade_map", "basis": "share",
                         "grades": {"yes": 1, "null": [0.1, 0.30000000000000004], "=": 0, "2024-01-01": 0.5}},
            }],
        }],
    }
    scheme = validate_scheme_data(data, filename="odd")
    back = read_scheme_workbook(write(tmp_path, scheme))
    assert back.model_dump() == scheme.model_dump()


# ----------------------------------------------------------------------------- hand edits


def test_hand_edited_workbook_reads_back_with_the_changes(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, ws = edit(path)
    # Change points like a clerk: 30 → 20 for gdp, and add a new child of econ worth 10, typed as text.
    ws.cell(row_of(ws, "gdp"), column(ws, "points")).value = 20
    ws.insert_rows(row_of(ws, "tax") + 1)
    r = row_of(ws, "tax") + 1
    ws.cell(r, column(ws, "code")).value = "jobs"  # category left empty: the same as the row above
    ws.cell(r, column(ws, "parent")).value = "econ"
    ws.cell(r, column(ws, "name")).value = "就业"
    ws.cell(r, column(ws, "points")).value = " 10 "
    ws.cell(r, column(ws, "method")).value = "Tiers"
    ws.cell(r, column(ws, "basis")).value = "share"
    ws.cell(r, column(ws, "rule")).value = "{tiers: [{min: 90, score: 1}, {min: 60, score: 0.5}]}"
    ws.cell(r, column(ws, "co_units")).value = "人社局、财政局"
    # A remark column of the clerk's own is ignored.
    extra = ws.max_column + 1
    ws.cell(1, extra).value = "备注"
    ws.cell(2, extra).value = "核对过"
    wb.save(path)

    back = read_scheme_workbook(path)
    econ = back.categories[0].indicators[0]
    assert [c.code for c in econ.children] == ["gdp", "tax", "jobs"]
    assert econ.children[0].points == 20
    jobs = econ.children[2]
    assert jobs.points == 10 and jobs.name == "就业" and jobs.co_units == ["人社局", "财政局"]
    assert jobs.rule is not None and jobs.rule.method == "tiers"
    assert back.categories[0].indicators[1] == small().categories[0].indicators[1]


def test_child_row_may_come_before_its_parent_and_siblings_keep_sheet_order(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, ws = edit(path)
    # tax moves into a new group "grp" that the clerk adds in the last row.
    ws.cell(row_of(ws, "tax"), column(ws, "parent")).value = "grp"
    r = ws.max_row + 1
    ws.cell(r, column(ws, "category")).value = "town"
    ws.cell(r, column(ws, "code")).value = "grp"
    ws.cell(r, column(ws, "parent")).value = "econ"
    ws.cell(r, column(ws, "points")).value = 30
    wb.save(path)
    back = read_scheme_workbook(path)
    econ, work = back.categories[0].indicators
    assert [c.code for c in econ.children] == ["gdp", "grp"] and work.code == "work"
    assert [c.code for c in econ.children[1].children] == ["tax"]


# ----------------------------------------------------------------------------- tree problems


def test_cycle_in_parent_codes_is_named_with_sheet_and_row(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, ws = edit(path)
    econ, gdp = row_of(ws, "econ"), row_of(ws, "gdp")
    ws.cell(econ, column(ws, "parent")).value = "gdp"
    wb.save(path)
    problems = refused(path)
    assert len(problems) == 1
    p = problems[0]
    assert p.file == f"{path}[指标]" and p.line == econ and p.path == "上级编码 (parent)"
    assert "cycle" in p.message and f"econ (row {econ})" in p.message and f"gdp (row {gdp})" in p.message


def test_a_node_that_is_its_own_parent_is_a_cycle(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, ws = edit(path)
    tax = row_of(ws, "tax")
    ws.cell(tax, column(ws, "parent")).value = "tax"
    wb.save(path)
    [p] = refused(path)
    assert (p.line, p.path) == (tax, "上级编码 (parent)") and "cycle" in p.message


def test_unknown_parent_code(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, ws = edit(path)
    tax = row_of(ws, "tax")
    ws.cell(tax, column(ws, "parent")).value = "ecom"
    wb.save(path)
    [p] = refused(path)
    assert (p.file, p.line, p.path) == (f"{path}[指标]", tax, "上级编码 (parent)")
    assert "unknown parent code 'ecom'" in p.message


def test_duplicate_code_within_a_category(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, ws = edit(path)
    gdp, tax = row_of(ws, "gdp"), row_of(ws, "tax")
    ws.cell(tax, column(ws, "code")).value = "gdp"
    wb.save(path)
    [p] = refused(path)
    assert (p.file, p.line, p.path) == (f"{path}[指标]", tax, "编码 (code)")
    assert "'gdp' repeats" in p.message and f"row {gdp}" in p.message


def test_unknown_category_and_duplicate_category(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, ws = edit(path)
    ws.cell(row_of(ws, "work"), column(ws, "category")).value = "twon"
    cats = wb["类别"]
    cats.cell(3, 1).value = "town"
    wb.save(path)
    problems = refused(path)
    where = {(p.file.split("[")[-1], p.line, p.path) for p in problems}
    assert ("类别]", 3, "编码 (code)") in where
    assert ("指标]", 5, "类别 (category)") in where


# ----------------------------------------------------------------------------- cell problems


def test_bad_number_is_reported_with_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, ws = edit(path)
    gdp = row_of(ws, "gdp")
    ws.cell(gdp, column(ws, "points")).value = "abc"
    ws.cell(gdp, column(ws, "target")).value = "1O0"
    wb.save(path)
    problems = refused(path)
    by_path = {p.path: p for p in problems}
    assert by_path["分值 (points)"].line == gdp and by_path["分值 (points)"].file == f"{path}[指标]"
    assert "not a number: 'abc'" in by_path["分值 (points)"].message
    assert by_path["目标值 (target)"].line == gdp
    assert "not a number" in by_path["目标值 (target)"].message


def test_bad_cells_on_the_other_sheets(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, _ = edit(path)
    wb["方案"]["B6"] = "2.5"  # decimals
    wb["方案"]["A13"] = "年度 (yaer)"
    wb["类别"].cell(2, 4).value = "一百"  # points
    wb["类别"].cell(2, 12).value = "[{name: 优秀, min: 90"  # grades: broken YAML
    wb.save(path)
    where = {(p.file.split("[")[-1].rstrip("]"), p.line, p.path) for p in refused(path)}
    assert ("方案", 6, "保留小数位 (decimals)") in where
    assert ("方案", 13, "column A") in where
    assert ("类别", 2, "分值 (points)") in where
    assert ("类别", 2, "等次 (grades)") in where


def test_formula_without_a_saved_result_and_excel_dates(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, ws = edit(path)
    gdp = row_of(ws, "gdp")
    ws.cell(gdp, column(ws, "points")).value = "=10+20"
    ws.cell(gdp, column(ws, "unit")).value = "=A1"
    tax = row_of(ws, "tax")
    ws.cell(tax, column(ws, "code")).value = datetime.datetime(2024, 1, 1)
    wb.save(path)
    problems = refused(path)
    messages = {(p.line, p.path): p.message for p in problems}
    assert "formula without a saved result" in messages[(gdp, "分值 (points)")]
    assert "formula without a saved result" in messages[(gdp, "计量单位 (unit)")]
    assert "date" in messages[(tax, "编码 (code)")]


def test_unknown_and_repeated_columns(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, ws = edit(path)
    n = ws.max_column
    ws.cell(1, n + 1).value = "目标 (traget)"
    ws.cell(1, n + 2).value = "分值"
    wb.save(path)
    problems = refused(path)
    assert {(p.line, p.path) for p in problems} >= {(1, f"column {openpyxl.utils.get_column_letter(n + 1)}"),
                                                    (1, f"column {openpyxl.utils.get_column_letter(n + 2)}")}
    assert any("unknown column" in p.message for p in problems)
    assert any("appears twice" in p.message for p in problems)


# ----------------------------------------------------------------------------- model problems


def test_points_not_adding_up_is_located_at_the_group_row(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, ws = edit(path)
    ws.cell(row_of(ws, "gdp"), column(ws, "points")).value = 25
    wb.save(path)
    [p] = refused(path)
    assert (p.file, p.line, p.path) == (f"{path}[指标]", row_of(ws, "econ"), "分值 (points)")
    assert "add up to 55" in p.message


def test_category_total_not_adding_up_is_located_at_the_category_row(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, ws = edit(path)
    work = row_of(ws, "work")
    ws.cell(work, column(ws, "points")).value = 30
    wb.save(path)
    [p] = refused(path)
    assert (p.file, p.line) == (f"{path}[类别]", 2) and "add up to 90" in p.message


def test_model_errors_point_at_the_cell(tmp_path: Path) -> None:
    path = write(tmp_path, rich())
    wb, ws = edit(path)
    gdp, env, energy = row_of(ws, "gdp"), row_of(ws, "env"), row_of(ws, "energy")
    incidents, sup, invest = row_of(ws, "incidents"), row_of(ws, "sup"), row_of(ws, "invest")
    ws.cell(gdp, column(ws, "target")).value = -1
    ws.cell(env, column(ws, "expression")).value = None  # formula needs an expression
    ws.cell(energy, column(ws, "challenge_bonus")).value = None  # a challenge needs its bonus
    ws.cell(incidents, column(ws, "rule")).value = "{items: [{code: minor, per: 2, range: [1, 2]}]}"
    ws.cell(sup, column(ws, "method")).value = "supervisoin"
    ws.cell(invest, column(ws, "lower_is_better")).value = "是"  # not a column of plan
    wb["类别"].cell(2, 12).value = "[{name: 优秀, min: 90, quota: {share: 2}}, {name: 合格}]"
    wb.save(path)
    problems = refused(path)
    where = {(p.file.split("[")[-1].rstrip("]"), p.line, p.path): p.message for p in problems}
    assert "greater than 0" in where[("指标", gdp, "目标值 (target)")]
    assert "required" in where[("指标", env, "公式 (expression)")]
    assert "required" in where[("指标", energy, "挑战加分 (challenge_bonus)")]
    assert "exactly one of per, range or levels" in where[("指标", incidents, "规则明细 (rule): items.0")]
    assert "unknown method 'supervisoin'" in where[("指标", sup, "计分方法 (method)")]
    assert "does not use this column" in where[("指标", invest, "越低越好 (lower_is_better)")]
    assert "less than or equal to 1" in where[("类别", 2, "等次 (grades): 0.quota.share")]


def test_whole_scheme_checks_point_at_the_cell(tmp_path: Path) -> None:
    path = write(tmp_path, rich())
    wb, ws = edit(path)
    wb["类别"].cell(2, 12).value = "[{name: 优秀, min: 90}, {name: 良好, min: 95}, {name: 合格}]"
    ws.cell(row_of(ws, "gdp"), column(ws, "challenge")).value = 6  # below the target 6.5
    ws.cell(row_of(ws, "env"), column(ws, "expression")).value = "min(value / target, 1.2) * pionts"
    wb["方案"]["B11"] = "2024-H1:30, 2024-Q9:70"
    wb.save(path)
    where = {(p.file.split("[")[-1].rstrip("]"), p.line, p.path): p.message for p in refused(path)}
    assert "highest down" in where[("类别", 2, "等次 (grades): 1.min")]
    assert "above the target" in where[("指标", row_of(ws, "gdp"), "挑战值 (challenge)")]
    assert "pionts" in where[("指标", row_of(ws, "env"), "公式 (expression)")]
    assert "2024-Q9" in where[("方案", 11, "期间汇总权重 (rollup_weights): 2024-Q9")]


def test_rule_fields_without_a_method_and_given_twice(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, ws = edit(path)
    gdp, tax = row_of(ws, "gdp"), row_of(ws, "tax")
    ws.cell(gdp, column(ws, "method")).value = None
    ws.cell(tax, column(ws, "range_low")).value = 0
    ws.cell(tax, column(ws, "rule")).value = "{range: [0, 30]}"
    wb.save(path)
    where = {(p.line, p.path): p.message for p in refused(path)}
    assert "method is empty" in where[(gdp, "计分方法 (method)")]
    assert "both the low and the high" in where[(tax, "打分上限 (range_high)")]


# ----------------------------------------------------------------------------- files refused


def test_writer_refuses_what_a_cell_cannot_hold(tmp_path: Path) -> None:
    data = small().model_dump(by_alias=True, exclude_defaults=True)
    data["categories"][0]["indicators"][1]["description"] = "长" * 40000
    with pytest.raises(SchemeError) as info:
        write_scheme_workbook(validate_scheme_data(data, filename="long"), tmp_path / "long.xlsx")
    [p] = info.value.problems
    assert (p.file, p.line, p.path) == (f"{tmp_path / 'long.xlsx'}[指标]", 5, "指标说明 (description)")
    assert not (tmp_path / "long.xlsx").exists()


def test_macro_workbooks_and_other_files_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    xlsm = tmp_path / "scheme.xlsm"
    shutil.copy(path, xlsm)
    [p] = refused(xlsm)
    assert "macro" in p.message
    with pytest.raises(SchemeError, match="macro"):
        load_scheme(xlsm)
    # Macros hidden in a workbook named .xlsx are found too.
    hidden = tmp_path / "hidden.xlsx"
    shutil.copy(path, hidden)
    with zipfile.ZipFile(hidden, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\x00" * 16)
    [p] = refused(hidden)
    assert "macros" in p.message
    csv = tmp_path / "scheme.csv"
    csv.write_text("code,name\n", encoding="utf-8")
    [p] = refused(csv)
    assert ".xlsx" in p.message
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    [p] = refused(fake)
    assert "not an Excel" in p.message
    [p] = refused(tmp_path / "missing.xlsx")
    assert "cannot read" in p.message
    with pytest.raises(SchemeError, match="xlsx"):
        write_scheme_workbook(small(), tmp_path / "out.xlsm")


def test_missing_sheet(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    wb, _ = edit(path)
    del wb["类别"]
    wb.save(path)
    [p] = refused(path)
    assert p.file == f"{path}[类别]" and "no sheet" in p.message


# ----------------------------------------------------------------------------- random schemes

CODE_CHARS = "AZaz09-_.=#[]{}'\"中文，、；：x"
code_text = st.text(alphabet=CODE_CHARS, min_size=0, max_size=4)
any_text = st.text(max_size=12)
num = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
pos = st.floats(min_value=1e-3, max_value=1e4, allow_nan=False, allow_infinity=False)
share = st.floats(min_value=0, max_value=1)
FORMULAS = ["value", "min(value / 80, 1) * points", "if(value >= 50, points, points * value / 50)"]


@st.composite
def items(draw: st.DrawFn) -> list[dict[str, Any]]:
    codes = draw(st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=3, unique=True))
    out = []
    for code in codes:
        item: dict[str, Any] = {"code": code}
        if draw(st.booleans()):
            item["name"] = draw(any_text)
        kind = draw(st.sampled_from(["per", "range", "levels"]))
        if kind == "per":
            item["per"] = draw(num)
        elif kind == "range":
            item["range"] = sorted([draw(num), draw(num)])
        else:
            item["levels"] = draw(st.dictionaries(any_text, num, min_size=1, max_size=3))
        if draw(st.booleans()):
            item["cap"] = draw(num)
        out.append(item)
    return out


@st.composite
def rules(draw: st.DrawFn, points: float) -> dict[str, Any]:
    method = draw(st.sampled_from(["ratio", "deduction", "rating", "tiers", "manual", "plan", "grade_map",
                                   "supervision", "formula"]))
    rule: dict[str, Any] = {"method": method}
    if method == "ratio":
        target = draw(pos)
        lower = draw(st.booleans())
        rule.update(target=target, lower_is_better=lower, zero_below=draw(share))
        if draw(st.booleans()):
            rule["challenge"] = {"value": target / 2 if lower else target * 2, "bonus": draw(num),
                                 "mode": draw(st.sampled_from(["step", "linear"]))}
    elif method == "deduction":
        rule.update(items=draw(items()), requires_evidence=draw(st.booleans()))
        if draw(st.booleans()):
            rule["cap"] = draw(num)
    elif method == "rating":
        rule.update(scale=draw(st.dictionaries(any_text, st.floats(-1e3, 1e3), min_size=1, max_size=3)), full=draw(pos))
    elif method == "tiers":
        basis = draw(st.sampled_from(["points", "share"]))
        limit = 1.0 if basis == "share" else points
        mins = draw(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=3, unique=True))
        rule.update(basis=basis, below=draw(num), tiers=[{"min": m, "score": draw(share) * limit} for m in mins])
    elif method == "manual":
        if draw(st.booleans()):
            rule["range"] = sorted([draw(share) * points, draw(share) * points])
    elif method == "plan":
        rule["cap_ratio"] = draw(st.floats(0, 10))
    elif method == "grade_map":
        basis = draw(st.sampled_from(["points", "share"]))
        limit = 1.0 if basis == "share" else points
        value = st.one_of(share.map(lambda x: x * limit),
                          st.tuples(share, share).map(lambda t: sorted([t[0] * limit, t[1] * limit])))
        rule.update(basis=basis, grades=draw(st.dictionaries(any_text, value, min_size=1, max_size=3)))
    elif method == "supervision":
        rule.update(per_overdue=draw(num), per_returned=draw(num))
        if draw(st.booleans()):
            rule["cap"] = draw(num)
    else:
        rule["expression"] = draw(st.sampled_from(FORMULAS))
        if draw(st.booleans()):
            rule["variables"] = ["value", *draw(st.lists(st.text(min_size=1, max_size=4), max_size=2))]
        for key in ("target", "challenge", "min", "max"):
            if draw(st.booleans()):
                rule[key] = draw(st.floats(-1e3, 1e3))
    return rule


@st.composite
def descriptive(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("name", "unit", "source", "responsible", "evidence", "description"):
        if draw(st.booleans()):
            out[key] = draw(any_text)
    if draw(st.booleans()):
        out["co_units"] = draw(st.lists(any_text, max_size=3))
    if draw(st.booleans()):
        out["frequency"] = draw(st.sampled_from(["week", "month", "quarter", "half", "year"]))
    if draw(st.booleans()):
        low = draw(st.floats(-1e3, 1e3))
        out["bounds"] = [low, low + draw(num)]
    return out


@st.composite
def leaves(draw: st.DrawFn, code: str) -> dict[str, Any]:
    if draw(st.integers(0, 5)) == 0:  # an adjustment, without points
        method = draw(st.sampled_from(["bonus", "deduction"]))
        rule: dict[str, Any] = {"method": method, "items": draw(items())}
        if method == "deduction":
            rule["base"] = "zero"
        return {"code": code, **draw(descriptive()), "rule": rule}
    points = draw(pos)
    return {"code": code, **draw(descriptive()), "points": points, "rule": draw(rules(points))}


def regular_points(nodes: list[dict[str, Any]]) -> float:
    total = 0.0
    for n in nodes:
        if "points" in n:
            total += n["points"]
    return total


@st.composite
def schemes(draw: st.DrawFn) -> Scheme:
    if draw(st.booleans()):
        period_codes = draw(st.lists(st.text(alphabet=CODE_CHARS, min_size=1, max_size=6), min_size=1, max_size=4,
                                     unique=True))
        periods: dict[str, Any] = {"codes": period_codes}
        if draw(st.booleans()):
            periods["year"] = draw(st.integers(1990, 2200))
    else:
        periods = {"frequency": draw(st.sampled_from(["month", "quarter", "half", "year"])),
                   "year": draw(st.integers(1990, 2200))}
    resolved = Periods.model_validate(periods).resolved()
    mode = draw(st.sampled_from(["mean", "sum", "last", "weighted", "pool"]))
    if mode == "weighted":
        chosen = draw(st.lists(st.sampled_from(resolved), min_size=1, max_size=3, unique=True))
        periods["rollup"] = {"mode": mode, "weights": {p: draw(pos) for p in chosen}}
    elif draw(st.booleans()):
        periods["rollup"] = mode
    categories = []
    for ci in range(draw(st.integers(1, 2))):
        counter = iter(range(100))
        top: list[dict[str, Any]] = []
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.booleans()):
                kids = [draw(leaves(f"N{next(counter)}{draw(code_text)}")) for _ in range(draw(st.integers(1, 3)))]
                if regular_points(kids) == 0:
                    kids.append({"code": f"N{next(counter)}", "points": 1.0, "rule": {"method": "manual"}})
                group: dict[str, Any] = {"code": f"G{next(counter)}{draw(code_text)}", **draw(descriptive()),
                                         "children": kids, "points": regular_points(kids)}
                if draw(st.booleans()):  # a weighted group: every regular child has a weight
                    regular = [k for k in kids if "points" in k]
                    for k in regular:
                        k["weight"] = draw(pos)
                    group["weight_total"] = sum(k["weight"] for k in regular)
                    group["points"] = draw(pos)
                if draw(st.booleans()):
                    group["bonus_cap"] = draw(num)
                if draw(st.booleans()):
                    group["deduction_cap"] = draw(num)
                if draw(st.booleans()):
                    group["periods"] = draw(st.sampled_from(["mean", "sum", "last", "pool"]))
                elif draw(st.booleans()):
                    chosen = draw(st.lists(st.sampled_from(resolved), min_size=1, max_size=2, unique=True))
                    group["periods"] = {"mode": "weighted", "weights": {p: draw(pos) for p in chosen}}
                top.append(group)
            else:
                top.append(draw(leaves(f"N{next(counter)}{draw(code_text)}")))
        if regular_points(top) == 0:
            top.append({"code": f"N{next(counter)}", "points": 5.0, "rule": {"method": "manual"}})
        cat: dict[str, Any] = {"code": f"C{ci}{draw(code_text)}", "indicators": top, "points": regular_points(top)}
        if draw(st.booleans()):
            cat["name"] = draw(any_text)
        if draw(st.booleans()):
            cat["groups"] = [f"g{ci}-{i}" for i in range(draw(st.integers(1, 3)))]
        if draw(st.booleans()):
            cat["min_score"] = draw(st.one_of(st.none(), st.floats(-100, 100)))
        if draw(st.booleans()):
            names = draw(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=3, unique=True))
            mins = sorted(draw(st.lists(st.floats(-1e3, 1e3), min_size=len(names) - 1, max_size=len(names) - 1,
                                        unique=True)), reverse=True)
            bands: list[dict[str, Any]] = [{"name": n, "min": m} for n, m in zip(names, mins)]
            bands.append({"name": names[-1]})
            if len(bands) > 1 and draw(st.booleans()):  # the catch-all last band takes no quota
                bands[0]["quota"] = {"share": draw(st.floats(0.01, 1)), "min_count": draw(st.integers(0, 3))}
            cat["results"] = {"ranking": draw(st.sampled_from(["group", "category"])),
                              "grades": {"basis": draw(st.sampled_from(["points", "percent"])), "bands": bands}}
        categories.append(cat)
    data = {"code": "rnd", "name": draw(st.text(min_size=1, max_size=20)), "description": draw(any_text),
            "scale": draw(pos), "rounding": {"decimals": draw(st.integers(0, 6))}, "periods": periods,
            "categories": categories}
    return validate_scheme_data(data, filename="<random>")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(scheme=schemes())
def test_random_schemes_round_trip(tmp_path: Path, scheme: Scheme) -> None:
    path = tmp_path / "random.xlsx"
    write_scheme_workbook(scheme, path)
    assert read_scheme_workbook(path).model_dump() == scheme.model_dump()
