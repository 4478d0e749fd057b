"""Anonymous callers get 401; an account without a role reads nothing and writes nothing."""

import pytest

from jixiao.collection.models import Value

URL = "/api/assessments/mini-2024/periods/2024-Q1/values/"
ROW = {"values": [{"object": "east", "indicator": "gdp", "value": 90}]}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/units/", "/api/values/", "/api/assessments/mini-2024/results/",
                                 "/api/assessments/mini-2024/objects/east/explain/"])
def test_anonymous_reads_are_refused(cast, api, url):
    r = api().get(url)
    assert r.status_code == 401
    assert r["WWW-Authenticate"].startswith("Token")


@pytest.mark.django_db
def test_anonymous_and_bad_token_writes_are_refused(cast, api):
    assert api().post(URL, ROW, format="json").status_code == 401
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.post(URL, ROW, format="json").status_code == 401
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_outsider_cannot_write(cast, api):
    r = api(cast.outsider).post(URL, ROW, format="json")
    assert r.status_code == 403
    assert r.json()["detail"]
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(cast):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.office)
    assert client.post(URL, ROW, format="json").status_code == 403
    assert not Value.objects.exists()
