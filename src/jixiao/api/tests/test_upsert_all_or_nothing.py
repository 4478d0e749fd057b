"""A bulk write with any bad row writes nothing and names every bad row by index and field."""

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.collection.models import Value
from jixiao.scoring.models import Result

URL = "/api/assessments/mini-2024/periods/2024-Q1/values/"


def post(client, body):
    return client.post(URL, body, format="json")


@pytest.mark.django_db
def test_bad_rows_are_all_listed_and_nothing_is_written(cast, api):
    computed = list(Result.objects.values_list("object__code", "total", "computed_at"))
    r = post(api(cast.office), {"values": [
        {"object": "east", "indicator": "gdp", "value": "90"},
        {"object": "west", "indicator": "gdp", "value": "12,5x"},
        {"object": "west", "indicator": "nope", "value": 1},
        {"object": "ghost", "indicator": "gdp", "value": 1},
        {"object": "west", "indicator": "gdp", "variable": "planned", "value": 1},
        {"object": "east", "indicator": "gdp", "value": 91},
        {"object": "west", "indicator": "ldpg", "value": 20},
        {"object": "west", "value": 3},
        {"object": "west", "indicator": "tax", "value": True},
    ]})
    assert r.status_code == 400, r.content
    body = r.json()
    assert "未写入" in body["detail"]
    assert [(e["index"], e["field"]) for e in body["errors"]] == [
        (1, "value"), (2, "indicator"), (3, "object"), (4, "variable"), (5, "indicator"), (6, "indicator"),
        (7, "indicator"), (8, "value")]
    assert "12,5x" in body["errors"][0]["message"]
    assert "第 0 项" in body["errors"][4]["message"]  # the duplicate names the first row
    assert not Value.objects.exists()
    assert not AuditEntry.objects.filter(target="collection.value").exists()
    assert list(Result.objects.values_list("object__code", "total", "computed_at")) == computed


@pytest.mark.django_db
def test_a_good_batch_is_written_once(cast, api):
    r = post(api(cast.office), {"values": [
        {"object": "east", "indicator": "gdp", "value": "90"},
        {"object": "west", "indicator": "gdp", "value": "87.5%"},
        {"object": "west", "indicator": "tax", "value": None},
    ]})
    assert r.status_code == 200, r.content
    assert r.json()["written"] == 3
    assert {(v.object.code, v.indicator): v.value for v in Value.objects.select_related("object")} == {
        ("east", "gdp"): 90, ("west", "gdp"): 87.5, ("west", "tax"): None}
    assert Result.objects.get(object=cast.west_obj).total == pytest.approx(35.0)
    again = post(api(cast.office), {"values": [{"object": "east", "indicator": "gdp", "value": 90}]})
    assert again.json()["written"] == 0  # unchanged rows are not rewritten


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "field"), [
    ({}, "values"),
    ({"values": []}, "values"),
    ({"values": "east=1"}, "values"),
    ({"values": [{"object": "east", "indicator": "gdp", "value": 1}], "submit": "maybe"}, "submit"),
])
def test_a_malformed_body_is_refused(cast, api, body, field):
    r = post(api(cast.office), body)
    assert r.status_code == 400
    assert [(e["index"], e["field"]) for e in r.json()["errors"]] == [(None, field)]
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_rows_outside_the_scope_are_forbidden(cast, api):
    r = post(api(cast.reporter), {"values": [
        {"object": "east", "indicator": "gdp", "value": 90},
        {"object": "east", "indicator": "tax", "value": 400},
        {"object": "west", "indicator": "gdp", "value": 90},
    ]})
    assert r.status_code == 403
    assert [(e["index"], e["field"]) for e in r.json()["errors"]] == [(1, "indicator"), (2, "object")]
    assert not Value.objects.exists()
    ok = post(api(cast.reporter), {"values": [{"object": "east", "indicator": "gdp", "value": 90}], "submit": False})
    assert ok.status_code == 200
    assert Value.objects.get().status == "draft"


@pytest.mark.django_db
def test_verified_values_stay_locked_for_reporters(cast, api):
    assert post(api(cast.office), {"values": [{"object": "east", "indicator": "gdp", "value": 90}]}).status_code == 200
    r = post(api(cast.reporter), {"values": [{"object": "east", "indicator": "gdp", "value": 10}]})
    assert r.status_code == 403
    assert r.json()["errors"][0]["field"] == "value"
    assert Value.objects.get().value == 90


@pytest.mark.django_db
def test_the_service_still_refuses_what_the_check_missed(cast, api, monkeypatch):
    """The pre-check only collects messages; the write itself re-checks and rolls back entirely."""
    monkeypatch.setattr("jixiao.api.views.check_rows", lambda **kwargs: [])
    r = post(api(cast.reporter), {"values": [
        {"object": "east", "indicator": "gdp", "value": 90},
        {"object": "east", "indicator": "tax", "value": 400},
    ]})
    assert r.status_code == 403
    assert r.json()["errors"][0]["index"] is None and "税收收入" in r.json()["detail"]
    assert not Value.objects.exists()
    assert not AuditEntry.objects.filter(target="collection.value").exists()
