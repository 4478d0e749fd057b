"""A matter's page shows its light as a word with the reason in words, as the clock moves."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = pytest.mark.django_db


def light_and_reason(client, pk):
    html = client.get(f"/supervision/{pk}/").content.decode()
    light = re.search(r'<p id="matter-light" data-light="(\w+)">', html).group(1)
    reason = re.search(r'<span id="light-reason">([^<]*)</span>', html).group(1)
    word = re.search(r'<span class="dot" aria-hidden="true"></span>([^<]+)</span>', html).group(1)
    return light, word, reason


def test_reasons_follow_the_clock(sv, client):
    client.force_login(sv.cast.office)
    east, west = sv.east_task.pk, sv.west_task.pk
    assert light_and_reason(client, east) == ("green", "绿灯", "按期推进，距办结时限还有29天")
    assert light_and_reason(client, west) == ("yellow", "黄灯", "距办结时限还有2天（预警阈值3天）")
    assert light_and_reason(client, sv.draft.pk) == ("waiting", "未交办", "尚未交办，不计时")
    sv.travel(dt.date(2026, 3, 4))
    assert light_and_reason(client, west) == ("yellow", "黄灯", "办结时限今天到期（预警阈值3天）")
    sv.travel(dt.date(2026, 3, 7))
    assert light_and_reason(client, west) == ("red", "红灯", "已逾期3天")
    # east_task's milestone (due 03-15) is near, then behind.
    sv.travel(dt.date(2026, 3, 13))
    client.force_login(sv.cast.office)  # a session lasts two weeks of the moved clock
    assert light_and_reason(client, east) == ("yellow", "黄灯", "距阶段节点“完成摸底调查”时限还有2天（预警阈值3天）")
    sv.travel(dt.date(2026, 3, 17))
    client.force_login(sv.cast.office)
    assert light_and_reason(client, east) == ("yellow", "黄灯", "阶段节点“完成摸底调查”已滞后2天")
    html = client.get(f"/supervision/{east}/").content.decode()
    assert '<tr data-status="behind"><td>完成摸底调查</td>' in html
