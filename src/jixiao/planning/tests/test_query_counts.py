"""List pages read in a fixed number of queries, however many rows they show."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.planning.services.proposals import ProposalInput, proposal_save

from .world import east_proposal

pytestmark = pytest.mark.django_db


def count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/planning/plan-2025/targets/", "/planning/plan-2025/self/?period=2025-Q1",
                                 "/planning/plan-2025/coverage/"])
def test_constant_queries(pl: Any, client: Any, url: str) -> None:
    client.force_login(pl.cast.office)
    east_proposal(pl, state="submitted")
    count(client, url)  # warm the scheme catalog's cache
    one = count(client, url)
    office = pl.scope(pl.cast.office)
    for obj, period in ((pl.cast.west_obj, pl.q1), (pl.cast.west_obj, pl.q2), (pl.cast.east_obj, pl.q2)):
        proposal_save(actor=pl.cast.office, scope=office, period=period, obj=obj,
                      data=ProposalInput(indicator="invest", target=Decimal(50), reason="按计划安排"))
    assert count(client, url) == one
