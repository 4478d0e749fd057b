"""Every ``planning:`` URL, for every role, answers as its row says; a URL without a row fails.
Each role's request runs in a savepoint rolled back afterwards. The outsider belongs to no
organisation: an assessment's pages do not exist for him (404); the stats reporter (a data-source
unit) sees no 东镇 proposal (404) and proposes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern

from jixiao.planning import urls

from .world import east_proposal, section_rules, staff_plan

pytestmark = pytest.mark.django_db

ROLES = ("anon", "office", "reporter", "leader", "stats", "outsider")
LOGIN = 302
A = "/planning/plan-2025"


def row(office: int, reporter: int, leader: int, stats: int, outsider: int) -> dict[str, int]:
    return {"anon": LOGIN, "office": office, "reporter": reporter, "leader": leader, "stats": stats,
            "outsider": outsider}


Build = Callable[[Any], str]
Data = Callable[[Any], dict[str, Any]]


def prop(state: str, tail: str = "") -> Build:
    return lambda pl: f"/planning/targets/{east_proposal(pl, state=state).pk}/{tail}"


def nothing(pl: Any) -> dict[str, Any]:
    return {}


MATRIX: dict[str, tuple[str, Build, Data, dict[str, int]]] = {
    "index": ("GET", lambda pl: "/planning/", nothing, row(200, 200, 200, 200, 200)),
    "targets": ("GET", lambda pl: f"{A}/targets/", nothing, row(200, 200, 200, 200, 403)),
    "proposal_new": ("GET", lambda pl: f"{A}/targets/new", nothing, row(200, 200, 403, 403, 404)),
    "proposals_submit": ("POST", lambda pl: (east_proposal(pl, state="draft"), f"{A}/targets/submit")[1],
                         lambda pl: {"object": "east", "period": "2025-Q1"}, row(302, 302, 403, 404, 404)),
    "proposal": ("GET", prop("submitted"), nothing, row(200, 200, 200, 404, 404)),
    "proposal_edit": ("GET", prop("draft", "edit"), nothing, row(200, 200, 403, 404, 404)),
    "proposal_review": ("POST", prop("submitted", "review"), lambda pl: {"decision": "pass"},
                        row(302, 403, 403, 404, 404)),
    "negotiate": ("POST", prop("passed", "negotiate"),
                  lambda pl: {"held_on": "2025-01-06", "participants": "双方", "agreed": "121", "why": "同意"},
                  row(302, 403, 403, 404, 404)),
    "proposal_approve": ("POST", prop("negotiated", "approve"), nothing, row(403, 403, 302, 404, 404)),
    "coverage": ("GET", lambda pl: f"{A}/coverage/", nothing, row(200, 403, 200, 403, 403)),
    "selfcheck": ("GET", lambda pl: f"{A}/self/", nothing, row(200, 200, 200, 200, 403)),
    "self_object": ("GET", lambda pl: f"{A}/self/2025-Q1/east/", nothing, row(200, 200, 200, 404, 404)),
    "self_object#post": ("POST", lambda pl: f"{A}/self/2025-Q1/east/", lambda pl: {"action": "scores"},
                         row(403, 302, 403, 404, 404)),
    "calendar": ("GET", lambda pl: f"{A}/calendar/", nothing, row(200, 403, 403, 403, 403)),
    "calendar_run": ("POST", lambda pl: f"{A}/calendar/run", nothing, row(302, 403, 403, 403, 403)),
    "calendar_period": ("POST", lambda pl: f"{A}/calendar/2025-Q2", lambda pl: {"2025-Q2-report_due": "2025-07-05"},
                        row(302, 403, 403, 403, 403)),
    "plans": ("GET", lambda pl: f"{A}/plans/", nothing, row(200, 200, 200, 200, 403)),
    "plan_new": ("GET", lambda pl: f"{A}/plans/new", nothing, row(403, 200, 403, 403, 404)),
    "plan": ("GET", lambda pl: f"/planning/plans/{staff_plan(pl, state='submitted').pk}/", nothing,
             row(200, 200, 200, 404, 404)),
    "plan_edit": ("GET", lambda pl: f"/planning/plans/{staff_plan(pl, state='draft').pk}/edit", nothing,
                  row(403, 200, 403, 404, 404)),
    "plan_decide": ("POST", lambda pl: f"/planning/plans/{staff_plan(pl, state='submitted').pk}/decide",
                    lambda pl: {"decision": "pass"}, row(302, 403, 403, 404, 404)),
    # The reporter (东镇's clerk) may report for 张三 but must give each item's points: refused at the fields.
    "plan_report": ("POST", lambda pl: f"/planning/plans/{staff_plan(pl, state='approved').pk}/report", nothing,
                    row(403, 400, 403, 404, 404)),
    "delegated": ("GET", lambda pl: "/planning/delegated/", nothing, row(200, 200, 200, 200, 403)),
    "delegated_new": ("GET", lambda pl: "/planning/delegated/new", nothing, row(403, 403, 403, 403, 403)),
    "delegated_detail": ("GET", lambda pl: f"/planning/delegated/{section_rules(pl, state='filed').pk}/", nothing,
                         row(200, 404, 200, 404, 404)),
    "delegated_edit": ("GET", lambda pl: f"/planning/delegated/{section_rules(pl, state='draft').pk}/edit", nothing,
                       row(403, 404, 403, 404, 404)),
    "delegated_decide": ("POST", lambda pl: f"/planning/delegated/{section_rules(pl, state='filed').pk}/decide",
                         lambda pl: {"decision": "pass"}, row(302, 404, 403, 404, 404)),
    "settings": ("GET", lambda pl: f"{A}/settings/", nothing, row(200, 403, 403, 403, 403)),
}


def test_every_planning_url_has_a_row() -> None:
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name}
    assert names == {k.split("#")[0] for k in MATRIX}


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_role_gets_expected_status(key: str, pl: Any, client: Any) -> None:
    method, build, data, expected = MATRIX[key]
    got = {}
    for role in ROLES:
        with transaction.atomic():
            url = build(pl)
            if role == "anon":
                client.logout()
            else:
                client.force_login(getattr(pl.cast, role))
            resp = client.get(url) if method == "GET" else client.post(url, data(pl))
            got[role] = resp.status_code
            if role == "anon":
                assert resp["Location"].startswith("/login/")
            transaction.set_rollback(True)
    assert got == expected, f"{key} {method}"
