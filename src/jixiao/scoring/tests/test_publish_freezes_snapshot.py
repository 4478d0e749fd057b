"""A publication is frozen: after a value changes and the results are recomputed, the ranking
page shows the new order while the published page still shows what was published."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.scoring.models import Publication, Result

from .approving import reopen_periods
from .conftest import enter

pytestmark = pytest.mark.django_db


def _order(html: str, table: str) -> list[str]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'data-object="(\w+)"', body)


def _published_table(html: str) -> str:
    return html.split('id="publication"', 1)[1].split("</article>", 1)[0]


def test_recompute_changes_ranking_not_publication(publication: Publication, ranked: Any, scope: Any,
                                                   client: Any) -> None:
    client.force_login(ranked.reporter)
    link = f"/results/published/{publication.token}/"
    before = client.get(link).content.decode()
    assert _order(before, "published") == ["west", "east"]
    assert "36.00" in _published_table(before) and "24.00" in _published_table(before)
    assert "此后考核结果重新计算不会改变本页内容" in before

    # East overtakes west: 100 → 40 points, recomputed by the save.
    reopen_periods(ranked)
    enter(ranked, scope, ranked.east_obj, "100")
    assert Result.objects.get(object=ranked.east_obj).rank == 1

    client.force_login(ranked.office)
    ranking = client.get("/results/mini-2024/category/town/").content.decode()
    assert _order(ranking, "ranking") == ["east", "west"]
    assert "40.00" in ranking

    client.force_login(ranked.reporter)
    after = client.get(link).content.decode()
    assert _published_table(after) == _published_table(before)
    assert _order(after, "published") == ["west", "east"]
    assert "40.00" not in _published_table(after)
    publication.refresh_from_db()
    assert [r["total"] for r in publication.snapshot["rows"]] == [36.0, 24.0]
