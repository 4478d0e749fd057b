"""The editors' check endpoints show the sums per group and the engine's problems as you type."""

import pytest
from django.urls import reverse

from jixiao.schemes.models import SchemeVersion

from .conftest import edited_post


@pytest.mark.django_db
def test_tree_check_flags_a_wrong_sum_and_names_the_row(office_client, v1):
    resp = office_client.post(reverse("schemes:edit_check", args=[v1.pk]), edited_post(v1, {"gdp": {"points": "50"}}))
    html = resp.content.decode()
    assert resp.status_code == 200 and "<html" not in html  # a fragment
    assert "sum-bad" in html and "✗" in html and "110" in html
    assert "分值合计 110" in html


@pytest.mark.django_db
def test_tree_check_passes_a_right_tree(office_client, v1):
    resp = office_client.post(reverse("schemes:edit_check", args=[v1.pk]),
                              edited_post(v1, {"gdp": {"points": "50"}, "tax": {"points": "20"}}))
    html = resp.content.decode()
    assert "sum-bad" not in html and "✓" in html and "校验通过" in html


@pytest.mark.django_db
def test_tree_check_names_the_row_of_an_engine_problem(office_client, v1):
    resp = office_client.post(reverse("schemes:edit_check", args=[v1.pk]),
                              edited_post(v1, {"tax": {"target": "-5"}}))
    html = resp.content.decode()
    assert '<a href="#row-1">指标 “税收收入”（tax）的 目标值</a>' in html and "应大于 0" in html


@pytest.mark.django_db
def test_row_operations_rerender_the_rows_and_the_check(office_client, v1):
    post = edited_post(v1, {})
    resp = office_client.post(reverse("schemes:edit_rows", args=[v1.pk]), {**post, "op": "add_child", "row": "0"})
    html = resp.content.decode()
    assert 'name="rows" value="5"' in html
    assert 'name="row-1-depth" value="1"' in html  # the new child under gdp
    assert 'hx-swap-oob="true"' in html and "必须填写" in html  # the new row has no code yet
    resp = office_client.post(reverse("schemes:edit_rows", args=[v1.pk]), {**post, "op": "delete", "row": "3"})
    html = resp.content.decode()
    assert 'name="rows" value="3"' in html and 'value="jianfen"' not in html
    assert SchemeVersion.objects.count() == 1  # nothing saved


@pytest.mark.django_db
def test_yaml_check_shows_the_line_of_a_problem(office_client, v1):
    text = v1.text.replace("points: 30\n        unit: 万元", "point: 30\n        unit: 万元")
    html = office_client.post(reverse("schemes:yaml_check", args=[v1.pk]), {"text": text}).content.decode()
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "point: 30" in t)
    assert f"第 {line} 行" in html and "不认识的字段" in html
    html = office_client.post(reverse("schemes:yaml_check", args=[v1.pk]), {"text": "a: [1"}).content.decode()
    assert "不是有效的 YAML" in html


@pytest.mark.django_db
def test_yaml_save_creates_a_draft(office_client, v1):
    text = v1.text.replace("name: 领导评估", "name: 领导评价")
    resp = office_client.post(reverse("schemes:yaml", args=[v1.pk]), {"text": text, "note": "改名"})
    v2 = SchemeVersion.objects.get(number=2)
    assert resp.status_code == 302 and v2.text == text and v2.status == "draft" and v2.based_on_id == v1.pk
