"""Every wrong cell is reported with its sheet, row and column, and then nothing is written."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from jixiao.collection.importing.layout import KEY_ROW
from jixiao.collection.importing.plan import ObjectInfo, import_context
from jixiao.collection.importing.reader import MAX_ERRORS, read_values
from jixiao.collection.models import ImportJob, Value
from jixiao.collection.services import value_save
from jixiao.collection.tests.test_import_helpers import (
    cell,
    fast_passwords,  # noqa: F401 (autouse)
    keys,
    run_import,
    save,
    template,
    where,
)
from jixiao.scoring.models import Result


@pytest.mark.django_db
def test_office_file_with_many_problems_lists_each_and_writes_nothing(cast, tmp_path):
    wb = template(cast.office, cast.q1)
    ws = wb["乡镇"]
    cell(ws, "east", "gdp:value").value = "abc"  # C6
    cell(ws, "east", "tax:value").value = 20  # D6: fine on its own, but must not be written
    ws["E6"] = 5  # a column the template does not have
    cell(ws, "west", "gdp:value").value = "-"  # C7
    cell(ws, "west", "tax:value").value = 90  # D7 fine
    ws["A8"], ws["C8"] = "nowhere", 1  # unknown object
    ws["B9"], ws["C9"] = "某镇", 2  # no object code
    ws["A10"], ws["C10"] = "east", 3  # east again
    extra = wb.create_sheet("草稿")
    extra["A1"] = "随手记的数"
    wb.create_sheet("Sheet3")  # empty: ignored
    job = run_import(cast.office, cast.q1, save(wb, tmp_path))

    assert job.status == ImportJob.Status.FAILED
    assert where(job) == {("乡镇", 6, "C"), ("乡镇", 6, "E"), ("乡镇", 7, "C"), ("乡镇", 8, "A"),
                          ("乡镇", 9, "A"), ("乡镇", 10, "A"), ("草稿", 2, "A")}
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors if e["sheet"] == "乡镇"}
    assert "不是数字" in messages[(6, "C")]
    assert "清空" in messages[(7, "C")]
    assert "nowhere" in messages[(8, "A")]
    assert "缺少考核对象编码" in messages[(9, "A")]
    assert "第 6 行" in messages[(10, "A")]
    assert "不是模板中的指标列" in messages[(6, "E")]
    assert job.written == 0 and job.progress == 100
    assert not Value.objects.exists()
    assert not Result.objects.filter(total__gt=0).exists()


@pytest.mark.django_db
def test_each_kind_of_bad_value_is_named(cast, scope, tmp_path):
    """The validator on its own, with enough (in-memory) objects for one bad value each."""
    ctx = import_context(scope=scope(cast.office), period=cast.q1)
    bad = [("abc", "不是数字"), ("12 万", "不是数字"), ("-", "清空"), ("/", "清空"), (True, "不是数字"),
           (dt.datetime(2024, 3, 1), "日期"), (1e14, "超出"), ("#DIV/0!", "错误值"), ("1e99", "超出")]
    wb = template(cast.office, cast.q1)
    ws = wb["乡镇"]
    for n, (raw, _) in enumerate(bad):
        code = f"bad{n}"
        ctx.objects[code] = ObjectInfo(10_000 + n, code, code, "town", cast.east.pk)
        ws.cell(8 + n, 1, code)
        ws.cell(8 + n, 3, raw)
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_values(buf.getvalue(), ctx)
    got = {(e.sheet, e.row, e.column): e.message for e in parsed.errors}
    assert set(got) == {("乡镇", 8 + n, "C") for n in range(len(bad))}
    for n, (raw, expect) in enumerate(bad):
        assert expect in got[("乡镇", 8 + n, "C")], (raw, got[("乡镇", 8 + n, "C")])
    assert parsed.rows == []


@pytest.mark.django_db
def test_error_list_is_capped_but_the_total_is_reported(cast, scope):
    from openpyxl import Workbook

    from jixiao.collection.importing.layout import sheet_marker

    wb = Workbook()
    ws = wb.active
    ws.title = "乡镇"
    ws.cell(KEY_ROW, 1, sheet_marker("mini-2024", "2024-Q1", "town"))
    ws.cell(KEY_ROW, 3, "gdp:value")
    for r in range(6, 6 + MAX_ERRORS + 100):
        ws.cell(r, 1, f"x{r}")
        ws.cell(r, 3, 1)
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_values(buf.getvalue(), import_context(scope=scope(cast.office), period=cast.q1))
    assert parsed.total_errors == MAX_ERRORS + 100
    stored = parsed.error_dicts()
    assert len(stored) == MAX_ERRORS + 1
    assert stored[-1]["more"] == 100 and "共 600 处" in stored[-1]["message"]


@pytest.mark.django_db
def test_reporter_cannot_import_another_units_row(cast, tmp_path):
    wb = template(cast.reporter, cast.q1)
    ws = wb["乡镇"]
    cell(ws, "east", "gdp:value").value = 88
    ws["A7"], ws["B7"], ws["C7"] = "west", "西镇", 99  # a row the reporter's template does not have
    job = run_import(cast.reporter, cast.q1, save(wb, tmp_path))
    assert job.status == ImportJob.Status.FAILED
    assert where(job) == {("乡镇", 7, "A")}
    assert "无权填报 西镇" in job.errors[0]["message"]
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_reporter_cannot_import_a_third_party_indicator(cast, tmp_path):
    wb = template(cast.reporter, cast.q1)
    ws = wb["乡镇"]
    cell(ws, "east", "gdp:value").value = 88
    ws["D2"], ws["D3"], ws["D6"] = "tax:value", "税收收入", 500  # column copied from the office's template
    job = run_import(cast.reporter, cast.q1, save(wb, tmp_path))
    assert job.status == ImportJob.Status.FAILED
    assert where(job) == {("乡镇", 6, "D")}
    assert "县统计局" in job.errors[0]["message"]
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_reporter_cannot_change_a_verified_value(cast, scope, tmp_path):
    value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("70"))
    wb = template(cast.reporter, cast.q1)
    assert cell(wb["乡镇"], "east", "gdp:value").value == 70
    # unchanged, the verified value is fine; changed, it is refused
    job = run_import(cast.reporter, cast.q1, save(wb, tmp_path, "same.xlsx"))
    assert job.status == ImportJob.Status.DONE and job.written == 0
    cell(wb["乡镇"], "east", "gdp:value").value = 71
    job = run_import(cast.reporter, cast.q1, save(wb, tmp_path, "changed.xlsx"))
    assert job.status == ImportJob.Status.FAILED
    assert where(job) == {("乡镇", 6, "C")} and "已审核" in job.errors[0]["message"]
    assert Value.objects.get().value == Decimal("70")


@pytest.mark.django_db
def test_template_of_another_period_is_refused(cast, tmp_path):
    wb = template(cast.office, cast.q2)
    cell(wb["乡镇"], "east", "gdp:value").value = 80
    job = run_import(cast.office, cast.q1, save(wb, tmp_path))
    assert job.status == ImportJob.Status.FAILED
    assert where(job) == {("乡镇", KEY_ROW, "A")}
    assert "2024-Q2" in job.errors[0]["message"]
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_tampered_column_keys_are_reported_in_the_key_row(cast, tmp_path):
    wb = template(cast.office, cast.q1)
    ws = wb["乡镇"]
    assert keys(ws) == ["gdp:value", "tax:value"]
    ws["D2"] = "ldpg:value"  # a ballot indicator, not imported
    ws["E2"], ws["F2"] = "gdp:target", "gdp:value"  # no such variable; gdp twice
    ws["G2"] = "nonsense"
    for col in "CDEFG":
        ws[f"{col}6"] = 1
    job = run_import(cast.office, cast.q1, save(wb, tmp_path))
    assert job.status == ImportJob.Status.FAILED
    assert where(job) == {("乡镇", KEY_ROW, c) for c in "DEFG"}
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_reporter_cannot_import_a_target(cast, scope):
    from dataclasses import replace

    from jixiao.collection.importing.plan import Column

    ctx = import_context(scope=scope(cast.reporter), period=cast.q1)
    gdp = replace(ctx.catalog.leaf("town", "gdp"), variables=("value", "target"))
    ctx._columns["town"] = [Column(gdp, "value"), Column(gdp, "target")]  # a scheme whose gdp target is reported
    wb = template(cast.reporter, cast.q1)
    ws = wb["乡镇"]
    ws["C6"], ws["D2"], ws["D6"] = 90, "gdp:target", 50
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_values(buf.getvalue(), ctx)
    assert [(e.row, e.column) for e in parsed.errors] == [(6, "D")]
    assert "由绩效办设定" in parsed.errors[0].message
