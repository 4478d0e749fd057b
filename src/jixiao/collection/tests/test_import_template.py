"""The import template has one sheet per category, the rows and columns the user may report,
the machine keys in a hidden row, and the values already in the ledger pre-filled."""

from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from jixiao.collection.importing.layout import FIRST_DATA_ROW, INSTRUCTIONS_SHEET, KEY_ROW, sheet_marker
from jixiao.collection.services import value_save
from jixiao.collection.tests.test_import_helpers import (
    cell,
    codes,
    fast_passwords,  # noqa: F401 (autouse)
    keys,
    template,
)


@pytest.mark.django_db
def test_office_gets_every_object_and_value_column(cast):
    wb = template(cast.office, cast.q1)
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, "乡镇"]
    ws = wb["乡镇"]
    assert codes(ws) == ["east", "west"]
    # value indicators only: the manual ballot (ldpg) and the deduction register (jianfen) are not imported
    assert keys(ws) == ["gdp:value", "tax:value"]
    assert ws.cell(KEY_ROW, 1).value == sheet_marker("mini-2024", "2024-Q1", "town")
    assert ws.row_dimensions[KEY_ROW].hidden
    assert ws.freeze_panes == f"C{FIRST_DATA_ROW}"
    assert [ws.cell(3, c).value for c in (1, 2, 3, 4)] == ["考核对象编码", "考核对象名称", "地区生产总值", "税收收入"]
    assert [ws.cell(4, c).value for c in (3, 4)] == ["完成值", "完成值"]
    assert ws.cell(5, 3).value == "亿元" and "县统计局" in ws.cell(5, 4).value
    assert ws.data_validations.dataValidation, "numbers are validated in Excel already"
    assert "清空" in " ".join(str(c.value) for c in wb[INSTRUCTIONS_SHEET]["A"] if c.value)


@pytest.mark.django_db
def test_unit_reporter_gets_own_unit_without_third_party_columns(cast):
    ws = template(cast.reporter, cast.q1)["乡镇"]
    assert codes(ws) == ["east"]
    assert keys(ws) == ["gdp:value"]  # tax is reported by 县统计局


@pytest.mark.django_db
def test_source_reporter_gets_every_object_but_only_his_indicator(cast):
    ws = template(cast.stats, cast.q1)["乡镇"]
    assert codes(ws) == ["east", "west"]
    assert keys(ws) == ["tax:value"]


@pytest.mark.django_db
def test_existing_values_are_prefilled_for_the_period(cast, scope):
    value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("80.5"))
    value_save(actor=cast.office, scope=scope(cast.office), period=cast.q2, obj=cast.west_obj, indicator="gdp",
               variable="value", value=Decimal("70"))
    ws = template(cast.office, cast.q1)["乡镇"]
    assert cell(ws, "east", "gdp:value").value == pytest.approx(80.5)
    assert cell(ws, "west", "gdp:value").value is None  # the Q2 value is not in the Q1 template
    assert cell(template(cast.office, cast.q2)["乡镇"], "west", "gdp:value").value == 70


@pytest.mark.django_db
def test_template_download_is_named_after_assessment_and_period(cast, client):
    client.force_login(cast.reporter)
    r = client.get(f"/ledger/import/{cast.assessment.code}/{cast.q1.code}/template.xlsx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    disposition = r["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="mini-2024_2024-Q1_import.xlsx"' in disposition
    utf8 = disposition.split("filename*=UTF-8''")[1]
    assert unquote(utf8) == "测试县2024年度考核_2024年第一季度_数据导入模板.xlsx"
    wb = load_workbook(io.BytesIO(r.content))
    assert codes(wb["乡镇"]) == ["east"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "outsider"])
def test_users_who_report_nothing_get_no_template(cast, client, who):
    client.force_login(getattr(cast, who))
    r = client.get(f"/ledger/import/{cast.assessment.code}/{cast.q1.code}/template.xlsx")
    assert r.status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(cast, client):
    r = client.get(f"/ledger/import/{cast.assessment.code}/{cast.q1.code}/template.xlsx")
    assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.django_db
def test_targets_are_for_the_office_only(cast, scope):
    """A reporter never gets (or imports) a target column: the target decides his own score."""
    from dataclasses import replace

    from jixiao.collection.importing.plan import Column, import_context

    office = import_context(scope=scope(cast.office), period=cast.q1, values=False)
    reporter = import_context(scope=scope(cast.reporter), period=cast.q1, values=False)
    gdp = replace(office.catalog.leaf("town", "gdp"), variables=("value", "target"))
    east = office.objects["east"]
    assert reporter.may_report(east, Column(gdp, "value"))
    assert not reporter.may_report(east, Column(gdp, "target"))
    assert office.may_report(east, Column(gdp, "target"))
