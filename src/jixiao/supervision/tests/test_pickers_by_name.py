"""The supervision forms' units and leaders are pickers by name with a filter box, whose choices
come from one selector per kind (``unit_choices`` / ``leader_choices``) scoped to the user."""

from __future__ import annotations

import re

import pytest

from jixiao.supervision.forms import MatterForm
from jixiao.supervision.selectors import leader_choices, unit_choices
from jixiao.supervision.tests.test_views_create_refuses_co_unit_as_lead import form_data

pytestmark = pytest.mark.django_db


def test_unit_choices_follow_the_users_rights(sv):
    c = sv.cast
    office = [u.name for u in unit_choices(scope=sv.scope(c.office))]
    assert office[0] == "测试县人民政府" and {"东镇", "西镇", "县统计局"} <= set(office)  # the tree's order
    # a leader registers matters for any unit (as the service allows); a reporter picks his own
    assert list(unit_choices(scope=sv.scope(c.leader))) == list(unit_choices(scope=sv.scope(c.office)))
    assert list(unit_choices(scope=sv.scope(c.reporter))) == [c.east]
    assert list(unit_choices(scope=sv.scope(c.outsider))) == []


def test_leader_choices_follow_the_users_rights(sv):
    c = sv.cast
    assert list(leader_choices(scope=sv.scope(c.office))) == [c.leader]
    assert list(leader_choices(scope=sv.scope(c.leader))) == [c.leader]
    assert list(leader_choices(scope=sv.scope(c.reporter))) == [c.leader]  # the leader over 东镇
    assert list(leader_choices(scope=sv.scope(c.outsider))) == []


def test_the_form_takes_its_choices_from_the_selectors(sv):
    c = sv.cast
    form = MatterForm(scope=sv.scope(c.reporter))
    assert list(form.fields["lead_unit"].queryset) == [c.east]  # type: ignore[attr-defined]
    assert list(form.fields["co_units"].queryset) == [c.east]  # type: ignore[attr-defined]
    assert list(form.fields["leader"].queryset) == [c.leader]  # type: ignore[attr-defined]
    # a unit outside the choices is refused even if posted by hand
    bad = MatterForm(form_data(sv, lead_unit=c.west.pk, co_units=[]), scope=sv.scope(c.reporter))
    assert not bad.is_valid() and "lead_unit" in bad.errors


def test_the_register_page_shows_names_with_a_filter(sv, client):
    client.force_login(sv.cast.office)
    html = client.get("/supervision/new/").content.decode()
    assert re.search(r'<select name="lead_unit"[^>]*data-picker', html)
    assert re.search(r'<select name="leader"[^>]*data-picker', html)
    co = re.search(r'<div id="id_co_units">.*?</div>\s*</div>', html, re.S)
    assert co and 'type="checkbox"' in co.group(0) and "data-picker" in co.group(0)
    assert "西镇" in co.group(0) and ">west<" not in co.group(0)
    assert "supervision/picker.js" in html
