"""The home page's supervision panel: a unit keeps its reminder notices to sign; a leader or a
county head — who signs none of the units' notices — gets a summary by light with links instead
(and the notices escalated to him, if any)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model

from jixiao.org.models import RoleGrant
from jixiao.supervision.models import Notice
from jixiao.supervision.services.reminders import notices_issue

pytestmark = pytest.mark.django_db


def panel(client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    m = re.search(r'<section id="supervision-panel".*?</section>', html, re.S)
    assert m, "no supervision panel on the home page"
    return m.group(0)


def count(html, ident):
    m = re.search(rf'id="{ident}">(\d+)<', html)
    return int(m.group(1)) if m else None


@pytest.fixture
def notices(sv):
    sv.travel(dt.date(2026, 3, 13))  # east_task's milestone is 2 days off, west_task overdue: both flagged
    notices_issue()
    assert Notice.objects.count() == 2
    return sv


@pytest.fixture
def county_head(sv):
    user = get_user_model().objects.create_user("county_head", first_name="县长")
    RoleGrant.objects.create(user=user, role=RoleGrant.Role.UNIT_HEAD, unit=sv.cast.county,
                             organisation_id=sv.cast.county.organisation_id)
    return user


def test_a_unit_keeps_its_notices_to_sign(notices, client):
    html = panel(client, notices.cast.reporter)
    assert 'data-kind="unit"' in html
    assert count(html, "sv-unread") == 1  # 东镇's notice, not 西镇's
    assert count(html, "sv-yellow") == 1


def test_a_leader_gets_a_summary_by_light_and_no_units_notices(notices, client):
    html = panel(client, notices.cast.leader)
    assert 'data-kind="summary"' in html
    assert count(html, "sv-unread") is None and "未签收催办通知" not in html
    assert count(html, "sv-yellow") == 1 and "/supervision/?light=yellow" in html
    assert "/supervision/overview/" in html
    # nor are the units' notices his to read or sign
    client.force_login(notices.cast.leader)
    assert "暂无催办通知" in client.get("/supervision/notices/").content.decode()
    east_notice = Notice.objects.get(unit=notices.cast.east)
    resp = client.post(f"/supervision/notices/{east_notice.pk}/read")
    assert resp.status_code == 403 and "您无需签收" in resp.content.decode()
    assert Notice.objects.get(pk=east_notice.pk).read_at is None


def test_a_county_head_gets_the_summary_of_every_town(notices, county_head, client):
    html = panel(client, county_head)
    assert 'data-kind="summary"' in html and "未签收催办通知" not in html
    assert count(html, "sv-red") == 1 and count(html, "sv-yellow") == 1
    assert "/supervision/?light=red" in html


def test_a_notice_escalated_to_the_leader_is_his_to_sign(notices, client):
    c = notices.cast
    Notice.objects.filter(unit=c.east).update(escalated=True, leader=c.leader)
    html = panel(client, c.leader)
    assert 'data-kind="summary"' in html and count(html, "sv-unread") == 1
    client.force_login(c.leader)
    n = Notice.objects.get(unit=c.east)
    assert client.post(f"/supervision/notices/{n.pk}/read").status_code == 302
    assert Notice.objects.get(pk=n.pk).read_at is not None
