"""The scheme pages refuse in Chinese, ask before what cannot be undone, show names not codes and
page the lists that grow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jixiao.schemes import services as sch
from jixiao.schemes.models import Period

from .conftest import edited_post


@pytest.mark.django_db
def test_a_non_office_user_is_told_why_in_chinese(client, cast):
    client.force_login(cast.reporter)
    resp = client.get(reverse("schemes:index"))
    assert resp.status_code == 403
    assert "考核方案和考核期只有考核办管理员可以管理" in resp.content.decode()


@pytest.mark.django_db
def test_closing_a_closed_period_is_refused_with_a_message(office_client, cast):
    url = reverse("schemes:period_close", args=[cast.q1.pk])
    assert office_client.post(url).status_code == 302
    assert not Period.objects.get(pk=cast.q1.pk).is_open
    resp = office_client.post(url, follow=True)
    assert resp.status_code == 200
    assert any("已关闭" in str(m) for m in resp.context["messages"])


@pytest.mark.django_db
def test_reopening_without_a_reason_keeps_the_form_and_says_why(office_client, cast):
    office_client.post(reverse("schemes:period_close", args=[cast.q1.pk]))
    resp = office_client.post(reverse("schemes:period_reopen", args=[cast.q1.pk]), {"reason": "  "})
    assert resp.status_code == 400
    assert not Period.objects.get(pk=cast.q1.pk).is_open


@pytest.mark.django_db
def test_adopting_and_closing_ask_for_confirmation(office_client, v1):
    office_client.post(reverse("schemes:edit", args=[v1.pk]),
                       edited_post(v1, {"gdp": {"points": "50"}, "tax": {"points": "20"}}))
    v2 = v1.scheme.versions.get(number=2)
    page = office_client.get(reverse("schemes:version", args=[v2.pk])).content.decode()
    adopt = page[page.index(reverse("schemes:adopt", args=[v2.pk])):][:400]
    assert 'data-confirm="' in adopt and "冻结" in adopt and "不能撤销" in adopt
    index = office_client.get(reverse("schemes:index")).content.decode()
    assert 'data-confirm="' in index and "不能再填报" in index


@pytest.mark.django_db
def test_a_refused_upload_is_said_at_the_file_field(office_client, v1):
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = office_client.post(reverse("schemes:import"), {
        "file": SimpleUploadedFile("方案.yaml", b"\xff\xfe not utf-8"), "code": "x", "name": "", "note": ""})
    assert resp.status_code == 400
    assert "UTF-8" in str(resp.context["form"].errors["file"])


@pytest.mark.django_db
def test_pages_show_names_not_codes(office_client, cast, v1):
    index = office_client.get(reverse("schemes:index")).content.decode()
    assert "2024年第一季度" in index and ">2024-Q1<" not in index
    assert f"（{v1.scheme.code}）" not in index
    page = office_client.get(reverse("schemes:version", args=[v1.pk])).content.decode()
    assert "地区生产总值" in page and "<td>gdp</td>" not in page


@pytest.mark.django_db
def test_versions_and_schemes_are_paged(office_client, cast, v1):
    v = v1
    for i in range(24):
        text = v1.text.rstrip("\n") + f"\ndescription: 修订{i}\n"
        v = sch.scheme_version_create(actor=cast.office, based_on=v, text=text, note=f"第{i}次")
    index = office_client.get(reverse("schemes:index")).content.decode()
    assert "全部 25 个版本" in index and "第23次" in index and "第10次" not in index
    url = reverse("schemes:scheme_versions", args=[v1.scheme_id])
    first = office_client.get(url).content.decode()
    assert "第 1 / 2 页，共 25 条" in first and "第23次" in first
    second = office_client.get(url + "?page=2").content.decode()
    assert "第0次" in second and "第23次" not in second
    for i in range(11):
        text = v1.text.replace("code: mini-2024", f"code: extra{i:02d}")
        sch.scheme_create(actor=cast.office, code=f"extra{i:02d}", name=f"附加方案{i:02d}", text=text)
    index = office_client.get(reverse("schemes:index")).content.decode()
    assert "第 1 / 2 页，共 12 条" in index and "附加方案00" in index and "附加方案10" not in index
    assert "附加方案10" in office_client.get(reverse("schemes:index") + "?page=2").content.decode()
