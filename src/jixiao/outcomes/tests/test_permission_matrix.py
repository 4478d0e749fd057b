"""Every ``outcomes:`` URL, for every role, answers as its row says (the core matrix leaves the
app to this file). Each role's request runs in a savepoint that is rolled back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, resolve

from jixiao.outcomes import urls
from jixiao.outcomes.models import ImprovementPlan
from jixiao.outcomes.services import appeal_file, plans_require, year_archive
from jixiao.scoring.models import Publication

pytestmark = pytest.mark.django_db

ROLES = ("anon", "office", "reporter", "leader", "stats", "outsider")
LOGIN = 302


def _office_only(ok: int = 200) -> dict[str, int]:
    return {"anon": LOGIN, "office": ok, "reporter": 403, "leader": 403, "stats": 403, "outsider": 403}


# The appeal is 东镇's: its reporter filed it, its leader oversees 东镇; 县统计局 sees no unit.
EAST = {"anon": LOGIN, "office": 200, "reporter": 200, "leader": 200, "stats": 404, "outsider": 404}
PAID = "/outcomes/rewards/?assessment=mini-2024&category=town&mode=pool&amount=10000.00"
Row = tuple[str, Callable[[dict[str, Any]], str], dict[str, int], dict[str, Any]]
MATRIX: dict[str, Row] = {
    "index": ("GET", lambda c: "/outcomes/", {"anon": LOGIN, **{r: 200 for r in ROLES[1:]}}, {}),
    "appeal_new": ("GET", lambda c: f"/outcomes/appeals/new/{c['token']}/",
                   {"anon": LOGIN, "office": 403, "reporter": 200, "leader": 403, "stats": 403, "outsider": 404}, {}),
    "appeal_new#post": ("POST", lambda c: f"/outcomes/appeals/new/{c['token']}/",
                        {"anon": LOGIN, "office": 403, "reporter": 302, "leader": 403, "stats": 403,
                         "outsider": 404}, {"object": "east", "indicator": "gdp", "reason": "数据有误"}),
    "appeal": ("GET", lambda c: f"/outcomes/appeals/{c['appeal']}/", EAST, {}),
    "appeal_decide": ("POST", lambda c: f"/outcomes/appeals/{c['appeal']}/decide", _office_only(302),
                      {"accept": "0", "reason": "与台帐一致"}),
    "appeal_republish": ("POST", lambda c: f"/outcomes/appeals/{c['appeal']}/republish", _office_only(302), {}),
    "appeal_evidence": ("GET", lambda c: f"/outcomes/appeals/{c['appeal']}/evidence", EAST, {}),
    "rewards": ("GET", lambda c: "/outcomes/rewards/", _office_only(), {}),
    "rewards#paid": ("GET", lambda c: PAID, _office_only(), {}),
    "rewards#xlsx": ("GET", lambda c: PAID + "&fmt=xlsx", _office_only(), {}),
    "archives": ("GET", lambda c: "/outcomes/archives/", _office_only(), {}),
    "archive_download": ("GET", lambda c: f"/outcomes/archives/{c['archive']}/download", _office_only(), {}),
    "feedback": ("GET", lambda c: "/outcomes/feedback/mini-2024/east/", EAST, {}),
    "feedback#post": ("POST", lambda c: "/outcomes/feedback/mini-2024/east/",
                      {**EAST, "office": 302, "reporter": 403, "leader": 403}, {"suggestions": "加强统计"}),
    "letter_pdf": ("GET", lambda c: "/outcomes/feedback/mini-2024/east/letter.pdf", EAST, {}),
    "plans": ("GET", lambda c: "/outcomes/plans/", {"anon": LOGIN, **{r: 200 for r in ROLES[1:]}}, {}),
    "plans_require": ("POST", lambda c: "/outcomes/plans/require", _office_only(302),
                      {"pick": "mini-2024|town", "grade": "不合格"}),
    "plan": ("GET", lambda c: f"/outcomes/plans/{c['plan']}/", EAST, {}),
    "plan_item": ("POST", lambda c: f"/outcomes/plans/{c['plan']}/items", {**EAST, "leader": 403, "reporter": 302,
                                                                          "office": 302},
                  {"measure": "每月调度", "owner": "张三", "due": "2025-06-30", "result": "完成率≥95%"}),
    # Only 东镇's head signs: none of the cast is one (his own test signs).
    "plan_sign": ("POST", lambda c: f"/outcomes/plans/{c['plan']}/sign", {**EAST, "office": 403, "reporter": 403,
                                                                         "leader": 403}, {}),
    "plan_review": ("POST", lambda c: f"/outcomes/plans/{c['plan']}/review", _office_only(302),
                    {"kind": "half", "progress": "进展正常"}),
    "object_years": ("GET", lambda c: "/outcomes/object/east/years/", EAST, {}),
}


def test_every_outcomes_url_has_a_row() -> None:
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name}
    assert {k.split("#", 1)[0] for k in MATRIX} == names


@pytest.fixture
def world(cast: Any, scope: Any, published: Publication) -> dict[str, Any]:
    appeal = appeal_file(actor=cast.reporter, scope=scope(cast.reporter), publication=published, obj=cast.east_obj,
                         indicator="gdp", reason="数据有误",
                         evidence=SimpleUploadedFile("证明.pdf", b"%PDF-1.4 x", content_type="application/pdf"))
    archive = year_archive(actor=cast.office, scope=scope(cast.office), assessment=cast.assessment)
    plans_require(actor=cast.office, scope=scope(cast.office), assessment=cast.assessment, category="town",
                  grade="不合格")
    plan = ImprovementPlan.objects.get(object=cast.east_obj)
    return {"cast": cast, "token": published.token, "appeal": appeal.pk, "archive": archive.pk, "plan": plan.pk}


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_role_gets_expected_status(key: str, world: dict[str, Any], client: Any) -> None:
    method, build, expected, data = MATRIX[key]
    url = build(world)
    match = resolve(urlparse(url).path)
    assert match.namespace == "outcomes" and match.url_name == key.split("#", 1)[0], f"{key} built {url}"
    got = {}
    for role in ROLES:
        with transaction.atomic():
            if role == "anon":
                client.logout()
            else:
                client.force_login(getattr(world["cast"], role))
            post = dict(data)
            if "object" in post:
                post["object"] = world["cast"].east_obj.pk
            resp = client.get(url) if method == "GET" else client.post(url, post)
            got[role] = resp.status_code
            if role == "anon" and resp.status_code == 302:
                assert resp["Location"].startswith("/login/"), f"{key}: anon sent to {resp['Location']}"
            transaction.set_rollback(True)
    assert got == expected, f"{key} {method} {url}"
