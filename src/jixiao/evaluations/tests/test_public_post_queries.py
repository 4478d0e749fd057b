"""A public rating (评价码) POST: the token is read once, and the request's queries do not grow with
the number of towns rated — a burst of ballots (公众评议 on the day) costs the least it can."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.evaluations.models import Ballot, BallotScore, Token
from jixiao.evaluations.services import tokens_issue

from .conftest import opened

pytestmark = pytest.mark.django_db


def _post(client: Any, token: str, data: dict[str, str]) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.post(f"/e/{token}", data)
    return resp, [q["sql"] for q in ctx.captured_queries]


def test_one_read_of_the_token_and_a_fixed_number_of_queries(ev: Any, client: Any) -> None:
    opened(ev)
    (_, one), (_, two) = tokens_issue(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign,
                                      group=ev.public, count=2)
    east, west = ev.cast.east_obj.pk, ev.cast.west_obj.pk
    resp, single = _post(client, one, {f"o{east}d0": "优秀"})
    assert resp.status_code == 302 and resp["Location"].endswith("/e/thanks")
    resp, both = _post(client, two, {f"o{east}d0": "称职", f"o{west}d0": "优秀"})
    assert resp.status_code == 302
    assert Ballot.objects.count() == 3 and BallotScore.objects.count() == 3
    assert not Token.objects.filter(used=False).exists()
    token_table = Token._meta.db_table
    reads = [q for q in both if q.lstrip().upper().startswith("SELECT") and f'FROM "{token_table}"' in q]
    assert len(reads) == 1, reads
    assert len(both) == len(single), both
    # the token (with its campaign), the towns rated, the token's UPDATE, the ballots, their rows;
    # plus the transaction's own statements where the backend shows them
    assert len([q for q in both if not q.upper().startswith(("SAVEPOINT", "RELEASE"))]) <= 5, both


def test_a_used_token_answers_in_chinese_and_casts_nothing(ev: Any, client: Any) -> None:
    opened(ev)
    [(_, token)] = tokens_issue(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign, group=ev.public,
                                count=1)
    east = ev.cast.east_obj.pk
    assert client.post(f"/e/{token}", {f"o{east}d0": "优秀"}).status_code == 302
    resp = client.post(f"/e/{token}", {f"o{east}d0": "不称职"})
    assert "该评价码已使用" in resp.content.decode()
    assert Ballot.objects.count() == 1
