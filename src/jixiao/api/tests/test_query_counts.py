"""List endpoints cost a fixed number of queries whatever the number of rows (no N+1)."""

from decimal import Decimal

import pytest

from jixiao.collection.services import ValueInput, values_bulk_upsert
from jixiao.org import services as org
from jixiao.org.models import Category, Unit

MAX = 10  # session, user, scope (3), count, page, a prefetch or two


@pytest.fixture
def county(cast, scope):
    town = Category.objects.get(code="town")
    for i in range(25):
        unit = org.unit_create(actor=None, code=f"t{i}", name=f"镇{i}", kind=Unit.Kind.TOWN, parent=cast.county)
        org.person_create(actor=None, code=f"p{i}", name=f"人{i}", unit=unit)
        org.object_create(actor=None, code=f"t{i}", name=f"镇{i}", category=town, unit=unit)
        if i < 3:
            org.grant_add(actor=None, user=cast.leader, role="leader", unit=unit)
    rows = [ValueInput(object=f"t{i}", indicator=ind, variable="value", value=Decimal(10 + i))
            for i in range(25) for ind in ("gdp", "tax")]
    values_bulk_upsert(actor=cast.office, scope=scope(cast.office), period=cast.q1, rows=rows, via="api")
    return cast


URLS = ["/api/units/", "/api/people/", "/api/categories/", "/api/objects/", "/api/schemes/", "/api/assessments/",
        "/api/assessments/mini-2024/periods/", "/api/values/", "/api/values/?assessment=mini-2024&period=2024-Q1",
        "/api/assessments/mini-2024/periods/2024-Q1/values/", "/api/assessments/mini-2024/results/",
        "/api/assessments/mini-2024/results/?category=town"]

# rows each role gets from the value lists: 25 towns × (gdp, tax); the stats bureau only tax;
# the leader the three towns granted above.
VALUES = {"office": 50, "stats": 25, "leader": 6}


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(VALUES))
def test_lists_have_bounded_queries(county, api, django_assert_max_num_queries, who):
    client = api(getattr(county, who))
    for url in URLS:
        with django_assert_max_num_queries(MAX):
            r = client.get(url)
        assert r.status_code == 200, url
        # The statistics bureau has no staff of its own and sees no results (only its indicators).
        assert r.json()["count"] > 0 or (who == "stats" and ("/people/" in url or "/results/" in url)), url
        if "values" in url:
            assert r.json()["count"] == VALUES[who], url
