"""Every ``datatrust:`` URL, for every role, answers as its row says; a URL without a row fails.
Each role's request runs in a savepoint rolled back afterwards. Only the office keeps the catalogue
and reviews flags; the figure's data source (县统计局's reporter) reports its values; the outsider
belongs to no organisation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern

from jixiao.datatrust import urls

pytestmark = pytest.mark.django_db

ROLES = ("anon", "office", "reporter", "leader", "stats", "outsider")
LOGIN = 302


def row(office: int, reporter: int, leader: int, stats: int, outsider: int) -> dict[str, int]:
    return {"anon": LOGIN, "office": office, "reporter": reporter, "leader": leader, "stats": stats,
            "outsider": outsider}


Build = Callable[[Any], str]
Data = Callable[[Any], dict[str, Any]]


def nothing(dt: Any) -> dict[str, Any]:
    return {}


def fig(tail: str = "") -> Build:
    return lambda dt: f"/data/figures/{dt.figure.pk}/{tail}"


MATRIX: dict[str, tuple[str, Build, Data, dict[str, int]]] = {
    "index": ("GET", lambda dt: "/data/", nothing, row(200, 200, 200, 200, 403)),
    "figure_new": ("GET", lambda dt: "/data/figures/new", nothing, row(200, 403, 403, 403, 403)),
    "figure": ("GET", fig(), nothing, row(200, 200, 200, 200, 403)),
    "figure_edit": ("GET", fig("edit"), nothing, row(200, 403, 403, 403, 403)),
    "figure_value": ("POST", fig("value"),
                     lambda dt: {"unit": str(dt.cast.east.pk), "period": "2024-Q1", "value": "300"},
                     row(302, 403, 403, 302, 403)),
    "figure_bind": ("POST", fig("bind"), lambda dt: {"leaf": "mini-2024:gdp"}, row(302, 403, 403, 403, 403)),
    "lineage": ("GET", fig("lineage"), nothing, row(200, 200, 200, 200, 403)),
    "flags": ("GET", lambda dt: "/data/flags/mini-2024/", nothing, row(200, 403, 403, 403, 403)),
    "flag_check": ("POST", lambda dt: "/data/flags/mini-2024/check",
                   lambda dt: {"rule": "at_target", "value_id": "1", "note": "已电话核实"},
                   row(302, 403, 403, 403, 403)),
}


def test_every_datatrust_url_has_a_row() -> None:
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name}
    assert names == {k.split("#")[0] for k in MATRIX}


def test_role_gets_expected_status(dt: Any, client: Any) -> None:
    """Every row on one world (each request rolled back): the world is the slow part."""
    wrong = []
    for key in sorted(MATRIX):
        method, build, data, expected = MATRIX[key]
        got = {}
        for role in ROLES:
            with transaction.atomic():
                url = build(dt)
                if role == "anon":
                    client.logout()
                else:
                    client.force_login(getattr(dt.cast, role))
                resp = client.get(url) if method == "GET" else client.post(url, data(dt))
                got[role] = resp.status_code
                if role == "anon":
                    assert resp["Location"].startswith("/login/")
                transaction.set_rollback(True)
        if got != expected:
            wrong.append(f"{key} {method}: {got} != {expected}")
    assert not wrong, "\n".join(wrong)
