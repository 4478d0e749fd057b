"""The negotiation chain: 自报 → 初审 (return, revise, pass) → 磋商 → 审定 writes the ledger's target
(verified, its history naming the negotiation); every step audited and in the proposal's history;
the refusals (after the deadline, out of range, not in charge, rules on submit) in Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.collection.models import Value, ValueChange
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.planning.models import Step, TargetProposal
from jixiao.planning.services.proposals import (
    ProposalInput,
    negotiation_record,
    proposal_approve,
    proposal_review,
    proposal_save,
    proposals_submit,
)
from jixiao.planning.services.settings import settings_save

pytestmark = pytest.mark.django_db
D = Decimal


def propose(pl: Any, target: str = "120", indicator: str = "gdp", **kw: Any) -> TargetProposal:
    c = pl.cast
    return proposal_save(actor=c.reporter, scope=pl.scope(c.reporter), period=pl.q1, obj=c.east_obj,
                         data=ProposalInput(indicator=indicator, target=D(target), challenge=D("130"),
                                            last_actual=D("100"), reason="去年增长较快，今年按12%安排", **kw))


def refresh(p: TargetProposal) -> TargetProposal:
    return TargetProposal.objects.get(pk=p.pk)


def test_the_whole_chain_writes_the_target_with_its_history(pl: Any) -> None:
    c = pl.cast
    p = propose(pl)
    assert proposals_submit(actor=c.reporter, scope=pl.scope(c.reporter), period=pl.q1, obj=c.east_obj) == 1
    office = pl.scope(c.office)
    proposal_review(actor=c.office, scope=office, proposal=refresh(p), approve=False, comment="目标偏低，请提高")
    assert refresh(p).state == "returned"
    p = proposal_save(actor=c.reporter, scope=pl.scope(c.reporter), period=pl.q1, obj=c.east_obj, proposal=refresh(p),
                      data=ProposalInput(indicator="gdp", target=D("125"), challenge=D("135"), last_actual=D("100"),
                                         reason="按初审意见提高"))
    proposals_submit(actor=c.reporter, scope=pl.scope(c.reporter), period=pl.q1, obj=c.east_obj)
    proposal_review(actor=c.office, scope=office, proposal=refresh(p), approve=True, comment="同意")
    negotiation_record(actor=c.office, scope=office, proposal=refresh(p), held_on=dt.date(2025, 1, 6),
                       participants="分管副县长、东镇镇长、绩效办主任", agreed=D("126"), why="结合重点项目投产")
    assert not Value.objects.filter(indicator="gdp", variable="target").exists()
    proposal_approve(actor=c.leader, scope=pl.scope(c.leader), proposal=refresh(p), note="同意")
    p = refresh(p)
    assert p.state == "approved" and p.agreed == D("126")
    v = Value.objects.get(pk=p.value_id)
    assert (v.object_id, v.period_id, v.indicator, v.variable, v.value, v.status) == (
        c.east_obj.pk, pl.q1.pk, "gdp", "target", D("126"), "verified")
    assert "目标磋商审定" in v.note and f"第 {p.pk} 号" in v.note
    ch = ValueChange.objects.get(value=v)
    assert (ch.via, ch.actor_id, ch.after) == ("negotiation", c.leader.pk, D("126"))
    actions = list(Step.objects.filter(proposal=p).values_list("action", flat=True))
    assert actions == ["propose", "submit", "return", "revise", "submit", "pass", "negotiate", "approve"]
    audited = set(AuditEntry.objects.filter(target="planning.targetproposal", target_id=str(p.pk))
                  .values_list("action", flat=True))
    assert {"proposal_save", "proposal_submit", "proposal_return", "proposal_pass", "proposal_approve"} <= audited
    assert AuditEntry.objects.filter(action="negotiation_record").count() == 1


def test_proposal_after_the_deadline_is_refused_at_the_target(pl: Any) -> None:
    c = pl.cast
    settings_save(actor=c.office, scope=pl.scope(c.office), assessment=pl.assessment,
                  data={"proposal_deadline": dt.date(2025, 1, 5)})
    with pytest.raises(ServiceError) as e:
        propose(pl)
    assert e.value.field == "target" and "截止" in e.value.message
    assert not TargetProposal.objects.exists()


def test_target_out_of_range_is_refused_at_the_field(pl: Any) -> None:
    c = pl.cast
    settings_save(actor=c.office, scope=pl.scope(c.office), assessment=pl.assessment,
                  data={"min_ratio": D("1"), "max_ratio": D("1.5")})
    with pytest.raises(ServiceError) as e:
        propose(pl, target="90")
    assert e.value.field == "target" and "低于允许下限 100" in e.value.message
    with pytest.raises(ServiceError) as e:
        propose(pl, target="160")
    assert e.value.field == "target" and "高于允许上限 150" in e.value.message
    assert not TargetProposal.objects.exists()


def test_approval_by_someone_not_in_charge_is_refused(pl: Any) -> None:
    c = pl.cast
    p = propose(pl)
    proposals_submit(actor=c.reporter, scope=pl.scope(c.reporter), period=pl.q1, obj=c.east_obj)
    office = pl.scope(c.office)
    proposal_review(actor=c.office, scope=office, proposal=refresh(p), approve=True)
    negotiation_record(actor=c.office, scope=office, proposal=refresh(p), held_on=dt.date(2025, 1, 6),
                       participants="双方", agreed=D("120"), why="同意申报值")
    for user in (c.office, c.reporter, pl.head):
        with pytest.raises(NotAllowed) as e:
            proposal_approve(actor=user, scope=pl.scope(user), proposal=refresh(p))
        assert "分管" in e.value.message
    assert refresh(p).state == "negotiated" and not Value.objects.filter(variable="target").exists()


def test_rules_on_submit_at_most_n_and_all_quantified(pl: Any) -> None:
    c = pl.cast
    settings_save(actor=c.office, scope=pl.scope(c.office), assessment=pl.assessment,
                  data={"max_indicators": 1, "require_quantified": True})
    propose(pl, indicator="gdp")
    proposal_save(actor=c.reporter, scope=pl.scope(c.reporter), period=pl.q1, obj=c.east_obj,
                  data=ProposalInput(indicator="invest", target=None, description="力争稳中有进", reason="未定"))
    with pytest.raises(ServiceError) as e:
        proposals_submit(actor=c.reporter, scope=pl.scope(c.reporter), period=pl.q1, obj=c.east_obj)
    assert "最多 1 项" in e.value.message and "未填目标值：固定资产投资" in e.value.message
    assert not TargetProposal.objects.exclude(state="draft").exists()


def test_only_the_unit_proposes_and_only_the_office_reviews(pl: Any) -> None:
    c = pl.cast
    with pytest.raises(NotAllowed):
        proposal_save(actor=c.reporter, scope=pl.scope(c.reporter), period=pl.q1, obj=c.west_obj,
                      data=ProposalInput(indicator="gdp", target=D(1), reason="x"))
    p = propose(pl)
    proposals_submit(actor=c.reporter, scope=pl.scope(c.reporter), period=pl.q1, obj=c.east_obj)
    with pytest.raises(NotAllowed):
        proposal_review(actor=c.leader, scope=pl.scope(c.leader), proposal=refresh(p), approve=True)
    with pytest.raises(ServiceError) as e:
        proposal_review(actor=c.office, scope=pl.scope(c.office), proposal=refresh(p), approve=False)
    assert e.value.field == "comment"


def test_another_organisation_never_acts_on_a_proposal(pl: Any, other_org: Any) -> None:
    from jixiao.planning.selectors import proposals_for

    p = propose(pl)
    assert not proposals_for(scope=pl.scope(other_org.office), assessment=pl.assessment).exists()
    proposals_submit(actor=pl.cast.reporter, scope=pl.scope(pl.cast.reporter), period=pl.q1, obj=pl.cast.east_obj)
    with pytest.raises(NotAllowed):
        proposal_review(actor=other_org.office, scope=pl.scope(other_org.office), proposal=refresh(p), approve=True)
