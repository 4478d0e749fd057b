"""The demo's campaigns: the county's closed satisfaction survey wrote its results into 公众评估
(the values' history names it), the bureau's open 民主测评 waits for its raters (a draft saved);
the office and the raters find them on their pages."""

from __future__ import annotations

import pytest

from jixiao.collection.models import ValueChange
from jixiao.evaluations.models import Assignment, Ballot, Campaign, Result

pytestmark = pytest.mark.django_db


def test_closed_and_open_campaigns(built, client):
    closed = Campaign.objects.get(name="2024年第四季度公众满意度测评")
    assert closed.status == "closed" and Ballot.objects.filter(campaign=closed).count() == 30
    results = list(Result.objects.filter(campaign=closed))
    assert len(results) == 3 and all(r.score is not None and r.ballots == 10 for r in results)
    notes = set(ValueChange.objects.filter(via="evaluation").values_list("note", flat=True))
    assert notes <= {"来自测评活动「2024年第四季度公众满意度测评」"}
    open_ = Campaign.objects.get(name="2024年第四季度办公室民主测评")
    assert open_.status == "open" and Assignment.objects.filter(campaign=open_).exists()
    assert Assignment.objects.filter(campaign=open_).exclude(draft={}).count() == 1
    from django.contrib.auth import get_user_model
    zhangmin = get_user_model().objects.get(username="lyczj_zhangmin")
    client.force_login(zhangmin)
    html = client.get("/evaluations/mine/").content.decode()
    assert "已存草稿" in html and "去评价" in html
