"""Results pages cost the same number of queries with 2 towns as with 22, and an object's page
the same with five times its values, incidents, ballots and files (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.collection.tests.scaling import fill, grow, queries
from jixiao.scoring.models import Result

# page → (bound on queries, who opens it). Measured: ranking 10 (its page count, the grade counts
# of the whole category and the results-pending check included), object 18.
PAGES = {
    "/results/mini-2024/category/town/": (11, ["office", "reporter", "leader", "stats"]),
    "/results/mini-2024/object/east/": (21, ["office", "reporter", "leader"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(PAGES))
def test_queries_do_not_grow_with_the_county(cast: Any, scope: Any, client: Any, url: str,
                                             django_assert_max_num_queries: Any) -> None:
    bound, users = PAGES[url]
    fill(cast, scope, ["east", "west"])
    small = {}
    for who in users:
        client.force_login(getattr(cast, who))
        small[who] = queries(client, url)
    grow(cast, scope, 20)
    assert Result.objects.filter(category="town").count() == 22
    big = {}
    for who in users:
        client.force_login(getattr(cast, who))
        client.get(url)
        with django_assert_max_num_queries(bound) as ctx:
            resp = client.get(url)
        assert resp.status_code == 200
        big[who] = len(ctx)
        html = resp.content.decode()
        if who == "office" and "category" in url:
            assert html.count("data-object=") == 22
        if who == "office" and "object" in url:
            assert html.count("报表.pdf") >= 5 * 4  # east's files on values of two periods
    assert big == small
