"""A big category's ranking comes in pages, with the grade counts of the whole category."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.collection.tests.scaling import fill, grow
from jixiao.scoring import views


@pytest.mark.django_db
def test_the_ranking_is_paginated_and_counts_every_grade(cast: Any, scope: Any, client: Any,
                                                         monkeypatch: Any) -> None:
    fill(cast, scope, ["east", "west"])
    grow(cast, scope, 20)  # 22 towns
    monkeypatch.setattr(views, "RANKING_PAGE", 10)
    client.force_login(cast.office)
    first = client.get("/results/mini-2024/category/town/").content.decode()
    last = client.get("/results/mini-2024/category/town/?page=3").content.decode()
    assert first.count("data-object=") == 10 and last.count("data-object=") == 2
    assert "第 1 / 3 页，共 22 条" in first and 'rel="next"' in first
    assert "第 3 / 3 页，共 22 条" in last and 'rel="prev"' in last
    # The grade summary counts all 22 on every page.
    summary = first.split("计算时间")[1].split("</small>")[0]
    assert sum(int(part.split()[-1]) for part in summary.split("·")[1].split("，")) == 22
