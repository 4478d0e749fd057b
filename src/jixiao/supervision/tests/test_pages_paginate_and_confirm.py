"""The supervision lists that grow are paginated (matters, notices, deliveries, bulletins), and the
irreversible steps ask for a confirmation in Chinese first."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jixiao.supervision import views, views_bulletins
from jixiao.supervision.services.matters import matter_check
from jixiao.supervision.services.reminders import notices_issue

pytestmark = pytest.mark.django_db


def test_the_matters_list_pages_and_keeps_the_filters(sv, client, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    client.force_login(sv.cast.office)
    html = client.get("/supervision/?q=").content.decode()
    assert len(re.findall(r'<tr data-matter=', html)) == 2
    assert "第 1 / 2 页，共 3 条" in html
    # the counts by light are the whole list's, not the page's
    assert re.search(r'data-light="all"><strong>3</strong>', html)
    second = client.get("/supervision/?page=2").content.decode()
    assert len(re.findall(r'<tr data-matter=', second)) == 1
    filtered = client.get("/supervision/?light=yellow&state=assigned").content.decode()
    assert "page=" not in filtered or "light=yellow" in filtered


def test_the_pager_carries_the_light_and_the_filters(sv, client, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 1)
    client.force_login(sv.cast.office)
    html = client.get("/supervision/?light=waiting&q=%E7%AD%B9").content.decode()  # 筹
    assert "page=" not in html  # one matter: one page
    html = client.get("/supervision/?state=assigned").content.decode()
    assert "state=assigned&amp;page=2" in html


def test_notices_are_paginated(sv, client, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 1)
    sv.travel(dt.date(2026, 3, 13))
    notices_issue()
    client.force_login(sv.cast.office)
    html = client.get("/supervision/notices/").content.decode()
    assert len(re.findall(r'<tr id="notice-', html)) == 1 and "第 1 / 2 页，共 2 条" in html


def test_bulletins_are_paginated(sv, client, monkeypatch):
    from jixiao.supervision.services.bulletins import bulletin_create

    monkeypatch.setattr(views_bulletins, "PER_PAGE", 1)
    office = sv.scope(sv.cast.office)
    for day in (1, 2):
        bulletin_create(actor=sv.cast.office, scope=office, date_from=dt.date(2026, 3, 1),
                        date_to=dt.date(2026, 3, day))
    client.force_login(sv.cast.office)
    html = client.get("/supervision/bulletins/").content.decode()
    assert "第 1 / 2 页，共 2 条" in html


def test_the_deliveries_use_the_common_pager(sv, client, monkeypatch):
    from jixiao.supervision import views_reminders
    from jixiao.supervision.models import Delivery

    monkeypatch.setattr(views_reminders, "PER_PAGE", 1)
    sv.travel(dt.date(2026, 3, 13))
    notices_issue()
    d = Delivery.objects.first()
    d.pk, d.recipient = None, sv.cast.office  # a second recipient of the same notice
    d.save()
    client.force_login(sv.cast.office)
    html = client.get("/supervision/deliveries/").content.decode()
    assert 'class="pager' in html and "第 1 / 2 页，共 2 条" in html


def test_irreversible_buttons_carry_a_chinese_confirmation(sv, client):
    c = sv.cast
    client.force_login(c.office)
    html = client.get("/supervision/").content.decode()
    assert re.search(r"立即催办.*?", html) and "确定立即催办？" in html
    html = client.get("/supervision/deliveries/").content.decode()
    assert "确定立即催办？" in html


def test_the_close_button_asks_before_closing(sv, client):
    from jixiao.supervision.models import Matter

    c = sv.cast
    office = sv.scope(c.office)
    Matter.objects.filter(pk=sv.east_task.pk).update(state="reported", completed_on=dt.date(2026, 3, 2),
                                                      materials="")
    m = Matter.objects.get(pk=sv.east_task.pk)
    client.force_login(c.office)
    html = client.get(f"/supervision/{m.pk}/").content.decode()
    assert "确定核查通过？" in re.search(r'<form[^>]*data-action="check_pass".*?</form>', html, re.S).group(0)
    matter_check(actor=c.office, scope=office, matter=m, passed=True)
    html = client.get(f"/supervision/{m.pk}/").content.decode()
    form = re.search(r'<form[^>]*data-action="close".*?</form>', html, re.S).group(0)
    assert "data-confirm=\"办结销号后该事项即告办结" in form
