"""Who sees which bulletin: the office drafts, reads and downloads drafts; everyone else signed
in sees published bulletins only, and cannot draft one."""

from __future__ import annotations

import datetime as dt

import pytest

from jixiao.supervision.models import Bulletin
from jixiao.supervision.services.bulletins import bulletin_create, bulletin_publish

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def pair(sv):
    c = sv.cast
    office = sv.scope(c.office)
    draft = bulletin_create(actor=c.office, scope=office, date_from=D(2026, 3, 1), date_to=D(2026, 3, 2),
                            title="二月草稿通报")
    published = bulletin_publish(actor=c.office, scope=office, bulletin=bulletin_create(
        actor=c.office, scope=office, date_from=D(2026, 2, 1), date_to=D(2026, 2, 28), title="一月已发布通报"))
    return draft, published


def test_reporter_cannot_draft(sv, client):
    client.force_login(sv.cast.reporter)
    assert client.get("/supervision/bulletins/new").status_code == 403
    r = client.post("/supervision/bulletins/new", {"date_from": "2026-03-01", "date_to": "2026-03-02"})
    assert r.status_code == 403
    assert not Bulletin.objects.exists()


@pytest.mark.parametrize("role", ["reporter", "leader", "stats"])
def test_others_see_published_only(sv, pair, client, role):
    draft, published = pair
    client.force_login(getattr(sv.cast, role))
    listing = client.get("/supervision/bulletins/").content.decode()
    assert "一月已发布通报" in listing and "二月草稿通报" not in listing
    assert "起草通报" not in listing
    for suffix in ("", "bulletin.xlsx", "bulletin.pdf"):
        assert client.get(f"/supervision/bulletins/{draft.pk}/{suffix}").status_code == 404
    assert client.get(f"/supervision/bulletins/{published.pk}/").status_code == 200
    assert client.get(f"/supervision/bulletins/{published.pk}/bulletin.xlsx").status_code == 200


def test_office_sees_drafts(sv, pair, client):
    draft, _published = pair
    client.force_login(sv.cast.office)
    listing = client.get("/supervision/bulletins/").content.decode()
    assert "一月已发布通报" in listing and "二月草稿通报" in listing and "起草通报" in listing
    page = client.get(f"/supervision/bulletins/{draft.pk}/").content.decode()
    assert "草稿，未发布" in page and 'id="publish-form"' in page
    assert client.get(f"/supervision/bulletins/{draft.pk}/bulletin.xlsx").status_code == 200


def test_anonymous_is_sent_to_log_in(sv, pair, client):
    _draft, published = pair
    for url in ("/supervision/bulletins/", f"/supervision/bulletins/{published.pk}/",
                f"/supervision/bulletins/{published.pk}/bulletin.xlsx"):
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"]


def test_an_account_of_no_organisation_sees_no_bulletin(sv, pair, client):
    _draft, published = pair
    client.force_login(sv.cast.outsider)
    assert "一月已发布通报" not in client.get("/supervision/bulletins/").content.decode()
    assert client.get(f"/supervision/bulletins/{published.pk}/").status_code == 404
