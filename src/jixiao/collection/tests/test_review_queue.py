"""The office's 待审核 queue: submitted values listed by name with filters and pages, verified or
returned in batches by one service call (one transaction, audited, one ledger change)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.collection import views_review
from jixiao.collection.models import Value, ValueChange
from jixiao.collection.services import value_review_batch, value_save
from jixiao.core.errors import NotAllowed, ServiceError, StaleEdit

URL = "/ledger/review/"


def _submitted(cast: Any, scope: Any) -> dict[str, Value]:
    rep, stats, office = scope(cast.reporter), scope(cast.stats), scope(cast.office)
    out = {
        "east_gdp": value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                               variable="value", value=Decimal("8156"), submit=True),
        "east_tax": value_save(actor=cast.stats, scope=stats, period=cast.q1, obj=cast.east_obj, indicator="tax",
                               variable="value", value=Decimal("420"), submit=True),
        "west_tax": value_save(actor=cast.stats, scope=stats, period=cast.q2, obj=cast.west_obj, indicator="tax",
                               variable="value", value=Decimal("380"), submit=True),
        "draft": value_save(actor=cast.reporter, scope=rep, period=cast.q2, obj=cast.east_obj, indicator="gdp",
                            variable="value", value=Decimal("1")),
        "verified": value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.west_obj, indicator="gdp",
                               variable="value", value=Decimal("2")),
    }
    return out


@pytest.mark.django_db
def test_the_queue_lists_submitted_values_by_name(cast: Any, scope: Any, client: Any) -> None:
    vals = _submitted(cast, scope)
    client.force_login(cast.office)
    resp = client.get(URL)
    assert [r["v"].pk for r in resp.context["rows"]] == [vals[k].pk for k in ("east_gdp", "east_tax", "west_tax")]
    html = resp.content.decode()
    assert "地区生产总值" in html and "税收收入" in html and "东镇" in html and "8156" in html
    assert cast.q1.name in html and "east_reporter" in html and "stats" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), [
    ("unit={west}", ["west_tax"]),
    ("indicator=tax", ["east_tax", "west_tax"]),
    ("period=2024-Q1", ["east_gdp", "east_tax"]),
    ("since={today}&until={today}", ["east_gdp", "east_tax", "west_tax"]),
    ("until=2000-01-01", []),
])
def test_the_queue_filters(cast: Any, scope: Any, client: Any, query: str, expected: list[str]) -> None:
    from django.utils import timezone

    vals = _submitted(cast, scope)
    client.force_login(cast.office)
    q = query.format(west=cast.west.pk, today=timezone.localdate().isoformat())
    resp = client.get(f"{URL}?{q}")
    assert [r["v"].pk for r in resp.context["rows"]] == [vals[k].pk for k in expected]


@pytest.mark.django_db
def test_a_date_not_in_chinese_form_is_a_chinese_error(cast: Any, scope: Any, client: Any) -> None:
    _submitted(cast, scope)
    client.force_login(cast.office)
    resp = client.get(f"{URL}?since=12/05/2024")
    assert "不是有效日期，请按 2024-12-05 的格式填写" in resp.context["form"].errors["since"][0]
    html = resp.content.decode()
    assert 'placeholder="2024-12-05"' in html and 'type="date"' not in html
    # 2024年12月5日 is understood
    assert client.get(f"{URL}?since=2024年12月5日").context["form"].errors == {}


@pytest.mark.django_db
def test_the_queue_is_paginated_keeping_its_filters(cast: Any, scope: Any, client: Any, monkeypatch: Any) -> None:
    _submitted(cast, scope)
    monkeypatch.setattr(views_review, "QUEUE_PAGE", 2)
    client.force_login(cast.office)
    first = client.get(URL + "?since=2000-01-01")
    html = first.content.decode()
    assert len(first.context["rows"]) == 2 and "第 1 / 2 页" in html
    assert "since=2000-01-01&amp;page=2" in html
    assert len(client.get(URL + "?since=2000-01-01&page=2").context["rows"]) == 1


def _spy(monkeypatch: Any) -> list[tuple[int, list[tuple[str, int]]]]:
    from jixiao.collection.services import review

    calls: list[tuple[int, list[tuple[str, int]]]] = []
    real = review.ledger_touch

    def touch(*, assessment_id: int, objects: Any = (), categories: Any = ()) -> int:
        calls.append((assessment_id, list(objects)))
        return real(assessment_id=assessment_id, objects=objects, categories=categories)

    monkeypatch.setattr(review, "ledger_touch", touch)
    return calls


@pytest.mark.django_db
def test_batch_approve_is_one_call_audited_without_recompute(cast: Any, scope: Any, client: Any,
                                                             monkeypatch: Any) -> None:
    vals = _submitted(cast, scope)
    ids = [vals["east_gdp"].pk, vals["west_tax"].pk]
    calls = _spy(monkeypatch)
    client.force_login(cast.office)  # a login is itself audited
    changes, audits = ValueChange.objects.count(), AuditEntry.objects.count()
    resp = client.post(URL + "?indicator=", {"ids": ids, "approve": ""})
    assert resp.status_code == 302
    assert set(Value.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Value.Status.VERIFIED}
    assert Value.objects.get(pk=vals["east_tax"].pk).status == Value.Status.SUBMITTED
    assert ValueChange.objects.count() == changes + 2 and AuditEntry.objects.count() == audits + 2
    assert calls == []  # submitted values count already: no score moves


@pytest.mark.django_db
def test_batch_return_needs_a_reason_and_records_one_ledger_change(cast: Any, scope: Any, client: Any,
                                                                   monkeypatch: Any) -> None:
    vals = _submitted(cast, scope)
    ids = [vals["east_gdp"].pk, vals["east_tax"].pk]
    client.force_login(cast.office)
    resp = client.post(URL, {"ids": ids, "return": "", "reason": " "}, follow=True)
    assert "退回需要填写理由" in resp.content.decode()
    assert set(Value.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Value.Status.SUBMITTED}
    calls = _spy(monkeypatch)
    client.post(URL, {"ids": ids, "return": "", "reason": "请附统计公报"})
    returned = Value.objects.filter(pk__in=ids)
    assert {(v.status, v.return_reason) for v in returned} == {(Value.Status.RETURNED, "请附统计公报")}
    assert calls == [(cast.assessment.pk, [("town", cast.east_obj.pk)])]


@pytest.mark.django_db
def test_a_batch_with_a_value_handled_meanwhile_changes_nothing(cast: Any, scope: Any) -> None:
    vals = _submitted(cast, scope)
    office = scope(cast.office)
    with pytest.raises(StaleEdit, match="1 个已被他人处理"):
        value_review_batch(actor=cast.office, scope=office, value_ids=[vals["east_gdp"].pk, vals["verified"].pk],
                           approve=True)
    assert Value.objects.get(pk=vals["east_gdp"].pk).status == Value.Status.SUBMITTED
    with pytest.raises(ServiceError, match="请先勾选"):
        value_review_batch(actor=cast.office, scope=office, value_ids=[], approve=True)
    with pytest.raises(NotAllowed):
        value_review_batch(actor=cast.reporter, scope=scope(cast.reporter), value_ids=[vals["east_gdp"].pk],
                           approve=True)


@pytest.mark.django_db
def test_the_queue_is_the_offices_only(cast: Any, client: Any) -> None:
    client.force_login(cast.reporter)
    resp = client.get(URL)
    assert resp.status_code == 403 and "待审核数据只对绩效办和单位负责人开放" in resp.content.decode()


@pytest.mark.django_db
def test_the_queue_has_bounded_queries(cast: Any, scope: Any, client: Any,
                                       django_assert_max_num_queries: Any) -> None:
    _submitted(cast, scope)
    client.force_login(cast.office)
    with django_assert_max_num_queries(14):
        client.get(URL)
