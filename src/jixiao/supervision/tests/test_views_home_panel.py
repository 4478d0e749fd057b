"""The home page shows the user's open matters by light and his unread reminder notices; the top
bar links to 督办."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jixiao.supervision.models import Notice

pytestmark = pytest.mark.django_db


def panel(client):
    html = client.get("/").content.decode()
    assert 'data-nav="supervision"' in html
    return {k: int(v) for k, v in re.findall(r'<strong id="sv-(\w+)">(\d+)</strong>', html)}


def test_panel_counts(sv, client):
    client.force_login(sv.cast.office)
    # The office signs no unit's notices: its panel is the summary by light.
    assert panel(client) == {"open": 2, "red": 0, "yellow": 1, "green": 1}
    client.force_login(sv.cast.reporter)
    assert panel(client) == {"open": 1, "red": 0, "yellow": 0, "green": 1, "unread": 0}
    Notice.objects.create(matter=sv.east_task, sequence=1, unit=sv.cast.east, light="yellow",
                          issued_on=dt.date(2026, 3, 2), deadline=sv.east_task.deadline, message="请抓紧")
    sv.travel(dt.date(2026, 4, 2))
    client.force_login(sv.cast.reporter)  # a session lasts two weeks of the moved clock
    assert panel(client) == {"open": 1, "red": 1, "yellow": 0, "green": 0, "unread": 1}
