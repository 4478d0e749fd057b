"""Every ``system:`` and ``mfa:`` URL, for every role, answers as its row says; a URL without a row
fails. The system administrator alone reaches the administration pages, the security
administrator alone the security pages; the office, the audit administrator and everyone else
are refused (三员分立). Each request runs in a savepoint rolled back afterwards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern

from jixiao.sysadmin import urls, urls_mfa

from .world import admins

pytestmark = pytest.mark.django_db

ROLES = ("anon", "office", "reporter", "outsider", "sysadmin", "secadmin", "auditor")
LOGIN = 302


def row(office: int, reporter: int, outsider: int, sysadmin: int, secadmin: int, auditor: int) -> dict[str, int]:
    return {"anon": LOGIN, "office": office, "reporter": reporter, "outsider": outsider, "sysadmin": sysadmin,
            "secadmin": secadmin, "auditor": auditor}


def sys_only(ok: int = 200) -> dict[str, int]:
    return row(403, 403, 403, ok, 403, 403)


def sec_only(ok: int = 302) -> dict[str, int]:
    return row(403, 403, 403, 403, ok, 403)


Build = Callable[[Any], str]
W = dict[str, Any]


def acct(tail: str = "") -> Build:
    return lambda w: f"/system/accounts/{w['cast'].leader.pk}/{tail}"


def nothing(w: W) -> dict[str, Any]:
    return {}


MATRIX: dict[str, tuple[str, Build, Callable[[W], dict[str, Any]], dict[str, int]]] = {
    "system:index": ("GET", lambda w: "/system/", nothing, sys_only(302)),
    "system:accounts": ("GET", lambda w: "/system/accounts/", nothing, sys_only()),
    "system:accounts#post": ("POST", lambda w: "/system/accounts/",
                             lambda w: {"username": "newbie", "password": "Fresh-Start-2026", "role": "staff",
                                        "unit": w["cast"].east.pk}, sys_only(302)),
    "system:account": ("GET", acct(), nothing, sys_only()),
    "system:account_disable": ("POST", acct("disable"), nothing, sys_only(302)),
    "system:account_enable": ("POST", acct("enable"), nothing, sys_only(302)),
    "system:account_reset": ("POST", acct("reset"), nothing, sys_only(302)),
    "system:grant_remove": ("POST", lambda w: f"/system/grants/{w['cast'].leader.grants.get().pk}/remove", nothing,
                            sys_only(302)),
    "system:units": ("GET", lambda w: "/system/units/", nothing, sys_only()),
    "system:people": ("GET", lambda w: "/system/people/", nothing, sys_only()),
    "system:categories": ("GET", lambda w: "/system/categories/", nothing, sys_only()),
    "system:objects": ("GET", lambda w: "/system/objects/", nothing, sys_only()),
    "system:import": ("GET", lambda w: "/system/import/", nothing, sys_only()),
    "system:import_template": ("GET", lambda w: "/system/import/template", nothing, sys_only()),
    "system:security": ("GET", lambda w: "/system/security/", nothing, sec_only(200)),
    "system:security_policy": ("GET", lambda w: "/system/security/policy/", nothing, sec_only(200)),
    "system:security_lock": ("POST", lambda w: f"/system/security/{w['cast'].leader.pk}/lock", nothing, sec_only()),
    "system:security_unlock": ("POST", lambda w: f"/system/security/{w['cast'].leader.pk}/unlock", nothing,
                               sec_only()),
    "system:security_mfa_reset": ("POST", lambda w: f"/system/security/{w['cast'].leader.pk}/mfa-reset", nothing,
                                  sec_only()),
    # Every signed-in account may enrol an authenticator; the second step answers only a session
    # waiting for it (otherwise it sends the user on).
    "mfa:setup": ("GET", lambda w: "/mfa/setup/", nothing, row(200, 200, 200, 200, 200, 200)),
    "mfa:verify": ("GET", lambda w: "/mfa/verify/", nothing, row(302, 302, 302, 302, 302, 302)),
}


def test_every_url_has_a_row() -> None:
    names = {f"system:{p.name}" for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name}
    names |= {f"mfa:{p.name}" for p in urls_mfa.urlpatterns if isinstance(p, URLPattern) and p.name}
    assert names == {k.split("#")[0] for k in MATRIX}


def test_item_09_every_role_gets_its_answer(cast: Any, client: Any) -> None:
    a = admins(cast)
    users = {"office": cast.office, "reporter": cast.reporter, "outsider": cast.outsider, "sysadmin": a.sysadmin,
             "secadmin": a.secadmin, "auditor": a.auditor}
    world = {"cast": cast}
    wrong = []
    for key, (method, build, data, expected) in MATRIX.items():
        for role in ROLES:
            with transaction.atomic():
                if role == "anon":
                    client.logout()
                else:
                    client.force_login(users[role])
                url = build(world)
                resp = client.get(url) if method == "GET" else client.post(url, data(world))
                if resp.status_code != expected[role]:
                    wrong.append((key, role, resp.status_code, expected[role]))
                if role == "anon":
                    assert resp["Location"].startswith("/login/"), key
                transaction.set_rollback(True)
    assert not wrong, wrong
