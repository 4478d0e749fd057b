"""Self-assessment: the unit scores each indicator (never above its points, refused at the field
in Chinese, nothing written) and writes its report; the office sees self beside verified with the
gaps; staff's 工作纪实 reaches raters through ``self_report_for``; other organisations see none."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.services import value_save
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.planning.models import SelfReport, SelfScore
from jixiao.planning.selectors import self_compare, self_report_for
from jixiao.planning.services.selfcheck import SelfScoreInput, self_report_save, self_scores_save

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_self_score_above_the_points_is_refused_at_its_field(pl: Any) -> None:
    c = pl.cast
    with pytest.raises(ServiceError) as e:
        self_scores_save(actor=c.reporter, scope=pl.scope(c.reporter), period=pl.q1, obj=c.east_obj,
                         scores=[SelfScoreInput("gdp", D(38)), SelfScoreInput("invest", D("30.5"))])
    assert e.value.field == "score_invest" and "超过“固定资产投资”的分值 30 分" in e.value.message
    assert not SelfScore.objects.exists()


def test_the_page_shows_the_refusal_next_to_the_field(pl: Any, client: Any) -> None:
    client.force_login(pl.cast.reporter)
    r = client.post("/planning/plan-2025/self/2025-Q1/east/", {"action": "scores", "score_gdp": "41"})
    assert r.status_code == 400
    html = r.content.decode()
    assert 'id="error-score_gdp"' in html and "超过“地区生产总值”的分值 40 分" in html
    assert not SelfScore.objects.exists()


def test_self_beside_verified_with_gaps(pl: Any, client: Any) -> None:
    c = pl.cast
    office = pl.scope(c.office)
    for var, x in (("value", 90), ("target", 100)):
        value_save(actor=c.office, scope=office, period=pl.q1, obj=c.east_obj, indicator="gdp", variable=var,
                   value=D(x))
    self_scores_save(actor=c.reporter, scope=pl.scope(c.reporter), period=pl.q1, obj=c.east_obj,
                     scores=[SelfScoreInput("gdp", D(40), "全面完成"), SelfScoreInput("invest", D(30))])
    rows = {r.indicator: r for r in self_compare(period=pl.q1, objects=[c.east_obj])[c.east_obj.pk]}
    assert rows["gdp"].verified == 36.0 and rows["gdp"].gap == 4.0 and rows["gdp"].flagged
    assert rows["invest"].verified is None and rows["invest"].flagged  # nothing verified to compare with
    assert rows["ldpg"].self_score is None and not rows["ldpg"].flagged
    client.force_login(c.office)
    page = client.get("/planning/plan-2025/self/?period=2025-Q1").content.decode()
    assert "东镇" in page and "70.00" in page and "36.00" in page
    detail = client.get("/planning/plan-2025/self/2025-Q1/east/").content.decode()
    assert 'class="gap"' in detail and "全面完成" in detail


def test_staff_record_reaches_raters_and_only_the_person_writes_it(pl: Any) -> None:
    text = "本年度承办文件四百余件，牵头完成党建工作台账整理……" * 5
    assert self_report_for(obj=pl.staff_obj, period=pl.q1) is None
    with pytest.raises(NotAllowed):
        self_report_save(actor=pl.cast.leader, scope=pl.scope(pl.cast.leader), period=pl.q1, obj=pl.staff_obj,
                         text=text)
    self_report_save(actor=pl.staff_user, scope=pl.scope(pl.staff_user), period=pl.q1, obj=pl.staff_obj, text=text)
    assert self_report_for(obj=pl.staff_obj, period=pl.q1) == text.strip()
    assert SelfReport.objects.get().submitted_on.isoformat() == "2025-01-06"


def test_another_organisation_sees_nothing(pl: Any, other_org: Any, client: Any) -> None:
    c = pl.cast
    self_scores_save(actor=c.reporter, scope=pl.scope(c.reporter), period=pl.q1, obj=c.east_obj,
                     scores=[SelfScoreInput("gdp", D(39))])
    client.force_login(other_org.office)
    assert client.get("/planning/plan-2025/self/").status_code == 404
    assert client.get("/planning/plan-2025/self/2025-Q1/east/").status_code == 404
    assert client.get("/planning/plan-2025/targets/").status_code == 404
    with pytest.raises(NotAllowed):
        self_scores_save(actor=other_org.office, scope=pl.scope(other_org.office), period=pl.q1, obj=c.east_obj,
                         scores=[SelfScoreInput("gdp", D(1))])
