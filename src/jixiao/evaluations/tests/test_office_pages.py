"""The office sets a campaign up through its pages: create (refused in Chinese when the indicator
does not take the result), add rater groups, generate who rates whom, open; and edit only while it
is being prepared."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jixiao.evaluations.models import Assignment, Campaign, RaterGroup

pytestmark = pytest.mark.django_db


def _form(cast: Any, **over: Any) -> dict[str, Any]:
    now = timezone.localtime()
    data = {"name": "县领导评估乡镇", "period": cast.q2.pk, "indicator": "ldpg", "feed": "score",
            "scale": "优秀 = 100\n称职 = 90\n基本称职 = 80\n不称职 = 60", "dimensions": "德 = 0.5\n绩 = 0.5",
            "trim_pct": "10", "min_group": "3", "opens_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "objects": [cast.east_obj.pk, cast.west_obj.pk], "assessment": "mini-2024"}
    return {**data, **over}


def test_office_sets_up_and_opens_a_campaign(ev: Any, client: Any) -> None:
    cast = ev.cast
    client.force_login(cast.office)
    assert client.get("/evaluations/new/").status_code == 200
    wrong = client.post("/evaluations/new/", _form(cast, feed="rating"))
    assert wrong.status_code == 200 and "不是测评票折算类指标" in wrong.content.decode()
    bad_scale = client.post("/evaluations/new/", _form(cast, scale="优秀 = 很好\n称职 = 90"))
    assert "应写作 等次 = 分数" in bad_scale.content.decode()
    assert Campaign.objects.count() == 1  # the fixture's only
    resp = client.post("/evaluations/new/", _form(cast))
    c = Campaign.objects.get(name="县领导评估乡镇")
    assert resp.status_code == 302 and resp["Location"] == f"/evaluations/{c.pk}/"
    assert c.period == cast.q2 and [n for n, _ in c.dims] == ["德", "绩"] and c.min_group == 3
    assert client.post(f"/evaluations/{c.pk}/groups/", {"kind": "subordinate", "name": "", "weight": "2",
                                                         "paper_issued": "0"}).status_code == 302
    assert RaterGroup.objects.get(campaign=c).name == "下级评价（下评上）"
    client.post(f"/evaluations/{c.pk}/assignments/generate")
    assert Assignment.objects.filter(campaign=c).count() == 3  # 东镇's three people rate 东镇
    page = client.get(f"/evaluations/{c.pk}/assignments/").content.decode()
    assert "staff1" in page and "东镇" in page
    assert client.get(f"/evaluations/{c.pk}/edit/").status_code == 200
    client.post(f"/evaluations/{c.pk}/open")
    c.refresh_from_db()
    assert c.status == "open"
    after = client.post(f"/evaluations/{c.pk}/edit/", _form(cast, name="改名"), follow=True).content.decode()
    assert "设置不能再修改" in after and Campaign.objects.filter(name="改名").count() == 0
