"""The published page and the list of publications cost the same number of queries with 2 towns
and 1 publication as with 22 towns and 4 publications (the table is read from one JSON column)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.services import ValueInput, values_bulk_upsert
from jixiao.collection.tests.scaling import queries
from jixiao.org import services as org
from jixiao.org.models import Category, Unit
from jixiao.scoring.models import Publication
from jixiao.scoring.services import publication_create, publication_withdraw
from jixiao.scoring.tests.approving import make_publishable, reopen_periods

pytestmark = pytest.mark.django_db
# Measured: the published page 6, the list 7 (session, user, the scope's two, then the page's own).
BOUND = 8
USERS = ("office", "reporter", "leader")


def _publish(cast: Any, scope: Any) -> Publication:
    return publication_create(actor=cast.office, scope=scope(cast.office), assessment=cast.assessment,
                              category="town")




def test_constant_in_rows(ranked: Any, scope: Any, client: Any, django_assert_max_num_queries: Any) -> None:
    make_publishable(ranked, scope)
    first = _publish(ranked, scope)
    small = {}
    for who in USERS:
        client.force_login(getattr(ranked, who))
        small[who] = (queries(client, f"/results/published/{first.token}/"),
                      queries(client, "/results/mini-2024/published/"))

    reopen_periods(ranked)
    town = Category.objects.get(code="town")
    for i in range(20):
        unit = org.unit_create(actor=None, code=f"t{i:02d}", name=f"新镇{i:02d}", kind=Unit.Kind.TOWN,
                               parent=ranked.county)
        org.object_create(actor=None, code=f"t{i:02d}", name=f"新镇{i:02d}", category=town, unit=unit)
    values_bulk_upsert(actor=ranked.office, scope=scope(ranked.office), period=ranked.q1, via="api", rows=[
        ValueInput(object=f"t{i:02d}", indicator="gdp", variable="value", value=Decimal(30 + i)) for i in range(20)])
    make_publishable(ranked, scope)  # the new towns' results: reviewed and approved again
    _publish(ranked, scope)
    publication_withdraw(actor=ranked.office, scope=scope(ranked.office), publication=_publish(ranked, scope),
                         reason="有误")
    big_pub = _publish(ranked, scope)
    assert len(big_pub.snapshot["rows"]) == 22

    big = {}
    for who in USERS:
        client.force_login(getattr(ranked, who))
        pages = []
        for url, marker, n in ((f"/results/published/{big_pub.token}/", "data-object=", 22),
                               ("/results/mini-2024/published/", "data-token=", 4)):
            client.get(url)
            with django_assert_max_num_queries(BOUND) as ctx:
                resp = client.get(url)
            assert resp.status_code == 200
            assert resp.content.decode().count(marker) == n
            pages.append(len(ctx))
        big[who] = tuple(pages)
    assert big == small
