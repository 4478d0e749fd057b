"""绩效改进计划: required at or below a grade; SMART measures by the unit; signed by its head;
reviewed half-year and year-end by the office; open plans on the object's years page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org import services as org
from jixiao.org.models import RoleGrant
from jixiao.outcomes.models import ImprovementPlan
from jixiao.outcomes.services import plan_item_add, plan_review, plan_sign, plans_require
from jixiao.scoring.models import Publication, Result
from jixiao.scoring.seals import reseal_everything

pytestmark = pytest.mark.django_db


def test_the_chain_and_its_refusals(cast: Any, scope: Any, published: Publication, client: Any) -> None:
    Result.objects.filter(object=cast.west_obj).update(grade="合格")
    reseal_everything()  # graded by hand for the case: sealed again, as a recompute would
    office = scope(cast.office)
    with pytest.raises(ServiceError, match="不是该类别的等次"):
        plans_require(actor=cast.office, scope=office, assessment=cast.assessment, category="town", grade="差")
    assert plans_require(actor=cast.office, scope=office, assessment=cast.assessment, category="town",
                         grade="不合格") == 1
    assert plans_require(actor=cast.office, scope=office, assessment=cast.assessment, category="town",
                         grade="不合格") == 0
    plan = ImprovementPlan.objects.get()
    assert plan.object == cast.east_obj and plan.grade == "不合格"

    rep = scope(cast.reporter)
    with pytest.raises(ServiceError, match="可衡量的预期结果"):
        plan_item_add(actor=cast.reporter, scope=rep, plan=plan, measure="每月调度经济指标", owner="张三",
                      due=dt.date(2025, 6, 30), result="")
    with pytest.raises(NotAllowed):
        plan_item_add(actor=cast.leader, scope=scope(cast.leader), plan=plan, measure="x", owner="y",
                      due=dt.date(2025, 6, 30), result="z")
    plan_item_add(actor=cast.reporter, scope=rep, plan=plan, measure="每月调度经济指标", owner="张三",
                  due=dt.date(2025, 6, 30), result="地区生产总值完成率达到95%")
    with pytest.raises(NotAllowed, match="单位负责人"):
        plan_sign(actor=cast.reporter, scope=rep, plan=plan)
    head = org.account_create(actor=None, username="east_head", password="cast-password-1", display_name="东镇镇长")
    org.grant_add(actor=None, user=head, role=RoleGrant.Role.UNIT_HEAD, unit=cast.east)
    with pytest.raises(ServiceError, match="尚未签字"):
        plan_review(actor=cast.office, scope=office, plan=plan, kind="half", progress="x")
    plan = plan_sign(actor=head, scope=scope(head), plan=plan)
    with pytest.raises(ServiceError, match="已签字"):
        plan_item_add(actor=cast.reporter, scope=rep, plan=plan, measure="a", owner="b", due=dt.date(2025, 1, 1),
                      result="c")
    with pytest.raises(ServiceError, match="只有年终评估"):
        plan_review(actor=cast.office, scope=office, plan=plan, kind="half", progress="进展正常", close=True)
    plan_review(actor=cast.office, scope=office, plan=plan, kind="half", progress="进展正常")
    with pytest.raises(ServiceError, match="已做过半年评估"):
        plan_review(actor=cast.office, scope=office, plan=plan, kind="half", progress="再次")

    client.force_login(cast.reporter)
    years = client.get("/outcomes/object/east/years/").content.decode()
    assert "未完成的绩效改进计划" in years and "已签字，执行中" in years
    plan_review(actor=cast.office, scope=office, plan=plan, kind="year", progress="目标达成", close=True)
    years = client.get("/outcomes/object/east/years/").content.decode()
    assert "已签字，执行中" not in years
    actions = list(AuditEntry.objects.filter(action__startswith="plan_").values_list("action", flat=True))
    assert sorted(actions) == ["plan_item_add", "plan_require", "plan_review", "plan_review", "plan_sign"]
