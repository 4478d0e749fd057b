"""Dates on supervision forms are typed as 2024-12-05 in a text box (no browser mm/dd/yyyy picker)
and parsed on the server; a wrong one is refused in Chinese naming the field."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jixiao.supervision.forms import ExtensionForm, MatterForm
from jixiao.supervision.models import Matter
from jixiao.supervision.tests.test_views_create_refuses_co_unit_as_lead import form_data

pytestmark = pytest.mark.django_db


def test_the_deadline_is_a_text_box_with_the_format_as_placeholder(sv, client):
    client.force_login(sv.cast.office)
    html = client.get("/supervision/new/").content.decode()
    tag = re.search(r'<input[^>]*name="deadline"[^>]*>', html).group(0)
    assert 'type="text"' in tag and 'placeholder="2024-12-05"' in tag and 'type="date"' not in tag
    assert 'type="date"' not in html


@pytest.mark.parametrize("typed", ["2026-06-30", "2026/06/30", "2026.06.30", "2026年06月30日", " 2026-06-30 "])
def test_the_ways_a_clerk_writes_a_date_are_understood(sv, typed):
    form = MatterForm(form_data(sv, deadline=typed), scope=sv.scope(sv.cast.office))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["deadline"] == dt.date(2026, 6, 30)


@pytest.mark.parametrize("typed", ["06/30/2026", "30.06.2026", "2026-13-01", "明天"])
def test_a_wrong_date_is_refused_in_chinese_naming_the_field(sv, typed):
    form = MatterForm(form_data(sv, deadline=typed), scope=sv.scope(sv.cast.office))
    assert not form.is_valid()
    assert form.errors["deadline"] == ["“办结时限”不是有效的日期，请按 2024-12-05 的格式填写（年-月-日）"]


def test_a_rectification_names_its_own_field(sv):
    form = MatterForm(form_data(sv, deadline="", kind="rectification"), scope=sv.scope(sv.cast.office),
                      kind="rectification")
    assert not form.is_valid()
    assert form.errors["deadline"] == ["请填写“整改时限”（如 2024-12-05）"]


def test_an_extension_date_is_checked_the_same_way(sv):
    form = ExtensionForm({"new_deadline": "4/30/2026", "reason": "雨季", "version": "1"})
    assert not form.is_valid() and "“申请延期至”不是有效的日期" in form.errors["new_deadline"][0]


def test_posting_a_wrong_date_keeps_the_page_and_saves_nothing(sv, client):
    client.force_login(sv.cast.office)
    before = Matter.objects.count()
    resp = client.post("/supervision/new/", form_data(sv, deadline="06/30/2026"))
    assert resp.status_code == 200 and Matter.objects.count() == before
    assert "“办结时限”不是有效的日期" in resp.content.decode()


def test_the_bulletin_form_uses_the_same_dates(sv, client):
    client.force_login(sv.cast.office)
    html = client.get("/supervision/bulletins/new").content.decode()
    assert 'type="date"' not in html and 'placeholder="2024-12-05"' in html
    resp = client.post("/supervision/bulletins/new", {"date_from": "2026-03-01", "date_to": "3/2/2026"})
    assert resp.status_code == 200 and "“截止日期”不是有效的日期" in resp.content.decode()
