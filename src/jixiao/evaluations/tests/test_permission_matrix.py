"""Every ``evaluations:`` and ``evaluate:`` URL, for every role, answers as its row says (the core
matrix leaves these prefixes to this file). Office pages: the office only; another organisation's
campaign does not exist (404); public pages answer anyone, a bad token with the refusal page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from django.db import transaction
from django.urls import URLPattern, resolve

from jixiao.evaluations import urls, urls_public
from jixiao.evaluations.models import Assignment
from jixiao.evaluations.services import assignments_generate

pytestmark = pytest.mark.django_db

ROLES = ("anon", "office", "reporter", "leader", "stats", "outsider")
LOGIN = 302


def _all(code: int) -> dict[str, int]:
    return {"anon": LOGIN, **{r: code for r in ROLES[1:]}}


def _office(ok: int) -> dict[str, int]:
    return {"anon": LOGIN, "office": ok, "reporter": 403, "leader": 403, "stats": 403, "outsider": 404}


def _public(code: int) -> dict[str, int]:
    return {r: code for r in ROLES}


C = "/evaluations/{c}/"
MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "evaluations:index": ("GET", "/evaluations/", _all(200)),
    "evaluations:mine": ("GET", "/evaluations/mine/", _all(200)),
    "evaluations:rate": ("GET", "/evaluations/mine/{a}/", _all(404)),  # staff1's, nobody else's
    "evaluations:create": ("GET", "/evaluations/new/", {**_office(200), "outsider": 403}),
    "evaluations:detail": ("GET", C, {**_office(200), "reporter": 404, "leader": 404, "stats": 404}),
    "evaluations:edit": ("GET", C + "edit/", _office(200)),
    "evaluations:group_add": ("POST", C + "groups/", _office(302)),
    "evaluations:group_remove": ("POST", C + "groups/{g}/remove", _office(302)),
    "evaluations:assignments": ("GET", C + "assignments/", _office(200)),
    "evaluations:assignments_generate": ("POST", C + "assignments/generate", _office(302)),
    "evaluations:assignment_add": ("POST", C + "assignments/add", _office(302)),
    "evaluations:assignment_remove": ("POST", C + "assignments/{a}/remove", _office(302)),
    "evaluations:open": ("POST", C + "open", _office(302)),
    "evaluations:close": ("POST", C + "close", _office(302)),
    "evaluations:tokens": ("POST", C + "tokens", _office(302)),
    "evaluations:window_add": ("POST", C + "windows", _office(302)),
    "evaluations:paper": ("POST", C + "paper", _office(302)),
    "evaluations:turnout": ("GET", C + "turnout/", _office(200)),
    "evaluations:remind": ("POST", C + "remind", _office(302)),
    "evaluate:enter": ("GET", "/e/", _public(200)),
    "evaluate:thanks": ("GET", "/e/thanks", _public(200)),
    "evaluate:rate": ("GET", "/e/forged-token-0000000000000", _public(403)),
    "evaluate:window": ("GET", "/e/w/no-such-window", _public(403)),
}


def test_every_url_has_a_row() -> None:
    names = {f"evaluations:{p.name}" for p in urls.urlpatterns if isinstance(p, URLPattern)}
    names |= {f"evaluate:{p.name}" for p in urls_public.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(MATRIX)


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_role_gets_expected_status(key: str, ev: Any, client: Any) -> None:
    method, pattern, expected = MATRIX[key]
    assignments_generate(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign)
    a = Assignment.objects.filter(rater=ev.staff1).first()
    assert a is not None
    url = pattern.format(c=ev.campaign.pk, g=ev.public.pk, a=a.pk)
    match = resolve(urlparse(url).path)
    assert f"{match.namespace}:{match.url_name}" == key
    got = {}
    for role in ROLES:
        with transaction.atomic():
            if role == "anon":
                client.logout()
            else:
                client.force_login(getattr(ev.cast, role))
            resp = client.get(url) if method == "GET" else client.post(url, {})
            got[role] = resp.status_code
            if role == "anon" and expected[role] == LOGIN:
                assert "/login/" in resp["Location"], key
            transaction.set_rollback(True)
    assert got == expected
