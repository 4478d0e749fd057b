"""Every ``budget:`` URL, for every role, answers as its row says; a URL without a row fails.
Each role's request runs in a savepoint rolled back afterwards. The county's office is the finance
bureau; 东镇's reporter reports for 东镇's projects; the leader oversees 东镇 and only reads; the
stats reporter (a data-source unit) sees no project (404); the outsider has no role (403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern

from jixiao.budget import urls

from .world import executed, project_in

pytestmark = pytest.mark.django_db

ROLES = ("anon", "office", "reporter", "leader", "stats", "outsider")
LOGIN = 302


def row(office: int, reporter: int, leader: int, stats: int, outsider: int) -> dict[str, int]:
    return {"anon": LOGIN, "office": office, "reporter": reporter, "leader": leader, "stats": stats,
            "outsider": outsider}


Build = Callable[[Any], str]
Data = Callable[[Any], dict[str, Any]]


def proj(state: str, tail: str = "") -> Build:
    def build(c: Any) -> str:
        p = project_in(c, state)
        if state == "approved":
            executed(c, p, "100000.00")
        return f"/budget/projects/{p.pk}/{tail}"
    return build


def nothing(c: Any) -> dict[str, Any]:
    return {}


def const(url: str) -> Build:
    return lambda c: url


MATRIX: dict[str, tuple[str, Build, Data, dict[str, int]]] = {
    "index": ("GET", const("/budget/"), nothing, row(200, 200, 200, 200, 403)),
    "project_new": ("GET", const("/budget/projects/new"), nothing, row(200, 200, 403, 403, 403)),
    "project": ("GET", proj("draft"), nothing, row(200, 200, 200, 404, 403)),
    "project_edit": ("GET", proj("draft", "edit"), nothing, row(200, 200, 403, 404, 403)),
    "targets": ("GET", proj("draft", "targets"), nothing, row(200, 200, 403, 404, 403)),
    "exante": ("GET", proj("submitted", "exante"), nothing, row(200, 403, 403, 404, 403)),
    "review": ("POST", proj("submitted", "review"), lambda c: {"decision": "return", "comment": "请细化成本指标"},
               row(302, 403, 403, 404, 403)),
    "progress": ("POST", proj("approved", "progress"), nothing, row(302, 302, 403, 404, 403)),
    "monitoring": ("POST", proj("approved", "monitoring"), lambda c: {"month": "2025-06"},
                   row(302, 302, 403, 404, 403)),
    "mark": ("POST", proj("approved", "mark"), lambda c: {"mark": "correct", "note": "限期整改"},
             row(302, 403, 403, 404, 403)),
    "evaluate": ("GET", proj("approved", "evaluate"), nothing, row(200, 200, 403, 404, 403)),
    "recheck": ("GET", proj("approved", "recheck"), nothing, row(200, 403, 403, 404, 403)),
    "external": ("POST", proj("approved", "external"),
                 lambda c: {"score": "85", "evaluator": "某评价机构", "report": "基本达成目标"},
                 row(302, 403, 403, 404, 403)),
    "board": ("GET", const("/budget/monitoring/?year=2025"), nothing, row(200, 200, 200, 200, 403)),
    "report_xlsx": ("GET", lambda c: f"/budget/monitoring/report.xlsx?year=2025&unit={c.east.pk}", nothing,
                    row(200, 200, 200, 404, 403)),
    "report_pdf": ("GET", lambda c: f"/budget/monitoring/report.pdf?year=2025&unit={c.east.pk}", nothing,
                   row(200, 200, 200, 404, 403)),
    "import_projects": ("GET", const("/budget/import/projects"), nothing, row(200, 403, 403, 403, 403)),
    "import_executions": ("GET", const("/budget/import/executions"), nothing, row(200, 403, 403, 403, 403)),
    "import_template": ("GET", const("/budget/import/executions/template.xlsx"), nothing,
                        row(200, 403, 403, 403, 403)),
    "results": ("GET", const("/budget/results/?year=2025"), nothing, row(200, 200, 200, 200, 403)),
    "adjustments_xlsx": ("GET", const("/budget/results/adjustments.xlsx?year=2025"), nothing,
                         row(200, 200, 200, 200, 403)),
    "feed": ("POST", const("/budget/results/feed?year=2025"), nothing, row(302, 403, 403, 403, 403)),
    "disclosure": ("GET", const("/budget/disclosure/?year=2025"), nothing, row(200, 200, 200, 200, 403)),
    "cockpit": ("GET", const("/budget/cockpit/?year=2025"), nothing, row(200, 403, 403, 403, 403)),
    "settings": ("GET", const("/budget/settings/?year=2025"), nothing, row(200, 403, 403, 403, 403)),
    "library": ("GET", const("/budget/library/"), nothing, row(200, 200, 200, 200, 403)),
    "library#post": ("POST", const("/budget/library/"), lambda c: {
        "sector": "交通运输", "part": "output", "sub": "quantity", "name": "新改建农村公路里程", "unit": "公里",
        "standard": "plan", "direction": "higher"}, row(302, 403, 403, 403, 403)),
}


def test_every_budget_url_has_a_row() -> None:
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name}
    assert names == {k.split("#")[0] for k in MATRIX}


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_role_gets_expected_status(key: str, cast: Any, client: Any) -> None:
    method, build, data, expected = MATRIX[key]
    got = {}
    for role in ROLES:
        with transaction.atomic():
            url = build(cast)
            if role == "anon":
                client.logout()
            else:
                client.force_login(getattr(cast, role))
            resp = client.get(url) if method == "GET" else client.post(url, data(cast))
            got[role] = resp.status_code
            if role == "anon":
                assert resp["Location"].startswith("/login/")
            transaction.set_rollback(True)
    assert got == expected, f"{key} {method}"
