"""Closing a campaign moves the rated objects' stored scores through the ledger's normal write path
(the worker's recompute, run here by hand), and the ranking changes; the values of a 写入指标数值
campaign say in their history that they came from the campaign."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.models import ValueChange
from jixiao.evaluations.services import campaign_close, rater_group_add, token_redeem, tokens_issue
from jixiao.scoring.recompute import results_refresh
from jixiao.scoring.selectors import result_of

from .conftest import make_campaign, opened

pytestmark = pytest.mark.django_db


def _score(cast: Any, obj: Any) -> tuple[Decimal, int]:
    results_refresh(assessment_id=cast.assessment.pk)
    r = result_of(assessment=cast.assessment, obj=obj)
    assert r is not None
    return (Decimal(str(r.total)).quantize(Decimal("0.01")) if r.total is not None else Decimal(0)), r.rank


def _rate(ev: Any, campaign: Any, group: Any, east: str, west: str, n: int = 5) -> None:
    for _, t in tokens_issue(actor=ev.cast.office, scope=ev.office_scope, campaign=campaign, group=group, count=n):
        token_redeem(token=t, ratings={ev.cast.east_obj.pk: {"总体评价": east},
                                       ev.cast.west_obj.pk: {"总体评价": west}})


def test_closing_changes_the_stored_score_and_the_ranking(ev: Any) -> None:
    cast = ev.cast
    from jixiao.collection.services import value_save
    # 东镇 leads on 地区生产总值 before the campaign
    value_save(actor=cast.office, scope=ev.office_scope, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal(100))
    value_save(actor=cast.office, scope=ev.office_scope, period=cast.q1, obj=cast.west_obj, indicator="gdp",
               variable="value", value=Decimal(80))
    (east0, east_rank0), (west0, _) = _score(cast, cast.east_obj), _score(cast, cast.west_obj)
    assert east0 > west0 and east_rank0 == 1
    opened(ev)
    _rate(ev, ev.campaign, ev.public, "不称职", "优秀")
    campaign_close(actor=cast.office, scope=ev.office_scope, campaign=ev.campaign)
    (east, east_rank), (west, west_rank) = _score(cast, cast.east_obj), _score(cast, cast.west_obj)
    assert east > east0 and west > west0  # the 领导评估 points arrived
    assert west - west0 > east - east0  # 30 of 30 points against 18 (60/100 × 30)
    assert west_rank == 1 and east_rank == 2  # the ranking changed


def test_a_value_campaign_writes_verified_values_whose_history_names_it(ev: Any) -> None:
    cast = ev.cast
    c = make_campaign(cast, name="地区生产总值群众评议", indicator="gdp", feed="value", scale="0-200")
    g = rater_group_add(actor=cast.office, scope=ev.office_scope, campaign=c, kind="public", name="群众",
                        weight=Decimal(1))
    ev.campaign = c
    opened(ev)
    _rate(ev, c, g, "100", "50")
    campaign_close(actor=cast.office, scope=ev.office_scope, campaign=c)
    change = ValueChange.objects.select_related("value").get(value__object=cast.east_obj)
    assert change.via == "evaluation" and change.note == "来自测评活动「地区生产总值群众评议」"
    assert change.value.status == "verified" and change.value.value == Decimal(100)
    from jixiao.collection.selectors import history_entries
    assert "测评活动结果" in history_entries([change])[0].text
