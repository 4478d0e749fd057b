"""Scheme files in and out: YAML and the engine's Excel template, errors with their place."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.schemes.catalog import catalog_for
from jixiao.schemes.models import Scheme, SchemeVersion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.django_db
def test_yaml_import_with_an_error_shows_the_line(office_client, v1):
    bad = v1.text.replace("rule: {method: ratio, target: 500}", "rule: {method: ratoi, target: 500}")
    line = next(i for i, t in enumerate(bad.splitlines(), 1) if "ratoi" in t)
    resp = office_client.post(reverse("schemes:import"), {
        "file": _upload("方案.yaml", bad.encode("utf-8")), "code": "mini2", "name": "", "note": ""})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert f"第 {line} 行" in html and "没有计分方法 “ratoi”" in html and "unknown method" not in html
    assert "categories.0.indicators.1.rule" in html
    assert 'value="mini2"' in html  # what was typed stays
    assert not Scheme.objects.filter(code="mini2").exists()


@pytest.mark.django_db
def test_yaml_import_creates_a_scheme_named_from_the_file(office_client, v1):
    resp = office_client.post(reverse("schemes:import"), {"file": _upload("mini.yaml", v1.text.encode("utf-8")),
                                                          "code": "", "name": "", "note": ""})
    s = Scheme.objects.get(code="mini-2024")
    v = s.versions.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("schemes:version", args=[v.pk])
    assert s.name == "测试县2024年度乡镇考核" and v.text == v1.text and v.status == "draft"


@pytest.mark.django_db
def test_yaml_export_downloads_the_text(office_client, v1):
    resp = office_client.get(reverse("schemes:version_yaml", args=[v1.pk]))
    assert resp.content.decode("utf-8") == v1.text
    assert 'filename="mini-v1.yaml"' in resp["Content-Disposition"]


@pytest.mark.django_db
def test_excel_export_then_import_round_trip_is_the_same_scheme(office_client, v1):
    resp = office_client.get(reverse("schemes:version_xlsx", args=[v1.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX
    data = resp.content
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert {"方案", "类别", "指标"} <= set(wb.sheetnames)
    codes = [c.value for c in next(wb["指标"].iter_cols(min_col=2, max_col=2))][1:]
    assert {"gdp", "tax", "ldpg", "jianfen"} <= set(codes)

    resp = office_client.post(reverse("schemes:import"), {"file": _upload("mini.xlsx", data, XLSX),
                                                          "code": "mini-xlsx", "name": "从 Excel 导入", "note": ""})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    new = Scheme.objects.get(code="mini-xlsx").versions.get()
    a, b = catalog_for(v1.text), catalog_for(new.text)
    assert a.scheme == b.scheme and a.categories == b.categories and a.periods == b.periods


@pytest.mark.django_db
def test_excel_import_as_a_new_version_of_an_existing_scheme(office_client, v1):
    data = office_client.get(reverse("schemes:version_xlsx", args=[v1.pk])).content
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["指标"]
    header = [c.value for c in ws[1]]
    col_points = next(i for i, h in enumerate(header, 1) if h and "(points)" in h)
    col_code = next(i for i, h in enumerate(header, 1) if h and "(code)" in h)
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col_code).value == "gdp":
            ws.cell(r, col_points).value = 45
            gdp_row = r
    out = io.BytesIO()
    wb.save(out)
    resp = office_client.post(reverse("schemes:import"), {"file": _upload("mini.xlsx", out.getvalue(), XLSX),
                                                          "scheme": str(v1.scheme_id), "note": ""})
    # 45 + 30 + 30 ≠ 100: refused, with the sheet and row of the problem
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "工作表“" in html and "分值合计 105" in html and "add up to" not in html
    assert SchemeVersion.objects.filter(scheme=v1.scheme).count() == 1
    ws.cell(gdp_row, col_points).value = 40
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col_code).value == "ldpg":
            ws.cell(r, col_points).value = 30
    out = io.BytesIO()
    wb.save(out)
    resp = office_client.post(reverse("schemes:import"), {"file": _upload("mini.xlsx", out.getvalue(), XLSX),
                                                          "scheme": str(v1.scheme_id), "note": "Excel"})
    v2 = SchemeVersion.objects.get(scheme=v1.scheme, number=2)
    assert resp.status_code == 302 and v2.based_on_id == v1.pk and v2.note == "Excel"
    assert catalog_for(v2.text).scheme == catalog_for(v1.text).scheme


@pytest.mark.django_db
def test_a_macro_workbook_or_other_file_is_refused(office_client):
    resp = office_client.post(reverse("schemes:import"), {"file": _upload("方案.xlsm", b"PK\x03\x04xx")})
    assert resp.status_code == 400 and "宏" in resp.content.decode()
    resp = office_client.post(reverse("schemes:import"), {"file": _upload("方案.txt", b"code: x")})
    assert resp.status_code == 400 and ".xlsx" in resp.content.decode()
    assert Scheme.objects.count() == 1


@pytest.mark.django_db
def test_blank_template_downloads(office_client):
    resp = office_client.get(reverse("schemes:template"))
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    assert "指标" in wb.sheetnames
