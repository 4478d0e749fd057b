"""Columns are found by their header text: any order works; unknown headers and missing required
ones are named, and then no row is read."""

from __future__ import annotations

import datetime as dt

import pytest

from jixiao.supervision.importing.reader import read_matters
from jixiao.supervision.models import Matter
from jixiao.supervision.tests.test_import_helpers import good_row, post, workbook

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def test_columns_in_any_order_with_notes_in_the_headers(sv):
    headers = ["办结时限（YYYY-MM-DD）", "主办单位", " 事项名称 *", "协办单位", "问题描述", "类别"]
    rows = [{"办结时限（YYYY-MM-DD）": "2026年4月1日", "主办单位": "东镇", " 事项名称 *": "整改排污口",
             "协办单位": "west", "问题描述": "排污口未封堵", "类别": "整改"}]
    parsed = read_matters(workbook(rows, headers=headers), today=TODAY)
    assert parsed.problems == []
    (row,) = parsed.rows
    d = row.data
    assert (d.title, d.lead_unit.code, d.deadline, d.kind, d.content) == (
        "整改排污口", "east", dt.date(2026, 4, 1), Matter.Kind.RECTIFICATION, "排污口未封堵")
    assert [u.code for u in d.co_units] == ["west"] and row.line == 2 and not row.assign


def test_unknown_and_missing_headers_are_named(sv):
    headers = ["事项名称", "主管单位", "完成时间", "备注", "事项名称"]
    parsed = read_matters(workbook([{"事项名称": "甲", "主管单位": "east", "完成时间": "2026-04-01"}],
                                    headers=headers), today=TODAY)
    texts = [str(p) for p in parsed.problems]
    assert any("无法识别的列“主管单位”（B 列）" in t for t in texts)
    assert any("无法识别的列“完成时间”（C 列）" in t for t in texts)
    assert any("无法识别的列“备注”（D 列）" in t for t in texts)
    assert any("“事项名称”列重复（与 A 列相同）" in t for t in texts)
    assert any("缺少必填列：主办单位、办结时限" in t for t in texts)
    assert len(texts) == 5 and parsed.rows == []


def test_a_sheet_without_headers_or_rows_is_refused_with_a_message(sv, client):
    client.force_login(sv.cast.office)
    r = post(client, workbook([], headers=["第一列", "第二列"], sheet="Sheet1"))
    assert r.status_code == 400 and "找不到表头" in r.content.decode()
    r = post(client, workbook([]))
    assert r.status_code == 400 and "表中没有填写任何事项" in r.content.decode()


def test_a_value_outside_the_named_columns_is_a_problem(sv):
    data = workbook([{**good_row(), "": "多余的内容"}], headers=["事项名称", "主办单位", "办结时限", ""])
    parsed = read_matters(data, today=TODAY)
    assert [str(p) for p in parsed.problems] == ["第 2 行：D 列没有表头，其中的内容无法导入"]
