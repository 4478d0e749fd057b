"""Checklist item 11 (no mass assignment): a status, a score, an approval, an author or another
record's keys sent along with a value are ignored — the API and the ledger form write the value and
nothing else; what decides the status is who saves (a reporter's save is submitted, never verified)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from jixiao.api.services import api_token_create
from jixiao.collection.models import Value
from jixiao.collection.services import value_save

pytestmark = pytest.mark.django_db

SMUGGLED = {"status": "verified", "updated_by": "office", "verified_by": "office", "score": "100",
            "object": "west", "period": "2024-Q2", "assessment": "other", "indicator": "tax", "id": 999999,
            "approved": True, "created_at": "2000-01-01T00:00:00Z"}


@pytest.fixture
def gdp(cast: Any, scope: Any) -> Value:
    return value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                      indicator="gdp", variable="value", value=Decimal("80"), submit=True)


def test_item_11_api_put_ignores_smuggled_fields(cast: Any, gdp: Value) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(actor=None, user=cast.reporter)}")
    r = client.put(f"/api/values/{gdp.pk}/", {"value": "81", "version": gdp.version, **SMUGGLED}, format="json")
    assert r.status_code == 200, r.content
    stored = Value.objects.select_related("period", "object", "updated_by").get(pk=gdp.pk)
    assert stored.value == Decimal("81") and stored.status == Value.Status.SUBMITTED
    assert (stored.period.code, stored.object.code, stored.indicator) == ("2024-Q1", "east", "gdp")
    assert stored.updated_by == cast.reporter
    assert not Value.objects.filter(pk=999999).exists()
    assert Value.objects.count() == 1


def test_item_11_ledger_form_ignores_smuggled_fields(cast: Any, gdp: Value, client: Any) -> None:
    client.force_login(cast.reporter)
    url = "/ledger/mini-2024/2024-Q1/east/"
    data = {"v__gdp__value": "82", "initial-v__gdp__value": "80", "ver__gdp__value": str(gdp.version),
            "n__gdp": "", "initial-n__gdp": "", "save": "", **{k: str(v) for k, v in SMUGGLED.items()},
            "st__gdp__value": "verified", "v__gdp__status": "verified"}
    resp = client.post(url, data)
    assert resp.status_code in (200, 302), resp.content[:300]
    stored = Value.objects.get(pk=gdp.pk)
    assert stored.value == Decimal("82") and stored.status == Value.Status.DRAFT  # "save" keeps a draft
    assert stored.updated_by == cast.reporter and Value.objects.count() == 1
