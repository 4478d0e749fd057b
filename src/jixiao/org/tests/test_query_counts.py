"""The organisation page costs the same number of queries with 2 towns as with 22 (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.collection.tests.scaling import fill, grow, queries

URL = "/org/"
TABS = ("", "?show=objects", "?show=people")
BOUND = 11  # measured 7: session, user, scope (3), the tab's count and page (units: and categories)


@pytest.mark.django_db
def test_org_page_queries_do_not_grow(cast: Any, scope: Any, client: Any, django_assert_max_num_queries: Any) -> None:
    users = ["office", "reporter", "leader", "stats", "outsider"]
    fill(cast, scope, ["east", "west"])
    small = {}
    for who in users:
        client.force_login(getattr(cast, who))
        for tab in TABS:
            small[who, tab] = queries(client, URL + tab)
    grow(cast, scope, 20)
    big = {}
    for who in users:
        client.force_login(getattr(cast, who))
        client.get(URL)
        html = ""
        for tab in TABS:
            with django_assert_max_num_queries(BOUND) as ctx:
                resp = client.get(URL + tab)
            assert resp.status_code == 200
            big[who, tab] = len(ctx)
            html += resp.content.decode()
        if who == "office":
            assert "新镇19" in html and "干部19" in html
        if who == "leader":  # the towns he oversees, not the others
            assert "新镇18" in html and "新镇19" not in html
    # The small cast has no staff yet: its people tab reads no page of them (one query less).
    assert {k: v for k, v in big.items() if k[1] != "?show=people"} == \
        {k: v for k, v in small.items() if k[1] != "?show=people"}
