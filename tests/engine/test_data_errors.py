"""Bad data rows are reported by table, row and column, and nothing is scored."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from jixiao.engine.data import DataError, load_data
from jixiao.engine.scheme.loader import parse_scheme_text
from jixiao.engine.score import score

SCHEME = parse_scheme_text("""\
code: d1
name: 数据测试
periods: {codes: [2024-Q1, 2024-Q2]}
categories:
  - code: towns
    indicators:
      - {code: A1, points: 50, rule: {method: ratio, target: 10}}
      - {code: A2, points: 30, rule: {method: manual}}
      - {code: R, points: 20, rule: {method: rating, scale: {优秀: 100, 称职: 90}}}
      - code: P
        rule: {method: bonus, requires_evidence: true, cap: 4, items: [{code: c, levels: {市: 2, 省: 3}}]}
""")

HEADER = "object,group,indicator,period,value\n"
GOOD_ROWS = "t1,towns,A1,2024-Q1,8\nt1,towns,A2,2024-Q1,25\nt2,towns,A1,2024-Q1,11\n"


def refused(tmp_path: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as e:
        score(SCHEME, load_data(tmp_path))
    return [str(p) for p in e.value.problems]


def test_good_data_scores(tmp_path: Path) -> None:
    (tmp_path / "values.csv").write_text(HEADER + GOOD_ROWS, encoding="utf-8")
    rows = {r.object_id: r for r in score(SCHEME, load_data(tmp_path)).rows()}
    assert rows["t1"].components["A1"] == 40.0
    assert rows["t2"].rank == 2  # t2 reported nothing for A2


@pytest.mark.parametrize(("row", "expected"), [
    ("t9,nowhere,A1,2024-Q1,1", "values.csv, row 5, column group: group nowhere is not a group of any category"),
    ("t1,towns,ZZ,2024-Q1,1", "values.csv, row 5, column indicator: indicator ZZ is not a scored indicator"),
    ("t1,towns,A1,2025-Q1,1", "values.csv, row 5, column period: period 2025-Q1 is not a period of the scheme"),
    ("t1,towns,A1,2024-Q2,abc", "values.csv, row 5, column value: 'abc' is not a number"),
    ("t1,towns,A1,2024-Q1,9", "the same object, indicator, variable and period is reported twice"),
    ("t1,towns,A2,2024-Q2,31", "values.csv, row 5, column value: 31 is outside the score range 0 to 30"),
    ("t1,towns,P,2024-Q2,1", "values.csv, row 5, column indicator: indicator P takes incident rows"),
])
def test_a_bad_value_row_is_placed(tmp_path: Path, row: str, expected: str) -> None:
    found = refused(tmp_path, {"values.csv": HEADER + GOOD_ROWS + row + "\n"})
    assert any(expected in p for p in found), found


def test_incidents_and_ballots_are_checked(tmp_path: Path) -> None:
    found = refused(tmp_path, {
        "values.csv": HEADER + GOOD_ROWS,
        "incidents.csv": "object,indicator,item,level,period,count,evidence\n"
                         "t1,P,c,县,2024-Q1,1,文件\nt1,P,c,省,2024-Q1,1,\nt1,P,c,省,2024-Q1,0.5,文件\n",
        "ratings.csv": "object,indicator,period,rating,count\nt1,R,2024-Q1,良好,3\n",
    })
    assert any("incidents.csv, row 2, column item: item 'c' level '县' of P is not defined" in p for p in found), found
    assert any("incidents.csv, row 3, column evidence: this item counts only with an evidence reference" in p
               for p in found), found
    assert any("incidents.csv, row 4, column count: the count must be a whole number above zero" in p
               for p in found), found
    assert any("ratings.csv, row 2, column rating: 良好 is not a label of this indicator" in p for p in found), found


def test_missing_column_and_unknown_column(tmp_path: Path) -> None:
    found = refused(tmp_path, {"values.csv": "object,group,indicator,value,colour\nt1,towns,A1,1,red\n"})
    assert any("column period: required column is missing" in p for p in found)
    assert any("column colour: unknown column" in p for p in found)


def test_xlsx_rows_keep_their_numbers_across_blank_lines(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "values"
    ws.append(["object", "group", "indicator", "period", "value"])
    ws.append(["t1", "towns", "A1", "2024-Q1", 8])
    ws.append([])
    ws.append(["t1", "towns", "A1", "2024-Q2", "八"])
    path = tmp_path / "data.xlsx"
    wb.save(path)
    with pytest.raises(DataError) as e:
        load_data(path)
    assert str(e.value.problems[0]) == "data.xlsx[values], row 4, column value: '八' is not a number"


def test_macro_workbooks_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsm"
    path.write_bytes(b"PK")
    with pytest.raises(DataError, match="macro or old-format workbooks are refused"):
        load_data(path)


def test_every_problem_is_listed_before_anything_is_scored(tmp_path: Path) -> None:
    rows = "".join(f"t{i},towns,ZZ,2024-Q1,1\n" for i in range(300))
    (tmp_path / "values.csv").write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(DataError) as e:
        score(SCHEME, load_data(tmp_path))
    assert e.value.total == 300 and len(e.value.problems) == DataError.MAX_LISTED
    assert "and 100 more problems" in str(e.value)


def test_a_gbk_csv_is_refused_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "values.csv").write_bytes((HEADER + "t1,towns,A1,2024-Q1,8\n镇,towns,A1,2024-Q1,8\n").encode("gbk"))
    with pytest.raises(DataError) as e:
        load_data(tmp_path)
    assert str(e.value.problems[0]).startswith("values.csv, row 3: the file is not UTF-8")


def test_history_rows_are_checked(tmp_path: Path) -> None:
    found = refused(tmp_path, {"values.csv": HEADER + GOOD_ROWS,
                               "history.csv": "object,period,total\nt1,2023,90\nt1,2023,91\nzz,2022,80\n"})
    assert any("history.csv, row 3, column period: the same object and period is listed twice" in p
               for p in found), found
    assert any("history.csv, row 4, column object: object zz is not a known object" in p for p in found), found
