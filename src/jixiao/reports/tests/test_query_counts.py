"""Every table costs the same number of queries with 3 objects as with 15 (no N+1): stored results
in one query per category, the handbook's engine run in a fixed number."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.collection.services import ValueInput, values_bulk_upsert
from jixiao.org import services as org
from jixiao.org.models import Category

from .conftest import add_town, town_values

pytestmark = pytest.mark.django_db

URLS = ["/reports/", "/reports/mini-2024/summary.xlsx", "/reports/mini-2024/summary/town.pdf",
        "/reports/mini-2024/rewards/town.xlsx", "/reports/people-2024/handbook.xlsx",
        "/reports/people-2024/handbook/ganbu.pdf", "/reports/people-2024/rewards.pdf"]
BOUND = 16  # measured: 14 at most (the handbook: session, user, grants, assessment, periods, the engine's reads)


def _count(client, url):
    assert client.get(url).status_code == 200, url  # warm the caches (compiled scheme, templates)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _grow(people, scope, n):
    office = scope(people.cast.office)
    ganbu = Category.objects.get(code="ganbu")
    codes = []
    for i in range(n):
        add_town(people.cast, f"t{i:02d}", f"新镇{i:02d}")
        person = org.person_create(actor=None, code=f"q{i:02d}", name=f"干部{i:02d}", unit=people.cast.east)
        org.object_create(actor=None, code=f"q{i:02d}", name=f"干部{i:02d}", category=ganbu, unit=people.cast.east,
                          person=person)
        codes.append(f"q{i:02d}")
    town_values(people.cast, scope, {f"t{i:02d}": (90 + i, 450, 25) for i in range(n)})
    for period in ("2024-Q1", "2024-Q2"):
        values_bulk_upsert(actor=people.cast.office, scope=office, period=people.periods[period], via="api", rows=[
            ValueInput(object=c, indicator=ind, variable="value", value=Decimal(80 + k))
            for k, c in enumerate(codes) for ind in ("shiji", "pingyi")])


@pytest.mark.parametrize("who", ["office", "leader"])
def test_queries_do_not_grow_with_the_objects(towns, people, scope, client, who, django_assert_max_num_queries):
    client.force_login(getattr(people.cast, who))
    small = {url: _count(client, url) for url in URLS}
    _grow(people, scope, 12)
    big = {}
    for url in URLS:
        client.get(url)
        with django_assert_max_num_queries(BOUND) as ctx:
            assert client.get(url).status_code == 200
        big[url] = len(ctx)
    assert big == small
