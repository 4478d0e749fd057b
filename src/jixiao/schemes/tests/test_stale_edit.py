"""A save based on a version someone else has already built on is refused; the typed input stays."""

import pytest
from django.urls import reverse

from jixiao.schemes.models import SchemeVersion
from jixiao.schemes.services import scheme_version_create

from .conftest import edited_post


@pytest.mark.django_db
def test_stale_tree_save_is_refused_with_the_message_and_input_kept(office_client, cast, v1):
    # I open v1 in the editor and start typing …
    mine = edited_post(v1, {"gdp": {"points": "55", "name": "我改的名称"}, "tax": {"points": "15"}})
    # … meanwhile someone saves v2 from v1
    theirs = scheme_version_create(actor=cast.office, based_on=v1, text=v1.text.replace("points: 40", "points: 40.0"),
                                   note="别人先保存")
    resp = office_client.post(reverse("schemes:edit", args=[v1.pk]), mine)
    assert resp.status_code == 409
    html = resp.content.decode()
    assert "已有更新的版本 v2" in html and "请在最新版本上修改" in html
    assert 'name="row-0-points" value="55"' in html and 'value="我改的名称"' in html
    assert 'name="row-1-points" value="15"' in html
    assert reverse("schemes:edit", args=[theirs.pk]) in html  # a way to the latest version
    assert list(SchemeVersion.objects.filter(scheme=v1.scheme).values_list("number", flat=True)) == [2, 1]


@pytest.mark.django_db
def test_stale_yaml_save_is_refused_and_the_text_kept(office_client, cast, v1):
    scheme_version_create(actor=cast.office, based_on=v1, text=v1.text, note="别人先保存")
    typed = v1.text.replace("name: 地区生产总值", "name: 我的GDP")
    resp = office_client.post(reverse("schemes:yaml", args=[v1.pk]), {"text": typed, "note": ""})
    assert resp.status_code == 409
    html = resp.content.decode()
    assert "已有更新的版本 v2" in html and "我的GDP" in html
    assert SchemeVersion.objects.filter(scheme=v1.scheme).count() == 2
