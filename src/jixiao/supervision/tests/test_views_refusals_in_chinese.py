"""Supervision pages answer refusals through the one mechanism (``jixiao.core.refusals``): another
unit's matter is the Chinese "not found" page inside the layout, a step the user may not take the
Chinese refusal page with its reason, a service's refusal a message at the form or on the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jixiao.supervision.models import Matter
from jixiao.supervision.tests.test_views_create_refuses_co_unit_as_lead import form_data

pytestmark = pytest.mark.django_db


def test_another_units_matter_is_the_chinese_not_found_page(sv, client):
    client.force_login(sv.cast.reporter)  # 东镇's reporter; west_task is 西镇's alone
    resp = client.get(f"/supervision/{sv.west_task.pk}/")
    html = resp.content.decode()
    assert resp.status_code == 404
    assert "页面不存在" in html and "不在您的查看范围内" in html
    assert "Not Found" not in html and "The requested resource" not in html
    assert "<main" in html and "回到首页" in html  # inside the site's layout, with a way out


def test_a_step_he_may_not_take_is_refused_in_chinese_with_the_reason(sv, client):
    client.force_login(sv.cast.reporter)
    resp = client.post(f"/supervision/{sv.east_task.pk}/do/check_pass", {"version": sv.east_task.version})
    html = resp.content.decode()
    assert resp.status_code == 403
    assert "只有绩效办（督查室）才能对该事项进行“核查通过”" in html
    assert "Forbidden" not in html


def test_office_pages_say_who_they_are_for(sv, client):
    client.force_login(sv.cast.reporter)
    resp = client.get(reverse("supervision:deliveries"))
    assert resp.status_code == 403
    assert "此页面仅供绩效办（督查室）使用" in resp.content.decode()


def test_registering_is_refused_with_a_reason(sv, client):
    client.force_login(sv.cast.reporter)
    resp = client.get("/supervision/new/")
    assert resp.status_code == 403 and "只有绩效办（督查室）或领导才能" in resp.content.decode()


def test_a_stale_edit_is_told_at_the_top_of_the_form(sv, client):
    client.force_login(sv.cast.office)
    m = sv.draft
    data = form_data(sv, version=str(m.version - 1 if m.version > 1 else 999), title="改过的名称")
    resp = client.post(f"/supervision/{m.pk}/edit/", data)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "该事项已被他人处理，请刷新后重试" in html and 'id="form-errors"' in html
    assert Matter.objects.get(pk=m.pk).title != "改过的名称"


def test_a_refused_step_comes_back_as_a_message(sv, client):
    client.force_login(sv.cast.office)
    # east_task is assigned: reviewing it again is refused by the service (wrong state), not by rights.
    resp = client.post(f"/supervision/{sv.east_task.pk}/do/review", {"version": sv.east_task.version},
                       follow=True)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "msg-error" in html and "审核" in html
    assert Matter.objects.get(pk=sv.east_task.pk).state == "assigned"
