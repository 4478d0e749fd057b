"""Every ``reports:`` URL, for every role, answers as its row in the matrix says.

A key is a URL name, or ``name#variant`` for another row of the same URL; a URL of the app with no
row fails. The world: the cast's towns with results, and the people assessment (王东 and 李东 of
东镇, 赵西 of 西镇), with 王东's own staff account.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from django.urls import URLPattern, resolve

from jixiao.reports import urls

pytestmark = pytest.mark.django_db

ROLES = ("anon", "office", "reporter", "leader", "stats", "outsider", "staff")
LOGIN = 302
EVERYONE = dict.fromkeys(ROLES, 200) | {"anon": LOGIN}
NOBODY = dict.fromkeys(ROLES, 404) | {"anon": LOGIN}
# The category tables: the office; 东镇's leader and reporter (their town's rows); not staff, not
# a data-source reporter, not an account without a role.
# An account with no role belongs to no organisation: the assessment is not found for him.
TABLES = {"anon": LOGIN, "office": 200, "reporter": 200, "leader": 200, "stats": 403, "outsider": 404, "staff": 403}
# The handbook: as the tables, and a member of staff his own page.
HANDBOOK = TABLES | {"staff": 200}
NOT_GET = dict.fromkeys(ROLES, 405) | {"anon": LOGIN}

MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "index": ("GET", "/reports/", EVERYONE),
    "summary_all": ("GET", "/reports/mini-2024/summary.xlsx", TABLES),
    "summary_all#pdf": ("GET", "/reports/mini-2024/summary.pdf", TABLES),
    "summary_all#people": ("GET", "/reports/people-2024/summary.xlsx", TABLES),
    "summary_all#no-assessment": ("GET", "/reports/nope-2024/summary.xlsx", NOBODY),
    "summary_all#post": ("POST", "/reports/mini-2024/summary.xlsx", NOT_GET),
    "summary": ("GET", "/reports/mini-2024/summary/town.xlsx", TABLES),
    "summary#pdf": ("GET", "/reports/mini-2024/summary/town.pdf", TABLES),
    "summary#no-category": ("GET", "/reports/mini-2024/summary/ganbu.xlsx", NOBODY),  # another assessment's
    "rewards_all": ("GET", "/reports/mini-2024/rewards.xlsx", TABLES),
    "rewards_all#pdf": ("GET", "/reports/people-2024/rewards.pdf", TABLES),
    "rewards": ("GET", "/reports/people-2024/rewards/ganbu.xlsx", TABLES),
    "rewards#pdf": ("GET", "/reports/mini-2024/rewards/town.pdf", TABLES),
    "rewards#no-category": ("GET", "/reports/people-2024/rewards/town.pdf", NOBODY),
    "handbook_all": ("GET", "/reports/people-2024/handbook.xlsx", HANDBOOK),
    "handbook_all#pdf": ("GET", "/reports/people-2024/handbook.pdf", HANDBOOK),
    "handbook_all#units-only": ("GET", "/reports/mini-2024/handbook.xlsx", NOBODY),  # no category of people
    "handbook": ("GET", "/reports/people-2024/handbook/ganbu.xlsx", HANDBOOK),
    "handbook#pdf": ("GET", "/reports/people-2024/handbook/ganbu.pdf", HANDBOOK),
    "handbook#units": ("GET", "/reports/mini-2024/handbook/town.pdf", NOBODY),
}


def url_name(key: str) -> str:
    return key.split("#", 1)[0]


def test_every_reports_url_has_a_row() -> None:
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name}
    covered = {url_name(k) for k in MATRIX}
    assert not names - covered, f"reports URLs without a row in the permission matrix: {sorted(names - covered)}"
    assert not covered - names, f"rows for URLs that do not exist: {sorted(covered - names)}"


@pytest.fixture
def world(towns: Any, people: Any) -> Any:
    return people


def test_role_gets_expected_status(world: Any, client: Any) -> None:
    """One test over all rows: building the world (two assessments with results) is the slow part."""
    users = {"staff": world.staff} | {r: getattr(world.cast, r) for r in ROLES if r not in ("anon", "staff")}
    failures = []
    for key, (method, url, expected) in sorted(MATRIX.items()):
        assert set(expected) == set(ROLES), f"{key}: the row must name every role {ROLES}"
        match = resolve(urlparse(url).path)
        assert match.namespace == "reports" and match.url_name == url_name(key), f"{key} built {url}"
        got = {}
        for role in ROLES:
            if role == "anon":
                client.logout()
            else:
                client.force_login(users[role])
            resp = client.get(url) if method == "GET" else client.post(url, {})
            got[role] = resp.status_code
            if role == "anon" and resp.status_code == 302:
                assert resp["Location"].startswith("/login/"), f"{key}: anon sent to {resp['Location']}"
        if got != expected:
            failures.append(f"{key} {method} {url}: {got}")
    assert not failures, "\n".join(failures)
