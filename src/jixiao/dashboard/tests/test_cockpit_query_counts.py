"""The cockpit pages cost the same number of queries with 2 towns as with 22 (no query per unit,
indicator, period or matter), for the office and for a leader."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.collection.tests.scaling import fill, grow, queries
from jixiao.dashboard.tests.conftest import COCKPIT
from jixiao.scoring.models import Result

# page → bound on queries. Measured (2 or 22 towns, office / leader): cockpit 14 / 15, indicator 9 / 10,
# unit 9 / 10, export 8 / 9 (an export draws its chart only: no matters, no recording rates).
PAGES = {
    COCKPIT: 18,
    COCKPIT + "?asof=2024-06-30": 18,
    COCKPIT + "indicator/gdp/": 12,
    COCKPIT + "unit/east/": 12,
    COCKPIT + "?export=ranking": 12,
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(PAGES))
def test_queries_do_not_grow_with_the_county(cast: Any, scope: Any, client: Any, url: str,
                                             django_assert_max_num_queries: Any) -> None:
    fill(cast, scope, ["east", "west"])
    small = {}
    for who in ("office", "leader"):
        client.force_login(getattr(cast, who))
        small[who] = queries(client, url)
    grow(cast, scope, 20)
    assert Result.objects.filter(category="town").count() == 22
    big = {}
    for who in ("office", "leader"):
        client.force_login(getattr(cast, who))
        client.get(url)
        with django_assert_max_num_queries(PAGES[url]) as ctx:
            resp = client.get(url)
        assert resp.status_code == 200
        big[who] = len(ctx)
    assert big == small
