"""Every ``supervision:`` URL, for every role, answers as its row in the matrix says.

The rows come from matrix_matters.py, matrix_reminders.py, matrix_bulletins.py and
matrix_import.py (one per part of the app). A key is a URL name, or ``name#variant`` for another
row of the same URL; a URL of the app with no row fails. Each role's request runs in a savepoint
that is rolled back, so a POST one role makes does not change what the next role finds.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from django.db import transaction
from django.urls import URLPattern, resolve

from jixiao.supervision import urls

from . import matrix_bulletins, matrix_import, matrix_matters, matrix_reminders

pytestmark = pytest.mark.django_db

ROLES = ("anon", "office", "reporter", "leader", "stats", "outsider")
MATRIX: dict[str, Any] = {}
for part in (matrix_matters, matrix_reminders, matrix_bulletins, matrix_import):
    clash = set(MATRIX) & set(part.MATRIX)
    assert not clash, f"rows defined twice: {clash}"
    MATRIX.update(part.MATRIX)


def url_name(key: str) -> str:
    return key.split("#", 1)[0]


def test_every_supervision_url_has_a_row() -> None:
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name}
    covered = {url_name(k) for k in MATRIX}
    assert not names - covered, f"supervision URLs without a row in the permission matrix: {sorted(names - covered)}"
    assert not covered - names, f"rows for URLs that do not exist: {sorted(covered - names)}"


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_role_gets_expected_status(key: str, sv: Any, client: Any) -> None:
    method, build, expected = MATRIX[key]
    assert set(expected) == set(ROLES), f"{key}: the row must name every role {ROLES}"
    ctx = {"sv": sv, "cast": sv.cast, "east_task": sv.east_task.pk, "west_task": sv.west_task.pk,
           "draft": sv.draft.pk}
    url = build(ctx)
    match = resolve(urlparse(url).path)
    assert match.namespace == "supervision" and match.url_name == url_name(key), f"{key} built {url}"
    got = {}
    for role in ROLES:
        with transaction.atomic():
            if role == "anon":
                client.logout()
            else:
                client.force_login(getattr(sv.cast, role))
            resp = client.get(url) if method == "GET" else client.post(url, {})
            got[role] = resp.status_code
            if role == "anon" and resp.status_code == 302:
                assert resp["Location"].startswith("/login/"), f"{key}: anon sent to {resp['Location']}"
            transaction.set_rollback(True)
    assert got == expected, f"{key} {method} {url}"
