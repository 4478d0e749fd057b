"""兑现金额表 on the page and as XLSX/PDF (amounts add up to the pool; a bad pool refused in
Chinese), and an object's years side by side."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.scoring.models import Publication, Result
from jixiao.scoring.seals import reseal_everything

pytestmark = pytest.mark.django_db
URL = "/outcomes/rewards/?assessment=mini-2024&category=town"


def test_pool_by_coefficient_times_score_adds_up(cast: Any, published: Publication, client: Any) -> None:
    Result.objects.filter(object=cast.east_obj).update(grade="先进")
    Result.objects.filter(object=cast.west_obj).update(grade="先进")
    reseal_everything()  # graded by hand for the case: sealed again, as a recompute would
    client.force_login(cast.office)
    html = client.get(URL + "&mode=pool_score&amount=10000.01").content.decode()
    assert 'id="paid-total"><strong>10000.01' in html
    resp = client.get(URL + "&mode=pool_score&amount=10000.01&fmt=xlsx")
    ws = load_workbook(io.BytesIO(resp.content)).active
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str) and "," in c]
    assert "10,000.01" in cells
    assert client.get(URL + "&mode=fixed&amount=5000&fmt=pdf").content.startswith(b"%PDF")


@pytest.mark.parametrize(("amount", "words"), [("-100", "金额不能为负数"), ("100.005", "金额须精确到分"),
                                               ("一万", "不是有效的金额")])
def test_bad_pool_refused_in_chinese(amount: str, words: str, cast: Any, published: Publication,
                                     client: Any) -> None:
    client.force_login(cast.office)
    html = client.get(URL + f"&mode=pool&amount={amount}").content.decode()
    assert words in html and 'id="paid"' not in html


def test_pool_with_no_coefficient_is_refused(cast: Any, published: Publication, client: Any) -> None:
    # The mini scheme's 合格 has coefficient 0: nobody to share a pool with.
    Result.objects.update(grade="合格")
    reseal_everything()
    client.force_login(cast.office)
    assert "均为0" in client.get(URL + "&mode=pool&amount=100").content.decode()


def test_object_years_side_by_side(cast: Any, published: Publication, client: Any) -> None:
    client.force_login(cast.reporter)
    html = client.get("/outcomes/object/east/years/").content.decode()
    assert 'data-year="2024"' in html and "测试县2024年度考核" in html
    assert client.get("/outcomes/object/west/years/").status_code == 404
    assert Decimal("0") <= Decimal(str(Result.objects.get(object=cast.east_obj).total))


def test_monthly_allowance_redistributed_by_the_period_scores(cast: Any, published: Publication,
                                                              client: Any) -> None:
    client.force_login(cast.office)
    html = client.get(URL + "&mode=period&period=2024-Q1&amount=3000").content.decode()
    assert 'id="paid-total"><strong>3000.00' in html
    # 西镇 36 and 东镇 24 points in Q1: 1800.00 and 1200.00.
    assert ">1800.00<" in html and ">1200.00<" in html
    assert "请选择按哪个考核期" in client.get(URL + "&mode=period&amount=3000").content.decode()


def test_two_rewards_are_not_cumulative_the_higher_applies(cast: Any, published: Publication, client: Any) -> None:
    Result.objects.filter(object=cast.west_obj).update(grade="先进")
    Result.objects.filter(object=cast.east_obj).update(grade="先进")
    reseal_everything()
    client.force_login(cast.office)
    # 本项: a pool of 1000.00 shared by coefficient (500.00 each); 其他: 800.00 per 先进 (coefficient 1).
    html = client.get(URL + "&mode=pool&amount=1000&other=800").content.decode()
    assert html.count(">800.00<") == 4 and html.count("其他奖励") >= 2
    assert 'id="paid-total"><strong>1600.00' in html
