"""Work plans: items with planned points (an item without points refused at its field), approval by
the head above before the period starts, completion reported against the items and confirmed;
the ledger's planned/actual come from the plan, and the stored score equals the engine's plan
method on the same numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from jixiao.collection.models import Value, ValueChange
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.engine.methods import plan_score
from jixiao.engine.scheme.rules import PlanRule
from jixiao.planning.models import PlanItem, WorkPlan
from jixiao.planning.services.plans import PlanItemInput, plan_decide, plan_report, plan_save
from jixiao.scoring.models import Result

pytestmark = pytest.mark.django_db
D = Decimal
ITEMS = [PlanItemInput("routine", "公文办理", D(30)), PlanItemInput("function", "党建台账", D(40)),
         PlanItemInput("central", "乡村振兴专项", D(30))]


def submitted(pl: Any, period: Any = None) -> WorkPlan:
    return plan_save(actor=pl.staff_user, scope=pl.scope(pl.staff_user), period=period or pl.q2, obj=pl.staff_obj,
                     items=ITEMS, submit=True)


def test_an_item_without_points_is_refused_at_its_field(pl: Any) -> None:
    with pytest.raises(ServiceError) as e:
        plan_save(actor=pl.staff_user, scope=pl.scope(pl.staff_user), period=pl.q2, obj=pl.staff_obj,
                  items=[ITEMS[0], PlanItemInput("function", "党建台账", None)], submit=True)
    assert e.value.field == "planned_1" and "没有计划分值" in e.value.message
    assert not WorkPlan.objects.exists() and not PlanItem.objects.exists()


def test_plan_to_score_equals_the_engine_plan_method(pl: Any) -> None:
    p = submitted(pl)
    head = pl.scope(pl.head)
    plan_decide(actor=pl.head, scope=head, plan=p, approve=True, comment="同意")
    planned = Value.objects.get(object=pl.staff_obj, period=pl.q2, indicator="plan", variable="planned")
    assert (planned.value, planned.status) == (D(100), "verified")
    assert ValueChange.objects.get(value=planned).via == "plan"
    items = list(PlanItem.objects.filter(plan=p).order_by("position"))
    actual = {items[0].pk: (D(30), "按时办结"), items[1].pk: (D("32.5"), "部分完成"), items[2].pk: (D(20), "")}
    plan_report(actor=pl.staff_user, scope=pl.scope(pl.staff_user), plan=WorkPlan.objects.get(pk=p.pk),
                actuals=actual)
    assert not Value.objects.filter(variable="actual").exists()  # not until the head confirms
    plan_decide(actor=pl.head, scope=head, plan=WorkPlan.objects.get(pk=p.pk), approve=True)
    assert Value.objects.get(object=pl.staff_obj, period=pl.q2, variable="actual").value == D("82.5")
    engine = plan_score(PlanRule(method="plan"), 100.0, np.array([100.0]), np.array([82.5]))[0]
    total = Result.objects.get(assessment=pl.assessment, object=pl.staff_obj).periods["2025-Q2"]["total"]
    assert total == pytest.approx(round(float(engine), 2)) == 82.5
    actions = list(p.steps.values_list("action", flat=True))
    assert actions == ["plan_submit", "plan_approve", "plan_report", "plan_confirm"]


def test_approval_only_before_the_period_starts(pl: Any) -> None:
    p = submitted(pl, pl.q1)  # Q1 started on 2025-01-01; today is 2025-01-06
    with pytest.raises(ServiceError) as e:
        plan_decide(actor=pl.head, scope=pl.scope(pl.head), plan=p, approve=True)
    assert "考核期开始（2025-01-01）前审批" in e.value.message
    assert not Value.objects.exists()


def test_only_the_head_above_approves(pl: Any) -> None:
    p = submitted(pl)
    c = pl.cast
    for user in (pl.staff_user, c.leader, c.reporter):
        with pytest.raises(NotAllowed):
            plan_decide(actor=user, scope=pl.scope(user), plan=WorkPlan.objects.get(pk=p.pk), approve=True)
    with pytest.raises(ServiceError) as e:
        plan_decide(actor=pl.head, scope=pl.scope(pl.head), plan=p, approve=False)
    assert e.value.field == "comment"
    plan_decide(actor=pl.head, scope=pl.scope(pl.head), plan=p, approve=False, comment="中心工作分值偏低")
    assert WorkPlan.objects.get(pk=p.pk).state == "returned"


def test_another_organisation_cannot_touch_a_plan(pl: Any, other_org: Any) -> None:
    from jixiao.planning.selectors import plans_for

    p = submitted(pl)
    assert not plans_for(scope=pl.scope(other_org.office), assessment=pl.assessment).exists()
    with pytest.raises(NotAllowed):
        plan_decide(actor=other_org.office, scope=pl.scope(other_org.office), plan=p, approve=True)


def test_the_page_refuses_an_item_without_points_next_to_it(pl: Any, client: Any) -> None:
    client.force_login(pl.staff_user)
    data = {"object": "zhangsan", "period": "2025-Q2", "submit": "1", "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0", "items-0-category": "routine", "items-0-title": "公文办理",
            "items-0-planned": "50", "items-1-category": "central", "items-1-title": "防汛值守", "items-1-planned": ""}
    r = client.post("/planning/plan-2025/plans/new", data)
    assert r.status_code == 400
    html = r.content.decode()
    assert 'id="error-items-1-planned"' in html and "计划事项“防汛值守”没有计划分值" in html
    assert not WorkPlan.objects.exists()
    data["items-1-planned"] = "50"
    r = client.post("/planning/plan-2025/plans/new", data)
    assert r.status_code == 302 and WorkPlan.objects.get().state == "submitted"
