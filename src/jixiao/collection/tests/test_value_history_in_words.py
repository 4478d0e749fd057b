"""A value's history reads in words: office or unit, the person's name, local time, what was done,
before → after and the statuses by their Chinese names — never "office / form / save / verified"."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.selectors import history_entries
from jixiao.collection.services import value_review, value_save, values_submit
from jixiao.collection.views import HISTORY_PAGE


def _story(cast: Any, scope: Any) -> Any:
    cast.office.first_name = "张三"
    cast.office.save()
    cast.reporter.first_name = "李四"
    cast.reporter.save()
    rep, office = scope(cast.reporter), scope(cast.office)
    v = value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                   variable="value", value=Decimal("8156"))
    values_submit(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj)
    value_review(actor=cast.office, scope=office, value=v, approve=False, reason="数值偏小")
    value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("9500"))
    return v


@pytest.mark.django_db
def test_each_change_reads_as_a_sentence(cast: Any, scope: Any) -> None:
    v = _story(cast, scope)
    texts = [e.text for e in history_entries(v.changes.all())]
    stamp = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"
    patterns = [
        rf"绩效办 张三 {stamp} 修改并审核：8156 → 9500（已退回 → 已审核）",
        rf"绩效办 张三 {stamp} 退回：8156 → 8156（已报送 → 已退回），理由：数值偏小",
        rf"东镇 李四 {stamp} 报送：8156 → 8156（草稿 → 已报送）",
        rf"东镇 李四 {stamp} 填报（草稿）：— → 8156（草稿）",
    ]
    assert len(texts) == len(patterns)
    for text, pattern in zip(texts, patterns, strict=True):
        assert re.fullmatch(pattern, text), text
    for code in ("office", "form", "save", "verified", "submitted", "draft"):
        assert all(code not in t for t in texts)


@pytest.mark.django_db
def test_the_time_is_local(cast: Any, scope: Any, settings: Any) -> None:
    from django.utils import timezone

    v = _story(cast, scope)
    newest = v.changes.all()[0]
    assert history_entries([newest])[0].at == f"{timezone.localtime(newest.at):%Y-%m-%d %H:%M}"


@pytest.mark.django_db
def test_the_history_page_and_fragment_show_words(cast: Any, scope: Any, client: Any) -> None:
    v = _story(cast, scope)
    client.force_login(cast.reporter)
    page = client.get(f"/ledger/values/{v.pk}/history").content.decode()
    assert "地区生产总值" in page and "修改并审核：8156 → 9500" in page and "verified" not in page
    fragment = client.get(f"/ledger/values/{v.pk}/history", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "东镇 李四" in fragment


@pytest.mark.django_db
def test_a_long_history_is_paginated_with_bounded_queries(cast: Any, scope: Any, client: Any,
                                                          django_assert_max_num_queries: Any) -> None:
    office = scope(cast.office)
    for n in range(HISTORY_PAGE + 5):
        v = value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                       variable="value", value=Decimal(n + 1))
    client.force_login(cast.office)
    with django_assert_max_num_queries(12):
        first = client.get(f"/ledger/values/{v.pk}/history")
    assert len(first.context["entries"]) == HISTORY_PAGE
    assert "第 1 / 2 页" in first.content.decode()
    assert len(client.get(f"/ledger/values/{v.pk}/history?page=2").context["entries"]) == 5


@pytest.mark.django_db
def test_the_history_export_reads_the_same_words(cast: Any, scope: Any, client: Any) -> None:
    import io

    from openpyxl import load_workbook

    v = _story(cast, scope)
    client.force_login(cast.office)
    resp = client.get(f"/ledger/values/{v.pk}/history?format=xlsx")
    assert resp.status_code == 200 and "filename*=UTF-8''" in resp["Content-Disposition"]
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert "地区生产总值" in rows[0][0] and rows[1][0] == "时间"
    assert [r[1:3] for r in rows[2:4]] == [["绩效办 张三", "修改并审核"], ["绩效办 张三", "退回"]]
    assert rows[2][5] == "已退回 → 已审核" and rows[3][6] == "数值偏小"
    flat = " ".join(str(c) for r in rows for c in r if c is not None)
    for code in ("verified", "submitted", "returned", "office", "save"):
        assert code not in flat
