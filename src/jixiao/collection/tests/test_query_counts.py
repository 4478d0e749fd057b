"""Ledger list pages cost the same number of queries with 2 towns as with 22 (no N+1), and stay
under a fixed bound."""

from __future__ import annotations

from typing import Any

import pytest

from .scaling import fill, grow, queries

# page → (bound on queries, who opens it). Measured: 10, 12, 9, 12, 7, 15 (session, user, scope: 5 of them).
PAGES = {
    "/ledger/mini-2024/2024-Q1/": (12, ["office", "reporter", "leader", "stats"]),
    "/ledger/mini-2024/2024-Q1/east/": (14, ["office", "reporter", "leader", "stats"]),
    "/ledger/incidents/": (11, ["office", "reporter", "leader", "stats"]),
    "/ledger/mini-2024/2024-Q1/rates": (14, ["office"]),
    "/ledger/review/": (9, ["office"]),
    "/": (18, ["office", "reporter", "leader", "stats"]),
}
# What each page shows once the county has grown, so the second count is of a bigger page.
GROWN = {
    "/ledger/mini-2024/2024-Q1/": ("office", "新镇19"),
    "/ledger/mini-2024/2024-Q1/east/": ("office", "报表.pdf"),
    "/ledger/incidents/": ("office", "新镇19"),
    "/ledger/mini-2024/2024-Q1/rates": ("office", "新镇19"),
    "/ledger/review/": ("office", "没有待审核的数据"),  # the office's own entries are verified at once
    "/": ("office", "考核进度"),
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
    big = {}
    for who in users:
        client.force_login(getattr(cast, who))
        client.get(url)
        with django_assert_max_num_queries(bound) as ctx:
            resp = client.get(url)
        assert resp.status_code == 200
        big[who] = len(ctx)
        if who == GROWN[url][0]:
            assert GROWN[url][1] in resp.content.decode(), "the grown data is not on the page"
    assert big == small
