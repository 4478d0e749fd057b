"""A filled-in template imports: values stored with their history, results recomputed once;
blank cells leave values alone, 清空 clears one, unchanged numbers are not rewritten."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.collection.models import ImportJob, Value, ValueChange
from jixiao.collection.services import value_save
from jixiao.collection.tests.test_import_helpers import (
    cell,
    fast_passwords,  # noqa: F401 (autouse)
    run_import,
    save,
    template,
)
from jixiao.scoring.models import Result


def stored(period):
    return {(v.object.code, v.indicator): (v.value, v.status)
            for v in Value.objects.filter(period=period).select_related("object")}


@pytest.mark.django_db
def test_office_import_stores_values_and_recomputes(cast, tmp_path):
    wb = template(cast.office, cast.q1)
    ws = wb["乡镇"]
    cell(ws, "east", "gdp:value").value = 80
    cell(ws, "west", "gdp:value").value = "100"
    cell(ws, "east", "tax:value").value = "1,000"  # thousands separator
    cell(ws, "west", "tax:value").value = 250.5
    job = run_import(cast.office, cast.q1, save(wb, tmp_path))

    assert job.status == ImportJob.Status.DONE, job.errors
    assert (job.written, job.cells, job.progress, job.errors) == (4, 4, 100, [])
    assert stored(cast.q1) == {
        ("east", "gdp"): (Decimal("80"), "verified"), ("west", "gdp"): (Decimal("100"), "verified"),
        ("east", "tax"): (Decimal("1000"), "verified"), ("west", "tax"): (Decimal("250.5"), "verified")}
    assert ValueChange.objects.filter(via="import").count() == 4
    # gdp 80/100×40 = 32 + tax capped 30 → 62; west 40 + 250.5/500×30 = 55.03
    east, west = Result.objects.get(object=cast.east_obj), Result.objects.get(object=cast.west_obj)
    assert east.total == pytest.approx(62.0)
    assert west.total == pytest.approx(55.03)
    assert (east.rank, west.rank) == (1, 2)


@pytest.mark.django_db
def test_reporter_import_is_submitted_and_counts(cast, tmp_path):
    wb = template(cast.reporter, cast.q1)
    cell(wb["乡镇"], "east", "gdp:value").value = 90
    job = run_import(cast.reporter, cast.q1, save(wb, tmp_path))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert stored(cast.q1) == {("east", "gdp"): (Decimal("90"), "submitted")}
    assert Result.objects.get(object=cast.east_obj).total == pytest.approx(36.0)


@pytest.mark.django_db
def test_source_reporter_imports_his_indicator_for_every_town(cast, tmp_path):
    wb = template(cast.stats, cast.q1)
    cell(wb["乡镇"], "east", "tax:value").value = 500
    cell(wb["乡镇"], "west", "tax:value").value = 400
    job = run_import(cast.stats, cast.q1, save(wb, tmp_path))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert stored(cast.q1) == {("east", "tax"): (Decimal("500"), "submitted"),
                               ("west", "tax"): (Decimal("400"), "submitted")}


@pytest.mark.django_db
def test_blank_cells_keep_values_and_clear_word_removes_one(cast, scope, tmp_path):
    office = scope(cast.office)
    for obj, ind, v in [(cast.east_obj, "gdp", "80"), (cast.west_obj, "gdp", "60"), (cast.east_obj, "tax", "300")]:
        value_save(actor=cast.office, scope=office, period=cast.q1, obj=obj, indicator=ind, variable="value",
                   value=Decimal(v))
    wb = template(cast.office, cast.q1)
    ws = wb["乡镇"]
    cell(ws, "east", "gdp:value").value = None  # blanked by the user: left unchanged
    cell(ws, "west", "gdp:value").value = "  "  # only spaces: blank as well
    cell(ws, "east", "tax:value").value = "清空"
    cell(ws, "west", "tax:value").value = 200
    job = run_import(cast.office, cast.q1, save(wb, tmp_path))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.written == 2
    assert stored(cast.q1) == {
        ("east", "gdp"): (Decimal("80"), "verified"), ("west", "gdp"): (Decimal("60"), "verified"),
        ("east", "tax"): (None, "verified"), ("west", "tax"): (Decimal("200"), "verified")}
    east = Result.objects.get(object=cast.east_obj)
    assert east.total == pytest.approx(32.0)  # the cleared tax no longer counts


@pytest.mark.django_db
def test_reimporting_a_prefilled_template_changes_nothing(cast, scope, tmp_path):
    """A reporter's submitted value re-imported unchanged by the office is not verified by it."""
    value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("75"), submit=True)
    before = Value.objects.get().version
    job = run_import(cast.office, cast.q1, save(template(cast.office, cast.q1), tmp_path))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.written == 0
    v = Value.objects.get()
    assert (v.value, v.status, v.version) == (Decimal("75"), "submitted", before)
    assert "相同" in job.stage


@pytest.mark.django_db
def test_percent_formatted_number_is_read_as_percent_points(cast, tmp_path):
    wb = template(cast.office, cast.q1)
    c = cell(wb["乡镇"], "east", "gdp:value")
    c.value, c.number_format = 0.855, "0.0%"  # the user typed 85.5% in Excel
    cell(wb["乡镇"], "west", "gdp:value").value = "92%"  # typed as text
    job = run_import(cast.office, cast.q1, save(wb, tmp_path))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert stored(cast.q1)[("east", "gdp")][0] == Decimal("85.5")
    assert stored(cast.q1)[("west", "gdp")][0] == Decimal("92")


@pytest.mark.django_db
def test_blank_object_rows_are_skipped_and_rows_may_be_deleted(cast, tmp_path):
    wb = template(cast.office, cast.q1)
    ws = wb["乡镇"]
    cell(ws, "west", "gdp:value").value = 50
    ws.delete_rows(6)  # the east row, removed by the user
    job = run_import(cast.office, cast.q1, save(wb, tmp_path))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert stored(cast.q1) == {("west", "gdp"): (Decimal("50"), "verified")}
