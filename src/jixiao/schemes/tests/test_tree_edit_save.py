"""Saving the tree editor creates a new draft version based on the one being edited."""

import pytest
import yaml
from django.urls import reverse

from jixiao.audit.models import AuditEntry
from jixiao.schemes.catalog import catalog_for
from jixiao.schemes.models import SchemeVersion

from .conftest import edited_post


@pytest.mark.django_db
def test_saving_an_edit_creates_v2_draft(office_client, cast, v1):
    post = edited_post(v1, {"gdp": {"points": "50"}, "tax": {"points": "20", "name": "税收收入（地方）"}},
                       note="调分值")
    resp = office_client.post(reverse("schemes:edit", args=[v1.pk]), post)
    v2 = SchemeVersion.objects.get(scheme=v1.scheme, number=2)
    assert resp.status_code == 302 and resp["Location"] == reverse("schemes:version", args=[v2.pk])
    assert v2.status == SchemeVersion.Status.DRAFT and v2.based_on_id == v1.pk
    assert v2.note == "调分值" and v2.created_by == cast.office
    leaves = {lf.code: lf for lf in catalog_for(v2.text).categories["town"].leaves}
    assert leaves["gdp"].points == 50 and leaves["tax"].points == 20 and leaves["tax"].name == "税收收入（地方）"
    # everything the form did not touch is as it was
    before, after = yaml.safe_load(v1.text), yaml.safe_load(v2.text)
    after["categories"][0]["indicators"][0]["points"] = 40
    after["categories"][0]["indicators"][1]["points"] = 30
    after["categories"][0]["indicators"][1]["name"] = "税收收入"
    assert after == before
    v1.refresh_from_db()
    assert v1.status == SchemeVersion.Status.ADOPTED  # the adopted version did not move
    assert AuditEntry.objects.filter(target="schemes.schemeversion", target_id=str(v2.pk), action="create").exists()


@pytest.mark.django_db
def test_an_invalid_tree_is_not_saved_and_the_input_is_kept(office_client, v1):
    post = edited_post(v1, {"gdp": {"points": "45"}})
    resp = office_client.post(reverse("schemes:edit", args=[v1.pk]), post)
    assert resp.status_code == 400
    assert SchemeVersion.objects.filter(scheme=v1.scheme).count() == 1
    html = resp.content.decode()
    assert 'name="row-0-points" value="45"' in html
    assert "分值合计 105" in html  # the engine's problem, in Chinese


@pytest.mark.django_db
def test_the_editor_page_shows_every_indicator(office_client, v1):
    html = office_client.get(reverse("schemes:edit", args=[v1.pk])).content.decode()
    for code in ("gdp", "tax", "ldpg", "jianfen"):
        assert f'value="{code}"' in html
    assert 'hx-trigger="input changed delay:300ms"' in html
    assert reverse("schemes:edit_check", args=[v1.pk]) in html
