"""Registering through the form: a co-unit equal to the lead unit is refused next to the co-units
field, and nothing is saved; a valid form registers the matter with its milestones."""

from __future__ import annotations

import re

import pytest

from jixiao.supervision.models import Matter

pytestmark = pytest.mark.django_db


def form_data(sv, **over):
    data = {"kind": "supervision", "title": "修缮东镇中学校舍", "content": "暑期前完成", "source": "leader",
            "source_ref": "县长批示〔2026〕3号", "level": "important", "urgency": "urgent",
            "leader": sv.cast.leader.pk, "lead_unit": sv.cast.east.pk, "co_units": [sv.cast.west.pk],
            "liaison": "李四", "liaison_phone": "13900000000", "materials": "验收报告", "measures": "",
            "deadline": "2026-06-30", "warn_days": "5",
            "ms-TOTAL_FORMS": "3", "ms-INITIAL_FORMS": "0", "ms-MIN_NUM_FORMS": "0", "ms-MAX_NUM_FORMS": "30",
            "ms-0-title": "完成设计", "ms-0-due": "2026-04-15", "ms-1-title": "", "ms-1-due": "",
            "ms-2-title": "", "ms-2-due": ""}
    data.update(over)
    return data


def test_co_unit_equal_to_lead_unit_is_shown_next_to_the_field(sv, client):
    client.force_login(sv.cast.office)
    before = Matter.objects.count()
    resp = client.post("/supervision/new/", form_data(sv, co_units=[sv.cast.east.pk, sv.cast.west.pk]))
    assert resp.status_code == 200
    html = resp.content.decode()
    error = re.search(r'<span class="errors" id="error-co_units">([^<]*)</span>', html)
    assert error is not None, "the error is not next to the co-units field"
    assert "协办单位“东镇”与主办单位相同" in error.group(1)
    assert Matter.objects.count() == before
    # What was typed is kept.
    assert 'value="修缮东镇中学校舍"' in html


def test_valid_form_registers_the_matter_with_its_milestones(sv, client):
    client.force_login(sv.cast.office)
    resp = client.post("/supervision/new/", form_data(sv))
    m = Matter.objects.get(title="修缮东镇中学校舍")
    assert resp.status_code == 302 and resp["Location"] == f"/supervision/{m.pk}/"
    assert (m.state, m.lead_unit, m.leader, m.warn_days, m.level, m.urgency) == (
        "registered", sv.cast.east, sv.cast.leader, 5, "important", "urgent")
    assert list(m.co_units.all()) == [sv.cast.west]
    assert [(x.title, str(x.due)) for x in m.milestones.all()] == [("完成设计", "2026-04-15")]


def test_a_leader_may_register_but_a_reporter_may_not(sv, client):
    client.force_login(sv.cast.leader)
    assert client.post("/supervision/new/", form_data(sv, title="领导交办事项")).status_code == 302
    client.force_login(sv.cast.reporter)
    assert client.post("/supervision/new/", form_data(sv, title="填报员登记")).status_code == 403
    assert not Matter.objects.filter(title="填报员登记").exists()
