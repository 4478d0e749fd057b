"""The cockpit keeps the progress it has worked out for the next view, and only while the stored
scores are the ones it was worked out from: after a save and its recompute the next view shows
the new numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.services import ValueInput, values_bulk_upsert
from jixiao.dashboard.tests.conftest import COCKPIT
from jixiao.dashboard.tests.helpers import specs

pytestmark = pytest.mark.django_db


def _trend(client: Any) -> list[Any]:
    return specs(client.get(COCKPIT + "?asof=2024-03-31").content.decode())["trend"]["rows"]


def _east(client: Any) -> list[Any]:
    rows = specs(client.get(COCKPIT + "indicator/gdp/?asof=2024-03-31").content.decode())["objects"]["rows"]
    return next(r for r in rows if r[0] == "东镇")


def test_a_save_shows_on_the_next_view(filled: Any, scope: Any, client: Any) -> None:
    client.force_login(filled.office)
    before, trend = _east(client), _trend(client)
    assert before[1:3] == [10.0, 4.0]  # 40 of a target of 100 in Q1
    # The second views (from this process's memory) are the same.
    assert _east(client) == before and _trend(client) == trend
    values_bulk_upsert(actor=filled.office, scope=scope(filled.office), period=filled.q1, via="api",
                       rows=[ValueInput(object="east", indicator="gdp", variable="value", value=Decimal(80))])
    assert _east(client)[1:3] == [20.0, 8.0]
    now = _trend(client)
    assert len(now) == len(trend) == 1 and now[0][2] > trend[0][2]  # the mean completion rose
