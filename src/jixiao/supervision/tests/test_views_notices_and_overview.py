"""Reminder notices reach the unit's inbox and notices page and are signed for (htmx swaps the
row); the overview counts per lead unit and per leader, linking to the filtered list."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jixiao.supervision.models import Notice

pytestmark = pytest.mark.django_db


def notice(m, seq=1):
    # Issued by the reminder job in real life; here only the page is under test.
    return Notice.objects.create(matter=m, sequence=seq, unit=m.lead_unit, light="red", issued_on=dt.date(2026, 3, 2),
                                 deadline=m.deadline, message=f"第{seq}次催办：请抓紧办理")


def test_notice_read(sv, client):
    n = notice(sv.east_task)
    notice(sv.west_task)
    client.force_login(sv.cast.reporter)
    inbox = client.get("/supervision/inbox/").content.decode()
    assert f'id="notice-{n.pk}"' in inbox and "第1次催办" in inbox
    page = client.get("/supervision/notices/?unread=1").content.decode()
    assert page.count("data-notice=") == 1  # 西镇's notice is not his
    resp = client.post(f"/supervision/notices/{n.pk}/read", HTTP_HX_REQUEST="true")
    assert resp.status_code == 200
    row = resp.content.decode()
    assert row.strip().startswith(f'<tr id="notice-{n.pk}"') and "已签收" in row
    n.refresh_from_db()
    assert n.read_at is not None
    assert "data-notice=" not in client.get("/supervision/notices/?unread=1").content.decode()
    assert "已签收" in client.get("/supervision/notices/").content.decode()


def test_overview_counts(sv, client):
    client.force_login(sv.cast.office)
    html = client.get("/supervision/overview/").content.decode()
    units = html.split('id="per-unit"')[1].split("</table>")[0]
    east = re.search(rf'<tr data-key="{sv.cast.east.pk}">(.*?)</tr>', units, re.S).group(1)
    assert f'href="/supervision/?unit={sv.cast.east.pk}&amp;lead=1">东镇</a>' in east
    assert re.search(r'data-light="green"><a [^>]*>1</a>', east) and re.search(r'data-light="waiting"><a [^>]*>1</a>',
                                                                                  east)
    leaders = html.split('id="per-leader"')[1].split("</table>")[0]
    assert f'href="/supervision/?leader={sv.cast.leader.pk}">leader</a>' in leaders
    assert "（未指定）" in leaders
    client.force_login(sv.cast.leader)
    html = client.get("/supervision/overview/").content.decode()
    assert "西镇" not in html.split('id="per-unit"')[1].split("</table>")[0]
