"""Every publication URL of the scoring app (结果公示), for every role, answers as its row says.

Reading a publication is for every signed-in user (公示 is for the whole government); publishing
and withdrawing are the office's. Anonymous users are sent to log in. Each role's request runs in
a savepoint that is rolled back, so the office's POST does not change what the next role finds.
The ranking and object pages are in the core matrix (jixiao/core/tests/test_permission_matrix.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest
from django.db import transaction
from django.urls import URLPattern, resolve

from jixiao.scoring import urls
from jixiao.scoring.models import Publication

pytestmark = pytest.mark.django_db

ROLES = ("anon", "office", "reporter", "leader", "stats", "outsider")
LOGIN = 302


def _all(code: int) -> dict[str, int]:
    return {"anon": LOGIN, **{r: code for r in ROLES[1:]}}


def _office_only(ok: int) -> dict[str, int]:
    return {"anon": LOGIN, "office": ok, "reporter": 403, "leader": 403, "stats": 403, "outsider": 403}


Row = tuple[str, Callable[[Publication], str], dict[str, Any], dict[str, str]]
MATRIX: dict[str, Row] = {
    "published": ("GET", lambda p: f"/results/published/{p.token}/", _all(200), {}),
    "published#withdrawn": ("GET", lambda p: f"/results/published/{p.token}/", _all(200), {}),
    "published#unknown": ("GET", lambda p: "/results/published/nosuchtoken/", {**_all(404), "anon": LOGIN}, {}),
    "published_xlsx": ("GET", lambda p: f"/results/published/{p.token}/result.xlsx", _all(200), {}),
    # The list belongs to the assessment's organisation: an account with no role has none (404).
    "publications": ("GET", lambda p: "/results/mini-2024/published/", {**_all(200), "outsider": 404}, {}),
    "publish": ("POST", lambda p: "/results/mini-2024/category/town/publish", _office_only(302),
                {"note": "复核后公示"}),
    "publish#get": ("GET", lambda p: "/results/mini-2024/category/town/publish", {**_all(405), "anon": LOGIN}, {}),
    "withdraw": ("POST", lambda p: f"/results/published/{p.token}/withdraw", _office_only(302), {"reason": "有误"}),
}
NEW = {"published", "published_xlsx", "publications", "publish", "withdraw"}


def test_every_publication_url_has_a_row() -> None:
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name}
    assert names >= NEW
    assert {k.split("#", 1)[0] for k in MATRIX} == NEW


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_role_gets_expected_status(key: str, publication: Publication, ranked: Any, scope: Any,
                                   client: Any) -> None:
    method, build, expected, data = MATRIX[key]
    assert set(expected) == set(ROLES), f"{key}: the row must name every role {ROLES}"
    if key.endswith("#withdrawn"):
        from jixiao.scoring.services import publication_withdraw

        publication_withdraw(actor=ranked.office, scope=scope(ranked.office), publication=publication, reason="有误")
    url = build(publication)
    match = resolve(urlparse(url).path)
    assert match.namespace == "scoring" and match.url_name == key.split("#", 1)[0], f"{key} built {url}"
    got = {}
    for role in ROLES:
        with transaction.atomic():
            if role == "anon":
                client.logout()
            else:
                client.force_login(getattr(ranked, role))
            resp = client.get(url) if method == "GET" else client.post(url, data)
            got[role] = resp.status_code
            if role == "anon" and resp.status_code == 302:
                assert resp["Location"].startswith("/login/"), f"{key}: anon sent to {resp['Location']}"
            if role == "office" and method == "POST":
                assert resp.status_code == 302 and "/login/" not in resp["Location"]
            transaction.set_rollback(True)
    assert got == expected, f"{key} {method} {url}"
