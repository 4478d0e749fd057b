"""Every supervision page, notice, bulletin and export speaks in names: states, kinds, sources,
levels, lights and units are never shown by their codes."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import io
import re

import pytest
from openpyxl import load_workbook

from jixiao.supervision.models import Notice
from jixiao.supervision.services.bulletins import bulletin_create
from jixiao.supervision.services.reminders import notices_issue

pytestmark = pytest.mark.django_db

CODES = ("registered", "reviewed", "assigned", "signed", "in_progress", "reported", "returned", "checked",
         "closed", "supervision", "rectification", "superior", "meeting", "inspection", "normal", "urgent",
         "important", "yellow", "green", "red", "waiting", "east", "west", "county", "tjj", "pending", "sent",
         "failed", "in_app", "draft", "published")


def visible(page: str) -> str:
    """The text a reader sees: no tags, attributes, scripts or styles."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return htmllib.unescape(page)


def codes_in(text: str) -> list[str]:
    return [c for c in CODES if re.search(rf"(?<![A-Za-z_]){c}(?![A-Za-z_])", text)]


@pytest.fixture
def world(sv):
    sv.travel(dt.date(2026, 3, 13))
    notices_issue()
    return sv


@pytest.mark.parametrize("user", ["office", "reporter", "leader"])
def test_pages_show_names(world, client, user):
    c = world.cast
    client.force_login(getattr(c, user))
    urls = ["/supervision/", "/supervision/rectification/", "/supervision/inbox/", "/supervision/notices/",
            f"/supervision/{world.east_task.pk}/", "/"]
    if user != "reporter":
        urls.append("/supervision/overview/")
    if user == "office":
        urls += ["/supervision/deliveries/", f"/supervision/{world.west_task.pk}/", "/supervision/new/",
                 f"/supervision/{world.draft.pk}/edit/"]
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert codes_in(visible(resp.content.decode())) == [], url


def test_notices_and_their_messages_show_names(world):
    for n in Notice.objects.all():
        assert codes_in(n.message) == [], n.message


def test_the_bulletin_and_its_workbook_show_names(world, client):
    c = world.cast
    b = bulletin_create(actor=c.office, scope=world.scope(c.office), date_from=dt.date(2026, 3, 1),
                        date_to=dt.date(2026, 3, 13))
    client.force_login(c.office)
    for url in (f"/supervision/bulletins/{b.pk}/", "/supervision/bulletins/",
                f"/supervision/bulletins/{b.pk}/?print=1"):
        assert codes_in(visible(client.get(url).content.decode())) == [], url
    wb = load_workbook(io.BytesIO(client.get(f"/supervision/bulletins/{b.pk}/bulletin.xlsx").content))
    cells = " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)
    assert codes_in(cells) == []


def test_the_api_gives_names_beside_its_codes(world):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.cast.office)
    got = api.get(f"/api/matters/{world.east_task.pk}/").json()
    assert (got["lead_unit"], got["lead_unit_name"]) == ("east", "东镇")
    assert got["co_unit_names"] == ["西镇"] and got["state_label"] == "已交办"
    assert got["kind_label"] == "督办事项" and got["source_label"] == "上级交办"
    assert got["light_label"] == "黄灯" and got["light_reason"]
