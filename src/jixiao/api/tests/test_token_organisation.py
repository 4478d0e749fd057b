"""A token of an office admin of two organisations works in the one its X-Jixiao-Organisation
header names; without it, in his first; a header naming an organisation he has no role in is refused."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from jixiao.api.services import api_token_create

pytestmark = pytest.mark.django_db


def _codes(client: APIClient, **headers: str) -> tuple[int, set[str]]:
    resp = client.get("/api/assessments/", headers=headers)
    body = resp.json() if resp.status_code == 200 else {}
    rows = body.get("results", body) if isinstance(body, dict) else body
    return resp.status_code, {r["code"] for r in rows} if resp.status_code == 200 else set()


def test_the_header_picks_the_organisation(cast: Any, other_org: Any) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(actor=None, user=other_org.both)}")
    assert _codes(client) == (200, {"mini-2024"})
    assert _codes(client, **{"X-Jixiao-Organisation": other_org.organisation.code}) == (200, {"city-2024"})
    assert _codes(client, **{"X-Jixiao-Organisation": cast.county.organisation.code}) == (200, {"mini-2024"})


def test_an_organisation_without_a_role_is_refused_in_chinese(cast: Any, other_org: Any) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(actor=None, user=cast.office)}")
    resp = client.get("/api/assessments/", headers={"X-Jixiao-Organisation": other_org.organisation.code})
    assert resp.status_code == 403 and "没有任何角色" in resp.json()["detail"]
    resp = client.get("/api/assessments/", headers={"X-Jixiao-Organisation": "no-such-organisation"})
    assert resp.status_code == 403
