"""The bulletin pages: the drafting form (defaults, errors, redirect to the new draft), the
detail page with its highlights spelled out in text, and the print view."""

from __future__ import annotations

import datetime as dt

import pytest

from jixiao.supervision.models import Bulletin

pytestmark = pytest.mark.django_db
D = dt.date


def test_form_defaults_to_this_month_up_to_today(sv, client):
    sv.travel(D(2026, 3, 17))
    client.force_login(sv.cast.office)
    html = client.get("/supervision/bulletins/new").content.decode()
    assert 'name="date_from" value="2026-03-01"' in html and 'name="date_to" value="2026-03-17"' in html


def test_post_creates_a_draft_and_shows_it(sv, client):
    client.force_login(sv.cast.office)
    sv.travel(D(2026, 3, 6))
    r = client.post("/supervision/bulletins/new", {"date_from": "2026-03-01", "date_to": "2026-03-06", "kind": ""})
    b = Bulletin.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/supervision/bulletins/{b.pk}/"
    html = client.get(r["Location"]).content.decode()
    assert "督办通报（2026年03月06日）" in html and "2026年第1期" in html
    # Red and overdue are spelled out, not only coloured.
    assert "逾期2天" in html and "否（未反馈）" in html and 'class="mark mark-red">红<' in html
    assert "整治道路扬尘" in html and "西镇" in html


def test_bad_dates_are_shown_on_the_form(sv, client):
    client.force_login(sv.cast.office)
    r = client.post("/supervision/bulletins/new", {"date_from": "2026-03-05", "date_to": "2026-03-01"})
    assert r.status_code == 200 and "晚于截止日期" in r.content.decode()
    r = client.post("/supervision/bulletins/new", {"date_from": "2026-03-01", "date_to": "2026-04-01"})
    assert "晚于今天" in r.content.decode()
    assert not Bulletin.objects.exists()


def test_print_view_is_the_pdf_template(sv, client):
    client.force_login(sv.cast.office)
    client.post("/supervision/bulletins/new", {"date_from": "2026-03-01", "date_to": "2026-03-02"})
    b = Bulletin.objects.get()
    html = client.get(f"/supervision/bulletins/{b.pk}/?print=1").content.decode()
    assert "size: A4 landscape" in html and "data-print" in html and 'id="bulletin-units"' in html
    assert "<header" not in html  # a page of its own, without the site's frame
