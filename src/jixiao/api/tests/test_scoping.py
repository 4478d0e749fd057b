"""Every list answers with what the caller's scope covers, exactly as the pages do."""

from decimal import Decimal

import pytest

from jixiao.api.tests.conftest import codes
from jixiao.collection.services import value_save


@pytest.fixture
def ledger(cast, scope):
    office = scope(cast.office)
    for obj, gdp, tax in ((cast.east_obj, "80", "400"), (cast.west_obj, "100", "500")):
        value_save(actor=cast.office, scope=office, period=cast.q1, obj=obj, indicator="gdp", variable="value",
                   value=Decimal(gdp))
        value_save(actor=cast.office, scope=office, period=cast.q1, obj=obj, indicator="tax", variable="value",
                   value=Decimal(tax))
    return cast


def value_keys(response):
    assert response.status_code == 200, response.content
    return sorted(f"{v['object']}.{v['indicator']}" for v in response.json()["results"])


EXPECTED = {
    # role: (units, objects, values, results)
    "office": (["county", "east", "tjj", "west"], ["east", "west"], ["east.gdp", "east.tax", "west.gdp", "west.tax"],
               ["east", "west"]),
    "reporter": (["east"], ["east"], ["east.gdp", "east.tax"], ["east"]),
    "leader": (["east"], ["east"], ["east.gdp", "east.tax"], ["east"]),
    # The statistics bureau reports `tax` for every town, so it sees the towns' codes and their tax
    # values, but no results: a data-source unit sees only the indicators it reports.
    "stats": (["tjj"], ["east", "west"], ["east.tax", "west.tax"], []),
    "outsider": ([], [], [], None),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_lists_follow_the_scope(ledger, api, role):
    units, objects, values, results = EXPECTED[role]
    client = api(getattr(ledger, role))
    assert codes(client.get("/api/units/")) == units
    assert codes(client.get("/api/objects/")) == objects
    assert value_keys(client.get("/api/values/")) == values
    assert value_keys(client.get("/api/values/?assessment=mini-2024&period=2024-Q1")) == values
    assert value_keys(client.get("/api/assessments/mini-2024/periods/2024-Q1/values/")) == values
    r = client.get("/api/assessments/mini-2024/results/?category=town")
    if results is None:
        assert r.status_code == 404
    else:
        assert codes(r, "object") == results


@pytest.mark.django_db
def test_value_filters(ledger, api):
    client = api(ledger.office)
    assert value_keys(client.get("/api/values/?object=west")) == ["west.gdp", "west.tax"]
    assert value_keys(client.get("/api/values/?indicator=tax&object=east")) == ["east.tax"]
    assert value_keys(client.get("/api/values/?period=2024-Q2&assessment=mini-2024")) == []
    assert value_keys(client.get("/api/values/?assessment=nope")) == []


@pytest.mark.django_db
def test_a_value_outside_the_scope_is_not_found(ledger, api):
    from jixiao.collection.models import Value

    west_gdp = Value.objects.get(object=ledger.west_obj, indicator="gdp")
    east_gdp = Value.objects.get(object=ledger.east_obj, indicator="gdp")
    assert api(ledger.reporter).get(f"/api/values/{west_gdp.pk}/").status_code == 404
    assert api(ledger.stats).get(f"/api/values/{east_gdp.pk}/").status_code == 404
    r = api(ledger.reporter).get(f"/api/values/{east_gdp.pk}/")
    assert r.status_code == 200 and r.json()["value"] == "80"


@pytest.mark.django_db
def test_explain_only_for_objects_the_scope_sees(ledger, api):
    r = api(ledger.reporter).get("/api/assessments/mini-2024/objects/east/explain/")
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "east"
    gdp = next(c for c in body["trace"]["children"] if c["code"] == "gdp")
    assert gdp["score"] == pytest.approx(32.0)  # 80 / 100 × 40
    assert api(ledger.reporter).get("/api/assessments/mini-2024/objects/west/explain/").status_code == 404
    assert api(ledger.outsider).get("/api/assessments/mini-2024/objects/east/explain/").status_code == 404
    assert api(ledger.office).get("/api/assessments/mini-2024/objects/nope/explain/").status_code == 404


@pytest.mark.django_db
def test_reference_data_hidden_from_an_account_without_a_role(cast, api):
    for url in ("/api/categories/", "/api/schemes/", "/api/assessments/", "/api/people/"):
        assert api(cast.outsider).get(url).json()["results"] == [], url
        assert api(cast.office).get(url).status_code == 200
    assert api(cast.outsider).get("/api/assessments/mini-2024/periods/").status_code == 404
    assert codes(api(cast.leader).get("/api/assessments/mini-2024/periods/")) == [
        "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]


@pytest.mark.django_db
def test_draft_scheme_versions_are_for_the_office(cast, api):
    from jixiao.schemes.services import scheme_version_create

    adopted = cast.assessment.version
    text = adopted.text.replace("name: 地区生产总值", "name: 地区生产总值（新）")
    scheme_version_create(actor=cast.office, based_on=adopted, text=text)
    office = api(cast.office).get("/api/schemes/").json()["results"][0]
    leader = api(cast.leader).get("/api/schemes/").json()["results"][0]
    assert [v["number"] for v in office["versions"]] == [2, 1]
    assert [v["number"] for v in leader["versions"]] == [1]
    assert api(cast.leader).get("/api/schemes/mini/versions/2/").status_code == 404
    r = api(cast.office).get("/api/schemes/mini/versions/2/")
    assert r.status_code == 200 and "地区生产总值（新）" in r.json()["text"] and r.json()["status"] == "draft"
