"""The list pages, the inbox and the overview cost the same number of queries with a few matters
(the three of ``sv`` and one of each kind more) as with thirty times more (no query per matter),
under a fixed bound."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.supervision.services import matter_feedback, matter_sign

from .conftest import assigned, make_input

pytestmark = pytest.mark.django_db

# Session, user and scope (4 of them) + the page's own reads. Measured: lists 10–11, inbox 10,
# overview 8, notices 6. The home page, with its supervision panel and, for the office and leaders,
# each assessment's progress (recording rate, objects with results: a few queries per assessment, none
# per matter), 17.
BOUND = 12
HOME_BOUND = 20
PAGES = ["/supervision/", "/supervision/rectification/", "/supervision/inbox/", "/supervision/overview/",
         "/supervision/notices/", "/"]


def count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, url
    return len(ctx), resp.content.decode()


def grow(sv, start, n):
    """n matters of each kind for 东镇 (co-unit 西镇, with a milestone, leader in charge), some
    signed with an attached feedback, so every column of the lists has something to show."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = sv.cast
    rep = sv.scope(c.reporter)
    for i in range(start, start + n):
        for kind in ("supervision", "rectification"):
            m = assigned(c, make_input(c, title=f"{kind}事项{i:02d}", lead=c.east, co=(c.west,), leader=c.leader,
                                       deadline=dt.date(2026, 3, 10 + i % 15), kind=kind,
                                       milestones=(("节点", dt.date(2026, 3, 5)),)))
            if i % 2:
                m = matter_sign(actor=c.reporter, scope=rep, matter=m)
                matter_feedback(actor=c.reporter, scope=rep, matter=m, unit=c.east, text="进展",
                                uploads=[SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")])


def test_queries_do_not_grow_with_the_matters(sv, client):
    grow(sv, 0, 1)
    small = {}
    for who in ("office", "reporter", "leader"):
        client.force_login(getattr(sv.cast, who))
        small[who] = {url: count(client, url)[0] for url in PAGES if who != "reporter" or "overview" not in url}
    grow(sv, 1, 29)
    for who, pages in small.items():
        client.force_login(getattr(sv.cast, who))
        for url, n in pages.items():
            big, html = count(client, url)
            assert big == n, f"{who} {url}: {n} queries with 5 matters, {big} with 63"
            assert big <= (HOME_BOUND if url == "/" else BOUND), f"{who} {url}: {big} queries"
            if url in ("/supervision/", "/supervision/inbox/"):
                assert "supervision事项29" in html, "the grown data is not on the page"
            if url == "/supervision/rectification/":
                assert "rectification事项29" in html
