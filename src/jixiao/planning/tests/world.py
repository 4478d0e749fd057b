"""Records the page tests need, built through the services on top of ``pl``: 东镇's proposals in
every state of the chain (a draft of ``invest`` in Q2; ``gdp`` in Q1 submitted, passed or
negotiated as asked)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from jixiao.planning.models import TargetProposal
from jixiao.planning.services.proposals import (
    ProposalInput,
    negotiation_record,
    proposal_review,
    proposal_save,
    proposals_submit,
)


def east_proposal(pl: Any, *, state: str, indicator: str = "gdp", period: Any = None) -> TargetProposal:
    c = pl.cast
    period = period or pl.q1
    rep = pl.scope(c.reporter)
    p = proposal_save(actor=c.reporter, scope=rep, period=period, obj=c.east_obj,
                      data=ProposalInput(indicator=indicator, target=Decimal(120), challenge=Decimal(130),
                                         last_actual=Decimal(100), reason="按近三年平均增速测算"))
    if state == "draft":
        return p
    proposals_submit(actor=c.reporter, scope=rep, period=period, obj=c.east_obj)
    office = pl.scope(c.office)
    if state in ("passed", "negotiated"):
        proposal_review(actor=c.office, scope=office, proposal=p, approve=True, comment="同意")
    if state == "negotiated":
        negotiation_record(actor=c.office, scope=office, proposal=p, held_on=dt.date(2025, 1, 6),
                           participants="分管领导、东镇、绩效办", agreed=Decimal(122), why="适当提高")
    return TargetProposal.objects.get(pk=p.pk)


def staff_plan(pl: Any, *, state: str) -> Any:
    """张三's Q2 plan: a draft, submitted, or approved by 党政办's head."""
    from jixiao.planning.services.plans import PlanItemInput, plan_decide, plan_save

    items = [PlanItemInput("routine", "公文办理", Decimal(60)), PlanItemInput("central", "乡村振兴专项", Decimal(40))]
    p = plan_save(actor=pl.staff_user, scope=pl.scope(pl.staff_user), period=pl.q2, obj=pl.staff_obj, items=items,
                  submit=state != "draft")
    if state == "approved":
        p = plan_decide(actor=pl.head, scope=pl.scope(pl.head), plan=p, approve=True)
    return p


def section_rules(pl: Any, *, state: str) -> Any:
    """党政办's rules for its staff, 2025: a draft, or filed with the office."""
    from jixiao.planning.services.delegated import delegated_save

    return delegated_save(actor=pl.head, scope=pl.scope(pl.head), unit=pl.section, year=2025,
                          title="党政办干部职工考评细则",
                          content="考核对象：党政办全体干部职工。工作计划完成情况占100分，按月计分，季度汇总。",
                          submit=state == "filed")
