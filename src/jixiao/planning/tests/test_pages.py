"""The pages answer refusals in Chinese next to the field, write nothing then, and never show
another organisation's records."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.planning.models import TargetProposal
from jixiao.planning.services.settings import settings_save

from .world import east_proposal, staff_plan

pytestmark = pytest.mark.django_db


def form(**kw: str) -> dict[str, str]:
    return {"object": "east", "period": "2025-Q1", "indicator": "gdp", "target": "160", "challenge": "170",
            "last_actual": "100", "reason": "按去年增速安排", **kw}


def test_a_target_out_of_range_is_refused_next_to_it(pl: Any, client: Any) -> None:
    settings_save(actor=pl.cast.office, scope=pl.scope(pl.cast.office), assessment=pl.assessment,
                  data={"max_ratio": "1.5"})
    client.force_login(pl.cast.reporter)
    r = client.post("/planning/plan-2025/targets/new", form())
    html = r.content.decode()
    assert r.status_code == 200 and 'id="error-target"' in html and "高于允许上限 150" in html
    assert not TargetProposal.objects.exists()


def test_a_proposal_after_the_deadline_is_refused_next_to_the_target(pl: Any, client: Any) -> None:
    import datetime as dt

    settings_save(actor=pl.cast.office, scope=pl.scope(pl.cast.office), assessment=pl.assessment,
                  data={"proposal_deadline": dt.date(2025, 1, 3)})
    client.force_login(pl.cast.reporter)
    html = client.post("/planning/plan-2025/targets/new", form(target="120")).content.decode()
    assert 'id="error-target"' in html and "目标申报已于 2025-01-03 截止" in html
    assert not TargetProposal.objects.exists()


def test_a_return_without_comment_is_refused_next_to_it(pl: Any, client: Any) -> None:
    p = east_proposal(pl, state="submitted")
    client.force_login(pl.cast.office)
    r = client.post(f"/planning/targets/{p.pk}/review", {"decision": "return", "comment": ""})
    assert r.status_code == 400 and 'id="error-comment"' in r.content.decode()
    assert TargetProposal.objects.get(pk=p.pk).state == "submitted"


def test_the_leader_not_in_charge_gets_the_chinese_refusal_page(pl: Any, client: Any) -> None:
    from jixiao.org import services as org
    from jixiao.org.models import RoleGrant

    p = east_proposal(pl, state="negotiated")
    other = org.account_create(actor=None, username="west_leader", password="x-password-1", display_name="西镇分管")
    org.grant_add(actor=None, user=other, role=RoleGrant.Role.LEADER, unit=pl.cast.west)
    client.force_login(other)
    r = client.post(f"/planning/targets/{p.pk}/approve", {"note": "同意"})
    assert r.status_code == 404  # he does not even see 东镇's proposal
    client.force_login(pl.cast.office)
    r = client.post(f"/planning/targets/{p.pk}/approve", {"note": "同意"})
    assert r.status_code == 403 and "只有分管 东镇 的领导可以审定其目标" in r.content.decode()


def test_another_organisation_sees_no_proposal_nor_plan(pl: Any, other_org: Any, client: Any) -> None:
    p = east_proposal(pl, state="submitted")
    plan = staff_plan(pl, state="submitted")
    client.force_login(other_org.office)
    for url in (f"/planning/targets/{p.pk}/", f"/planning/plans/{plan.pk}/", "/planning/plan-2025/plans/",
                "/planning/plan-2025/coverage/", "/planning/plan-2025/calendar/"):
        assert client.get(url).status_code == 404, url
    assert "测试县2025年度考核" not in client.get("/planning/").content.decode()
