"""The jixiao command: score in every format, explain, validate, schema, bench."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.cli import main

ROOT = Path(__file__).parents[2]
EX = ROOT / "examples" / "zhengding"
SCHEME, DATA = str(EX / "scheme.yaml"), str(EX / "data")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", SCHEME, DATA, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"scheme", "results"}
    row = doc["results"][0]
    for key in ("object_id", "object_name", "group", "total", "rank", "grade", "eligible_top", "vetoed", "flags",
                "components"):
        assert key in row
    assert isinstance(row["flags"], list) and isinstance(row["components"], dict)
    ranks = [r["rank"] for r in doc["results"] if r["group"] == row["group"]]
    assert ranks == sorted(ranks) and ranks[0] == 1


def test_score_table_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", SCHEME, DATA)
    assert code == 0 and "名次" in out and "总分" in out
    code, out, _ = run(capsys, "score", SCHEME, DATA, "--format", "csv")
    lines = out.splitlines()
    assert lines[0].startswith("category,group,rank,object_name,object_id,total,grade")
    assert len(lines) > 40


def test_score_xlsx_reopens_with_the_same_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.xlsx"
    assert run(capsys, "score", SCHEME, DATA, "--format", "xlsx", "--out", str(out))[0] == 0
    _, js, _ = run(capsys, "score", SCHEME, DATA, "--format", "json")
    expected = json.loads(js)["results"]
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(expected)
    assert [(r[4], r[5], r[2]) for r in rows] == [(e["object_id"], e["total"], e["rank"]) for e in expected]


def test_explain_prints_the_arithmetic(capsys: pytest.CaptureFixture[str]) -> None:
    _, js, _ = run(capsys, "score", SCHEME, DATA, "--format", "json")
    first = json.loads(js)["results"][0]
    code, out, _ = run(capsys, "explain", SCHEME, DATA, first["object_id"])
    assert code == 0
    assert f"总分 {first['total']:g}分".rstrip("0") in out.replace(".0分", "分")
    assert "分" in out and "=" in out
    code, out, err = run(capsys, "explain", SCHEME, DATA, "nobody")
    assert code == 1 and "nobody" in err


def test_validate_names_every_problem_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((EX / "scheme.yaml").read_text(encoding="utf-8").replace("code:", "cod:", 1), encoding="utf-8")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 1
    assert "bad.yaml:" in err and "unknown field" in err and "Field required" in err
    assert run(capsys, "validate", SCHEME)[0] == 0


def test_schema_is_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    doc = json.loads(out)
    assert code == 0 and doc["$schema"].endswith("2020-12/schema") and "categories" in doc["properties"]


def test_bench_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "bench", "--json", "--staff", "300", "--units", "9", "--naive-objects", "40")
    doc = json.loads(out)
    assert code == 0
    assert {"values", "engine_values_per_s", "naive_values_per_s", "ratio"} <= set(doc)
    assert doc["values"] == (300 + 9) * 30 * 12 and doc["engine_equals_naive_on_subset"] is True
