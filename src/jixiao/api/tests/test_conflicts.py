"""Closed periods and stale edits are refused with 409 and a clear message; nothing is written."""

from decimal import Decimal

import pytest

from jixiao.collection.models import Value
from jixiao.collection.services import value_save
from jixiao.schemes.services import period_close

URL = "/api/assessments/mini-2024/periods/2024-Q1/values/"


@pytest.mark.django_db
def test_closed_period_refuses_bulk_writes(cast, api):
    period_close(actor=None, period=cast.q1)
    r = api(cast.office).post(URL, {"values": [{"object": "east", "indicator": "gdp", "value": 90}]}, format="json")
    assert r.status_code == 409
    assert "已关闭" in r.json()["detail"]
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_closed_period_refuses_a_single_change(cast, scope, api):
    v = value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.east_obj,
                   indicator="gdp", variable="value", value=Decimal("80"))
    period_close(actor=None, period=cast.q1)
    r = api(cast.office).put(f"/api/values/{v.pk}/", {"value": 90, "version": v.version}, format="json")
    assert r.status_code == 409
    v.refresh_from_db()
    assert v.value == 80


@pytest.mark.django_db
def test_stale_put_is_refused_and_names_who_saved_first(cast, scope, api):
    v = value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                   indicator="gdp", variable="value", value=Decimal("80"))
    read_version = v.version
    first = api(cast.reporter).put(f"/api/values/{v.pk}/", {"value": "85", "version": read_version}, format="json")
    assert first.status_code == 200, first.content
    assert first.json()["value"] == "85" and first.json()["version"] == read_version + 1
    assert first.json()["status"] == "submitted"
    stale = api(cast.office).put(f"/api/values/{v.pk}/", {"value": "70", "version": read_version}, format="json")
    assert stale.status_code == 409
    assert stale.json()["field"] == "value"
    assert "east_reporter" in stale.json()["detail"] and "85" in stale.json()["detail"]
    v.refresh_from_db()
    assert (v.value, v.version) == (85, read_version + 1)


@pytest.mark.django_db
def test_put_needs_a_version_and_the_right_to_report(cast, scope, api):
    v = value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.east_obj,
                   indicator="tax", variable="value", value=Decimal("300"))
    r = api(cast.office).put(f"/api/values/{v.pk}/", {"value": 1}, format="json")
    assert r.status_code == 400
    assert [e["field"] for e in r.json()["errors"]] == ["version"]
    # 东镇's reporter sees its tax value but 县统计局 reports it.
    r = api(cast.reporter).put(f"/api/values/{v.pk}/", {"value": 1, "version": v.version}, format="json")
    assert r.status_code == 403
    assert "县统计局" in r.json()["detail"]
    v.refresh_from_db()
    assert v.value == 300
