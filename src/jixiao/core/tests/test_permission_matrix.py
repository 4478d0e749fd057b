"""Every URL for every role: who gets the page, who is refused, who is sent to log in.

The matrix is data; a URL pattern without a row here fails ``test_item_09_every_url_is_in_the_matrix``,
so a new page cannot ship without deciding who may open it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from jixiao.collection.services import evidence_add, incident_create, value_save
from jixiao.scoring.services import publication_create
from jixiao.scoring.tests.approving import make_publishable, reopen_periods

ROLES = ("anon", "office", "reporter", "leader", "stats", "outsider")
LOGIN = 302  # anonymous users are redirected to the login page
API_ANON = (401, 403)


def _all(code: int) -> dict[str, Any]:
    return {"anon": LOGIN, **{r: code for r in ROLES[1:]}}


def _office_only(ok: int = 200) -> dict[str, Any]:
    return {"anon": LOGIN, "office": ok, "reporter": 403, "leader": 403, "stats": 403, "outsider": 403}


def _in_org(expected: dict[str, Any], outsider: int = 404) -> dict[str, Any]:
    """A page of one of the organisation's records: an account with no role belongs to no
    organisation, so for him the record does not exist."""
    return {**expected, "outsider": outsider}


def _api(**roles: int) -> dict[str, Any]:
    return {"anon": API_ANON, **roles}


# name: (method, url builder, expected status per role)
Row = tuple[str, Callable[[dict[str, Any]], str], dict[str, Any]]
MATRIX: dict[str, Row] = {
    "home": ("get", lambda c: "/", _all(200)),
    "org:index": ("get", lambda c: "/org/", _all(200)),
    # Whoever holds a role in the organisation may work in it; the outsider holds none.
    "account:password": ("get", lambda c: "/account/password/", _all(200)),
    # Only the audit administrator (审计管理员), whom the cast has not: refused to everyone here.
    "audit:index": ("get", lambda c: "/audit/", _all(403)),
    "audit:verify": ("post", lambda c: "/audit/verify/", _all(403)),
    "audit:export": ("get", lambda c: "/audit/export.xlsx", _all(403)),
    "org:switch": ("post", lambda c: "/org/switch/", _in_org(_all(302), 403)),
    "search:index": ("get", lambda c: "/search/?q=东镇", _all(200)),
    "manual:index": ("get", lambda c: "/manual/", _all(200)),
    "manual:shot": ("get", lambda c: "/manual/shots/no-such-shot.png", _all(404)),
    # One assessment: straight to it (the outsider's organisation has none: the empty list).
    "collection:index": ("get", lambda c: "/ledger/", _in_org(_all(302), 200)),
    "collection:assessment": ("get", lambda c: "/ledger/mini-2024/", _in_org(_all(200))),
    "collection:period": ("get", lambda c: "/ledger/mini-2024/2024-Q1/", _in_org(_all(200))),
    "collection:object": ("get", lambda c: "/ledger/mini-2024/2024-Q1/west/",
                          {"anon": LOGIN, "office": 200, "reporter": 403, "leader": 403, "stats": 200,
                           "outsider": 404}),
    "collection:rates": ("get", lambda c: "/ledger/mini-2024/2024-Q1/rates", _office_only()),
    "collection:incidents": ("get", lambda c: "/ledger/incidents/", _all(200)),
    "collection:review_queue": ("get", lambda c: "/ledger/review/", _office_only()),
    # The outsider's organisation has no assessment with incident indicators: refused, saying so.
    "collection:incident_form_fields": ("get", lambda c: "/ledger/incidents/form?assessment=mini-2024",
                                        _in_org(_all(200), 403)),
    "collection:incident_review": ("post", lambda c: f"/ledger/incidents/{c['incident']}/review",
                                   _in_org(_office_only(302))),
    "collection:review": ("post", lambda c: f"/ledger/values/{c['west_value']}/review",
                          _in_org(_office_only(302))),
    "collection:review_all": ("post", lambda c: "/ledger/mini-2024/2024-Q1/west/verify",
                              _in_org(_office_only(302))),
    "collection:evidence_upload": ("post", lambda c: f"/ledger/values/{c['west_value']}/evidence",
                                   {"anon": LOGIN, "office": 302, "reporter": 403, "leader": 403, "stats": 302,
                                    "outsider": 404}),
    "collection:value_history": ("get", lambda c: f"/ledger/values/{c['west_value']}/history",
                                 {"anon": LOGIN, "office": 200, "reporter": 403, "leader": 403, "stats": 200,
                                  "outsider": 404}),
    "collection:evidence": ("get", lambda c: f"/ledger/evidence/{c['west_evidence']}",
                            {"anon": LOGIN, "office": 200, "reporter": 403, "leader": 403, "stats": 200,
                             "outsider": 404}),
    "collection:ballot_create": ("post", lambda c: "/ledger/mini-2024/2024-Q1/west/ballots",
                                 _in_org(_office_only(302))),
    "scoring:index": ("get", lambda c: "/results/", _in_org(_all(302), 200)),
    "scoring:assessment": ("get", lambda c: "/results/mini-2024/", _in_org(_all(302))),
    "scoring:ranking": ("get", lambda c: "/results/mini-2024/category/town/", _in_org(_all(200))),
    "scoring:pending": ("get", lambda c: "/results/mini-2024/pending?category=town", _in_org(_all(200))),
    "scoring:recompute": ("post", lambda c: "/results/mini-2024/recompute", _in_org(_office_only(302))),
    "scoring:object": ("get", lambda c: "/results/mini-2024/object/west/",
                       {"anon": LOGIN, "office": 200, "reporter": 403, "leader": 403, "stats": 403,
                        "outsider": 404}),
    "scoring:publications": ("get", lambda c: "/results/mini-2024/published/", _in_org(_all(200))),
    "scoring:publish": ("post", lambda c: "/results/mini-2024/category/town/publish", _office_only(302)),
    "scoring:published": ("get", lambda c: f"/results/published/{c['publication']}/", _all(200)),
    "scoring:published_xlsx": ("get", lambda c: f"/results/published/{c['publication']}/result.xlsx", _all(200)),
    "scoring:withdraw": ("post", lambda c: f"/results/published/{c['publication']}/withdraw", _office_only(302)),
    "scoring:notice_pdf": ("get", lambda c: f"/results/published/{c['publication']}/notice.pdf", _all(200)),
    # 网上公示: no sign-in needed for a publication the office made public.
    "scoring:public": ("get", lambda c: f"/results/public/{c['publication']}/", {r: 200 for r in ROLES}),
    # 结果审定: the office and the leadership group (none of the cast's roles is a member).
    "scoring:approval": ("get", lambda c: "/results/mini-2024/category/town/approval/", _office_only()),
    "scoring:approval_review": ("post", lambda c: "/results/mini-2024/category/town/approval/review",
                                _in_org(_office_only(302))),
    "scoring:approval_approve": ("post", lambda c: "/results/mini-2024/category/town/approval/approve",
                                 _office_only(403)),
}
# Pages anyone may open, and URLs whose own tests cover their permissions in detail.
EXEMPT = {"login", "logout", "healthz"}
EXEMPT_PREFIXES = ("api:", "schemes:", "whatif:", "collection:import_", "supervision:", "planning:", "dashboard:",
                   "reports:", "evaluations:", "evaluate:", "outcomes:",
                   "system:", "mfa:", "budget:", "datatrust:")


def _names(patterns: list[Any], ns: str | None = None) -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _names(p.url_patterns, p.namespace or ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{ns}:{p.name}" if ns else p.name


def test_item_09_every_url_is_in_the_matrix() -> None:
    names = set(_names(get_resolver().url_patterns))
    missing = {n for n in names if n not in MATRIX and n not in EXEMPT and not n.startswith(EXEMPT_PREFIXES)}
    assert not missing, f"URLs without a permission row: {sorted(missing)}"


@pytest.fixture
def world(cast: Any, scope: Any) -> dict[str, Any]:
    office = scope(cast.office)
    # Reported by 县统计局 and waiting for review: a verified value takes no more evidence from a
    # reporter (a status rule, not a permission), which would blur the stats row of the matrix.
    west = value_save(actor=cast.stats, scope=scope(cast.stats), period=cast.q1, obj=cast.west_obj,
                      indicator="tax", variable="value", value=Decimal("400"), submit=True)
    ev = evidence_add(actor=cast.office, scope=office, value=west,
                      upload=SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf"))
    # Published as the office would (periods closed, results approved), then reopened for the rows
    # that write to the ledger; the incident is left pending after.
    make_publishable(cast, scope)
    pub = publication_create(actor=cast.office, scope=office, assessment=cast.assessment, category="town",
                             public=True)
    reopen_periods(cast)
    inc = incident_create(actor=cast.office, scope=office, period=cast.q1, obj=cast.west_obj, indicator="jianfen",
                          item="tbpp", level="县", document="测政〔2024〕1号")
    return {"cast": cast, "west_value": west.pk, "west_evidence": ev.pk, "incident": inc.pk,
            "publication": pub.token}


def _post_data(name: str, world: dict[str, Any]) -> dict[str, Any]:
    if name == "org:switch":
        return {"organisation": world["cast"].county.organisation_id}
    if name == "collection:evidence_upload":
        return {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")}
    if name == "collection:ballot_create":
        return {"indicator": "ldpg", "rating": "25", "rater": "县长", "count": "1"}
    if name in ("collection:review", "collection:incident_review"):
        return {"approve": "on"}
    return {}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_item_09_matrix(role: str, world: dict[str, Any], client: Any) -> None:
    cast = world["cast"]
    if role != "anon":
        client.force_login(getattr(cast, role))
    wrong = []
    for name, (method, url, expected) in MATRIX.items():
        want = expected[role]
        response = client.post(url(world), _post_data(name, world)) if method == "post" else client.get(url(world))
        ok = response.status_code in want if isinstance(want, tuple) else response.status_code == want
        if ok and role == "anon" and want == LOGIN:
            ok = "/login/" in response["Location"]
        if not ok:
            wrong.append(f"{name} {url(world)}: {response.status_code}, expected {want}")
    assert not wrong, "\n".join(wrong)
