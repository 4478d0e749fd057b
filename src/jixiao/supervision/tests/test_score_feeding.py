"""Matters feed the ``supervision`` indicators end to end: a matter closed on time, one past its
deadline after the daily sync, a return — each reaches the ledger (via ``supervision``, with its
history) and the object's result; nobody can type the counted values; the leaf's source picks
the kind of matter; an approved extension moves a matter to the period of its new deadline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.collection.models import Value, ValueChange
from jixiao.collection.services import ValueInput, value_save, values_bulk_upsert
from jixiao.core.errors import NotAllowed
from jixiao.schemes import services as sch
from jixiao.schemes.models import Assessment, Period
from jixiao.scoring.models import Result
from jixiao.supervision.models import Matter
from jixiao.supervision.services import (
    extension_decide,
    extension_request,
    matter_check,
    matter_close,
    matter_feedback,
    matter_sign,
)
from jixiao.supervision.services.scores import supervision_values_sync

from .conftest import assigned, make_input

pytestmark = pytest.mark.django_db

# A 2026 scheme on the cast's town category (the cast's own mini-2024 scheme stays untouched).
SCHEME = """
code: sv-2026
name: 督办计分测试方案
scale: 100
periods: {frequency: quarter, year: 2026, rollup: mean}
categories:
  - code: town
    name: 乡镇
    indicators:
      - code: gdp
        name: 地区生产总值
        points: 80
        rule: {method: ratio, target: 100}
      - code: dbsx
        name: 督办事项办理
        points: 10
        source: 督办事项
        rule: {method: supervision, per_overdue: 2, per_returned: 1}
      - code: zgsx
        name: 整改事项办理
        points: 10
        source: 整改事项
        rule: {method: supervision, per_overdue: 2, per_returned: 1}
    results:
      grades:
        bands: [{name: 优秀, min: 90}, {name: 合格, min: 60}, {name: 不合格}]
"""


def adopt(cast: Any) -> Assessment:
    """The 2026 assessment with the supervision indicators, and 东镇's and 西镇's GDP in Q1."""
    version = sch.scheme_create(actor=None, code="sv-2026", name="督办计分测试方案", text=SCHEME)
    sch.scheme_version_adopt(actor=None, version=version)
    a = sch.assessment_create(actor=None, code="sv-2026", name="测试县2026年度考核", year=2026, version=version)
    values_bulk_upsert(actor=cast.office, scope=_scope(cast.office), period=a.periods.get(code="2026-Q1"),
                       via="form", rows=[ValueInput("east", "gdp", "value", Decimal(95)),
                                         ValueInput("west", "gdp", "value", Decimal(95))])
    return a


def _scope(user: Any) -> Any:
    from jixiao.org.selectors import scope_for_user

    return scope_for_user(user)


def counts(period: Period, obj: Any, indicator: str = "dbsx") -> dict[str, int]:
    return {v: int(x) for v, x in Value.objects.filter(period=period, object=obj, indicator=indicator)
            .values_list("variable", "value")}


def q1_total(a: Assessment, obj: Any) -> float:
    return Result.objects.get(assessment=a, object=obj).periods["2026-Q1"]["total"]


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def report(sv: Any, matter: Matter, text: str = "已完成") -> None:
    c = sv.cast
    matter_feedback(actor=c.reporter, scope=sv.scope(c.reporter), matter=Matter.objects.get(pk=matter.pk),
                    unit=c.east, text=text, final=True, uploads=[pdf("改造方案.pdf"), pdf("验收报告.pdf")])


ZERO = {"due": 0, "on_time": 0, "overdue": 0, "returned": 0}


def test_on_time_overdue_and_returned_reach_the_ledger_and_the_result(sv):
    c = sv.cast
    a = adopt(c)
    q1 = a.periods.get(code="2026-Q1")
    office = sv.scope(c.office)
    assert supervision_values_sync() == 16  # 2 objects × 2 indicators × 4 variables, nothing due yet
    assert counts(q1, c.east_obj) == counts(q1, c.west_obj) == ZERO
    east_before, west_before = q1_total(a, c.east_obj), q1_total(a, c.west_obj)
    assert east_before == west_before == 96.0  # 95% of 80 + full marks while nothing is due

    # 东镇 reports, is returned once, reports again on time; the office passes it, the leader closes it.
    m = matter_sign(actor=c.reporter, scope=sv.scope(c.reporter), matter=sv.east_task)
    report(sv, m)
    matter_check(actor=c.office, scope=office, matter=Matter.objects.get(pk=m.pk), passed=False, reason="缺验收签字")
    assert counts(q1, c.east_obj) == {**ZERO, "returned": 1}
    assert q1_total(a, c.east_obj) == 95.0  # 10 − 1 per return
    sv.travel(dt.date(2026, 3, 10))
    report(sv, m, "已补签字")
    matter_check(actor=c.office, scope=office, matter=Matter.objects.get(pk=m.pk), passed=True)
    assert counts(q1, c.east_obj) == {"due": 1, "on_time": 1, "overdue": 0, "returned": 1}
    matter_close(actor=c.leader, scope=sv.scope(c.leader), matter=Matter.objects.get(pk=m.pk))
    assert q1_total(a, c.east_obj) == 95.0

    # 西镇's matter passed its deadline (03-04) unreported: the daily sync counts it overdue.
    assert counts(q1, c.west_obj) == ZERO  # nothing has told the ledger yet
    assert supervision_values_sync() == 2  # due and overdue of 西镇; everything else is unchanged
    assert counts(q1, c.west_obj) == {"due": 1, "on_time": 0, "overdue": 1, "returned": 0}
    assert q1_total(a, c.west_obj) == 86.0  # 10 × 0/1 − 2, not below zero: the indicator drops to 0
    assert supervision_values_sync() == 0  # a second run writes nothing

    # Every count is verified, written by the system and kept in the value's history.
    fed = Value.objects.filter(period=q1, indicator__in=("dbsx", "zgsx"))
    assert not fed.exclude(status=Value.Status.VERIFIED).exists()
    overdue = Value.objects.get(period=q1, object=c.west_obj, indicator="dbsx", variable="overdue")
    history = list(overdue.changes.order_by("at", "id").values_list("via", "before", "after", "actor"))
    assert history == [("supervision", None, Decimal(0), None), ("supervision", Decimal(0), Decimal(1), None)]
    assert not ValueChange.objects.filter(value__indicator__in=("dbsx", "zgsx")).exclude(via="supervision").exists()


def test_nobody_types_a_counted_value(sv):
    c = sv.cast
    a = adopt(c)
    q1 = a.periods.get(code="2026-Q1")
    supervision_values_sync()
    for user in (c.reporter, c.office):
        with pytest.raises(NotAllowed, match="督办系统"):
            value_save(actor=user, scope=sv.scope(user), period=q1, obj=c.east_obj, indicator="dbsx",
                       variable="on_time", value=Decimal(5))
        with pytest.raises(NotAllowed, match="督办系统"):
            values_bulk_upsert(actor=user, scope=sv.scope(user), period=q1, via="import",
                               rows=[ValueInput("east", "dbsx", "overdue", Decimal(0))])
    assert counts(q1, c.east_obj) == ZERO


def test_the_leaf_source_picks_the_kind_of_matter(sv):
    c = sv.cast
    a = adopt(c)
    q1 = a.periods.get(code="2026-Q1")
    assigned(c, make_input(c, title="整改河道垃圾", lead=c.west, deadline=dt.date(2026, 3, 20),
                           kind=Matter.Kind.RECTIFICATION, source=Matter.Source.INSPECTION))
    sv.travel(dt.date(2026, 3, 25))
    supervision_values_sync()
    assert counts(q1, c.west_obj, "zgsx") == {"due": 1, "on_time": 0, "overdue": 1, "returned": 0}
    assert counts(q1, c.west_obj, "dbsx") == {"due": 1, "on_time": 0, "overdue": 1, "returned": 0}  # west_task
    assert counts(q1, c.east_obj, "zgsx") == ZERO


def test_an_approved_extension_moves_the_matter_to_its_new_period(sv):
    c = sv.cast
    a = adopt(c)
    q1, q2 = a.periods.get(code="2026-Q1"), a.periods.get(code="2026-Q2")
    m = matter_sign(actor=c.reporter, scope=sv.scope(c.reporter), matter=sv.east_task)
    sv.travel(dt.date(2026, 3, 30))
    ext = extension_request(actor=c.reporter, scope=sv.scope(c.reporter), matter=m,
                            new_deadline=dt.date(2026, 4, 20), reason="拆迁协商未完成")
    extension_decide(actor=c.leader, scope=sv.scope(c.leader), extension=ext, approve=True)
    sv.travel(dt.date(2026, 4, 10))
    supervision_values_sync()
    assert counts(q1, c.east_obj) == ZERO  # no longer due in March
    assert counts(q2, c.east_obj) == ZERO  # due on 04-20, not yet
    sv.travel(dt.date(2026, 4, 21))
    supervision_values_sync()
    assert counts(q2, c.east_obj) == {"due": 1, "on_time": 0, "overdue": 1, "returned": 0}
    assert counts(q1, c.east_obj) == ZERO


def test_a_closed_period_keeps_its_counts(sv):
    c = sv.cast
    a = adopt(c)
    q1 = a.periods.get(code="2026-Q1")
    supervision_values_sync()
    sch.period_close(actor=c.office, period=q1)
    sv.travel(dt.date(2026, 4, 2))
    assert supervision_values_sync() == 16  # Q2 has begun: its zeros; Q1 is closed and left alone
    assert counts(q1, c.west_obj) == ZERO  # west_task became overdue after the close was decided
