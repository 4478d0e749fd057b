"""A data-source system posts its indicator for every town with a token; the values count at once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from jixiao.api.services import api_token_create
from jixiao.audit.models import AuditEntry
from jixiao.collection.models import Value, ValueChange
from jixiao.core.errors import NotAllowed
from jixiao.scoring.models import Result

URL = "/api/assessments/mini-2024/periods/2024-Q1/values/"


def issue(username: str) -> str:
    out = StringIO()
    call_command("api_token", username, stdout=out)
    return out.getvalue().strip()


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def totals() -> dict[str, float | None]:
    return {r.object.code: r.total for r in Result.objects.select_related("object")}


@pytest.mark.django_db
def test_stats_posts_tax_for_both_towns_with_a_token(cast):
    client = token_client(issue("stats"))
    before = totals()
    r = client.post(URL, {"values": [
        {"object": "east", "indicator": "tax", "value": "400"},
        {"object": "west", "indicator": "tax", "value": 500, "note": "县统计局月报"},
    ]}, format="json")
    assert r.status_code == 200, r.content
    assert r.json() == {"rows": 2, "written": 2}
    stored = {v.object.code: v for v in Value.objects.select_related("object")}
    assert {k: format(v.value.normalize(), "f") for k, v in stored.items()} == {"east": "400", "west": "500"}
    assert {v.status for v in stored.values()} == {"submitted"}
    assert {v.updated_by_id for v in stored.values()} == {cast.stats.pk}
    assert set(ValueChange.objects.values_list("via", flat=True)) == {"api"}
    after = totals()
    assert after != before
    assert after["east"] == pytest.approx(24.0)  # 400 / 500 × 30
    assert after["west"] == pytest.approx(30.0)
    assert token_client(issue("stats")).get("/api/values/").json()["count"] == 2


@pytest.mark.django_db
def test_a_token_only_reaches_its_own_indicators(cast):
    client = token_client(issue("stats"))
    r = client.post(URL, {"values": [{"object": "east", "indicator": "gdp", "value": 90}]}, format="json")
    assert r.status_code == 403
    assert r.json()["errors"] == [{"index": 0, "field": "indicator", "message": r.json()["errors"][0]["message"]}]
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_rotating_replaces_the_old_key_and_the_audit_never_holds_a_key(cast):
    old = issue("stats")
    new = issue("stats")
    assert old != new and len(new) == 40
    assert token_client(old).get("/api/units/").status_code == 401
    assert token_client(new).get("/api/units/").status_code == 200
    entries = list(AuditEntry.objects.filter(action__startswith="api_token"))
    assert [e.action for e in sorted(entries, key=lambda e: e.pk)] == ["api_token_create", "api_token_rotate"]
    assert all(e.target == "auth.user" and e.target_id == str(cast.stats.pk) for e in entries)
    assert not any(new in str(e.after) or old in str(e.after) or new in e.summary for e in entries)
    out = StringIO()
    call_command("api_token", "stats", "--revoke", stdout=out)
    assert out.getvalue().strip() == "revoked"
    assert token_client(new).get("/api/units/").status_code == 401


@pytest.mark.django_db
def test_only_the_system_or_a_superuser_issues_tokens(cast):
    with pytest.raises(NotAllowed):
        api_token_create(actor=cast.office, user=cast.stats)
    with pytest.raises(CommandError):
        call_command("api_token", "nobody")
