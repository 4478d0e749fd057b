"""Refusals on the results pages say why, in Chinese, inside the layout; the irreversible results
actions (publishing, withdrawing, switching a scheme version) ask first, saying what will happen;
the lists that grow (assessments, publications) come a page at a time."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.scoring import views, views_publications
from jixiao.scoring.models import Publication
from jixiao.scoring.services import publication_create
from jixiao.scoring.tests.approving import make_publishable

pytestmark = pytest.mark.django_db


def test_publishing_and_withdrawing_by_others_is_refused_with_the_reason(publication: Publication, ranked: Any,
                                                                          client: Any) -> None:
    client.force_login(ranked.leader)
    resp = client.post("/results/mini-2024/category/town/publish", {"note": "x"})
    assert resp.status_code == 403
    html = resp.content.decode()
    assert "只有绩效办可以发布考核结果" in html and 'class="topbar"' in html
    resp = client.post(f"/results/published/{publication.token}/withdraw", {"reason": "不同意"})
    assert resp.status_code == 403 and "只有绩效办可以撤回公示" in resp.content.decode()


def test_another_units_explanation_is_refused_with_the_reason(ranked: Any, client: Any) -> None:
    client.force_login(ranked.reporter)  # east's reporter
    resp = client.get("/results/mini-2024/object/west/")
    assert resp.status_code == 403 and "只能查看本单位（或本人）的考核结果" in resp.content.decode()
    assert client.get("/results/mini-2024/object/east/").status_code == 200


def test_an_unknown_category_is_not_found(ranked: Any, client: Any) -> None:
    client.force_login(ranked.office)
    assert client.get("/results/mini-2024/category/nosuch/").status_code == 404


def test_a_refused_publication_is_a_message_and_nothing_is_written(cast: Any, client: Any) -> None:
    client.force_login(cast.office)  # no results yet
    resp = client.post("/results/mini-2024/category/town/publish", {"note": ""}, follow=True)
    assert resp.redirect_chain[-1][0] == "/results/mini-2024/category/town/"
    assert 'class="msg msg-error"' in resp.content.decode() and not Publication.objects.exists()


def test_publish_and_withdraw_ask_first_saying_what_happens(publication: Publication, ranked: Any,
                                                            client: Any) -> None:
    client.force_login(ranked.office)
    ranking = client.get("/results/mini-2024/category/town/").content.decode()
    publish = ranking.split('id="publish-form"')[1].split("</form>")[0]
    assert 'data-confirm="' in publish and "将发布“乡镇”的考核结果" in publish and "公示内容固定不变" in publish
    for page in (f"/results/published/{publication.token}/", "/results/mini-2024/published/"):
        form = client.get(page).content.decode().split('class="withdraw-form"')[1].split("</form>")[0]
        assert 'data-confirm="' in form and "不能恢复" in form, page


def test_switching_a_version_asks_first(office_client: Any, cast: Any, v1: Any) -> None:
    from jixiao.schemes.tests.conftest import edited_post

    office_client.post(reverse("schemes:edit", args=[v1.pk]),
                       edited_post(v1, {"gdp": {"points": "50"}, "tax": {"points": "20"}}))
    v2 = v1.scheme.versions.get(number=2)
    compare = reverse("whatif:compare", args=[v2.pk]) + "?assessment=mini-2024"
    for url in (compare, reverse("schemes:version", args=[v2.pk])):
        html = office_client.get(url).content.decode()
        form = html.split(reverse("whatif:switch", args=[v2.pk]))[1].split("</form>")[0]
        assert 'data-confirm="' in form and "全部结果立即按新版本重算" in form, url


def test_publications_come_a_page_at_a_time(ranked: Any, scope: Any, client: Any, monkeypatch: Any) -> None:
    make_publishable(ranked, scope)
    for _ in range(3):
        publication_create(actor=ranked.office, scope=scope(ranked.office), assessment=ranked.assessment,
                           category="town")
    monkeypatch.setattr(views_publications, "PAGE", 2)
    client.force_login(ranked.leader)
    first = client.get("/results/mini-2024/published/").content.decode()
    last = client.get("/results/mini-2024/published/?page=2").content.decode()
    assert first.count("data-token=") == 2 and last.count("data-token=") == 1
    assert "第 1 / 2 页，共 3 条" in first


def test_the_assessments_list_is_paginated(ranked: Any, client: Any, monkeypatch: Any) -> None:
    from jixiao.schemes.models import Assessment

    Assessment.objects.create(code="mini-2025", name="测试县2025年度考核", year=2025, version=ranked.assessment.version,
                              organisation_id=ranked.assessment.organisation_id)
    monkeypatch.setattr(views, "ASSESSMENTS_PAGE", 1)
    client.force_login(ranked.office)
    html = client.get("/results/").content.decode()
    assert "第 1 / 2 页，共 2 条" in html


def test_an_object_outside_the_assessment_has_no_explanation(ranked: Any, client: Any) -> None:
    from jixiao.org.models import AssessedObject, Category

    other = Category.objects.create(code="other", name="其他", organisation_id=ranked.east.organisation_id)
    AssessedObject.objects.create(code="stray", name="游离对象", category=other, group="other", unit=ranked.east)
    client.force_login(ranked.office)
    assert client.get("/results/mini-2024/object/stray/").status_code == 404
