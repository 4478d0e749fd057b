"""全局搜索 finds by name what the user may open, and nothing outside his scope."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.search.selectors import search

pytestmark = pytest.mark.django_db


def test_office_finds_units_objects_and_indicators_by_name(cast: Any, scope: Any) -> None:
    found = search(scope=scope(cast.office), query="东镇")
    assert [h.title for h in found.kinds["单位"]] == ["东镇"]
    obj = found.kinds["考核对象"][0]
    assert obj.title == "东镇" and obj.url == "/results/mini-2024/object/east/"
    ind = search(scope=scope(cast.office), query="税收").kinds["指标"]
    assert [h.title for h in ind] == ["税收收入"]
    assert "测试县2024年度考核" in ind[0].detail and ind[0].url is not None


def test_reporter_finds_nothing_of_another_unit(cast: Any, scope: Any) -> None:
    found = search(scope=scope(cast.reporter), query="西镇")
    assert "单位" not in found.kinds and "考核对象" not in found.kinds
    assert search(scope=scope(cast.reporter), query="东镇").kinds["单位"][0].title == "东镇"
    # Indicators are found, but a reporter gets no cockpit link.
    assert all(h.url is None for h in search(scope=scope(cast.reporter), query="税收").kinds["指标"])


def test_blank_query_and_the_page(cast: Any, client: Any, scope: Any) -> None:
    assert search(scope=scope(cast.office), query="   ").total == 0
    client.force_login(cast.office)
    body = client.get("/search/", {"q": "东镇"}).content.decode()
    assert "考核对象" in body and "/results/mini-2024/object/east/" in body
    body = client.get("/search/", {"q": "不存在的名字"}).content.decode()
    assert "没有找到" in body
