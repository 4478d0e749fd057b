"""50 concurrent redemptions of one token on PostgreSQL give exactly one ballot (marked
``postgres``: ``make test-postgres``; SQLite runs one write transaction at a time by design)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from jixiao.core.errors import ServiceError
from jixiao.evaluations.models import Ballot, Token
from jixiao.evaluations.services import token_redeem, tokens_issue

from .conftest import opened

pytestmark = pytest.mark.postgres
THREADS = 50


@pytest.mark.django_db(transaction=True)
def test_item_33_fifty_concurrent_redemptions_cast_one_ballot(ev: Any) -> None:
    assert connection.vendor == "postgresql", "a PostgreSQL test: run it with DATABASE_URL (make test-postgres)"
    opened(ev)
    [(_, token)] = tokens_issue(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign, group=ev.public,
                                count=1)
    start = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def redeem() -> None:
        try:
            start.wait(10)
            token_redeem(token=token, ratings={ev.cast.east_obj.pk: {"总体评价": "优秀"}})
            out = "ok"
        except ServiceError as e:
            out = e.message
        except Exception as e:  # reported below
            out = repr(e)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(out)

    threads = [threading.Thread(target=redeem) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert outcomes.count("ok") == 1, outcomes
    assert all(o == "ok" or "已使用" in o for o in outcomes), set(outcomes)
    assert Ballot.objects.count() == 1
    assert Token.objects.get().used

