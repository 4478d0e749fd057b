"""The organisation page costs the same number of queries with 2 towns as with 22 (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.collection.tests.scaling import fill, grow, queries

URL = "/org/"
BOUND = 11  # measured 9 (8 for the statistics bureau): session, user, scope (3), units, objects, people, categories


@pytest.mark.django_db
def test_org_page_queries_do_not_grow(cast: Any, scope: Any, client: Any, django_assert_max_num_queries: Any) -> None:
    users = ["office", "reporter", "leader", "stats", "outsider"]
    fill(cast, scope, ["east", "west"])
    small = {}
    for who in users:
        client.force_login(getattr(cast, who))
        small[who] = queries(client, URL)
    grow(cast, scope, 20)
    big = {}
    for who in users:
        client.force_login(getattr(cast, who))
        client.get(URL)
        with django_assert_max_num_queries(BOUND) as ctx:
            resp = client.get(URL)
        assert resp.status_code == 200
        big[who] = len(ctx)
        html = resp.content.decode()
        if who == "office":
            assert "新镇19" in html and "干部19" in html
        if who == "leader":  # the towns he oversees, not the others
            assert "新镇18" in html and "新镇19" not in html
    assert big == small
