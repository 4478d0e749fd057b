"""The flags as the office meets them: gathered from the ledger, shown on the review page with
their explanation, marked checked (audited); they never touch a score."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_review_page_explains_and_marks_checked(dt: Any, scope: Any, client: Any, settings: Any) -> None:
    from jixiao.audit.models import AuditEntry
    from jixiao.collection.models import Value
    from jixiao.collection.services import ValueInput, values_bulk_upsert
    from jixiao.datatrust.models import FlagCheck
    from jixiao.datatrust.selectors import flags_review
    from jixiao.scoring.selectors import result_of

    settings.JIXIAO_FLAG_THRESHOLDS = {"min_targets": 2, "min_same": 2}
    c = dt.cast
    office = scope(c.office)
    # 东镇 reports exactly the targets (gdp 100, tax 500); both towns report the same precise gdp in Q2.
    values_bulk_upsert(actor=c.office, scope=office, period=c.q1, via="api", rows=[
        ValueInput("east", "gdp", "value", Decimal(100)), ValueInput("east", "tax", "value", Decimal(500)),
        ValueInput("west", "gdp", "value", Decimal("97.5")), ValueInput("west", "tax", "value", Decimal(480))])
    values_bulk_upsert(actor=c.office, scope=office, period=c.q2, via="api", rows=[
        ValueInput("east", "gdp", "value", Decimal("101.37")), ValueInput("west", "gdp", "value", Decimal("101.37"))])
    before = result_of(assessment=c.assessment, obj=c.east_obj)
    rows, counts = flags_review(scope=office, assessment=c.assessment)
    got = {(r.rule, r.value.object.code, r.value.indicator, r.value.period.code) for r in rows}
    assert {("at_target", "east", "gdp", "2024-Q1"), ("at_target", "east", "tax", "2024-Q1")} <= got
    assert {("identical", "east", "gdp", "2024-Q2"), ("identical", "west", "gdp", "2024-Q2")} <= got
    assert ("at_target", "west", "gdp", "2024-Q1") not in got
    assert counts["at_target"] == 2

    client.force_login(c.office)
    page = client.get("/data/flags/mini-2024/").content.decode()
    assert "完成值恰好等于目标值" in page and "2 个考核对象本期该指标都报了 101.37" in page
    vid = Value.objects.get(assessment=c.assessment, object=c.east_obj, indicator="gdp", period=c.q1).pk
    resp = client.post("/data/flags/mini-2024/check", {"rule": "at_target", "value_id": vid, "note": "已电话核实"})
    assert resp.status_code == 302
    assert FlagCheck.objects.get(value_id=vid).note == "已电话核实"
    assert AuditEntry.objects.filter(action="flag_check").count() == 1
    page = client.get("/data/flags/mini-2024/?rule=at_target&unchecked=1").content.decode()
    assert f'id="flag-at_target-{vid}"' not in page and "已电话核实" not in page
    page = client.get("/data/flags/mini-2024/?rule=at_target").content.decode()
    assert "已核查" in page and "已电话核实" in page
    after = result_of(assessment=c.assessment, obj=c.east_obj)
    assert before is not None and after is not None and after.total == before.total  # flags never score


def test_catalogue_pages_walk(dt: Any, client: Any) -> None:
    from jixiao.collection.models import Value

    c = dt.cast
    client.force_login(c.stats)
    resp = client.post(f"/data/figures/{dt.figure.pk}/value", {"unit": c.west.pk, "period": "2024-Q2",
                                                                 "value": "1,234.5"})
    assert resp.status_code == 302
    page = client.get(resp["Location"]).content.decode()
    assert "已写入：mini-2024（1）、mini-2024-b（1）" in page
    resp = client.post(f"/data/figures/{dt.figure.pk}/value", {"unit": c.west.pk, "period": "2024-Q2",
                                                                 "value": "1300"})
    assert resp.status_code == 400 and "更正须注明依据" in resp.content.decode()
    page = client.get(f"/data/figures/{dt.figure.pk}/lineage").content.decode()
    assert "测试县2024年度考核" in page and "测试县2024年度专项考核" in page and "来自数据指标库（县统计局，" in page
    v = Value.objects.get(assessment=c.assessment, object=c.west_obj, indicator="tax", period=c.q2)
    ledger = client.get("/ledger/mini-2024/2024-Q2/west/").content.decode()
    assert v.note in ledger
