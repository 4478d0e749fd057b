"""Target negotiation (目标申报与磋商): 自报 → 初审 (pass / return) → 磋商 → 审定, which writes the agreed
target into the ledger through ``jixiao.collection.services``. Every step is one transaction,
audited and logged as a :class:`~jixiao.planning.models.Step` of the proposal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.collection.services import leaf_for, value_save
from jixiao.core import clock
from jixiao.core.errors import NotAllowed, ServiceError, StaleEdit
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope, require_org
from jixiao.planning import rules
from jixiao.planning.models import HigherTarget, Negotiation, TargetProposal, TargetShare
from jixiao.planning.services.common import (
    in_charge,
    ledger_scope,
    rules_of,
    settings_of,
    step_add,
    unit_side,
)
from jixiao.schemes.catalog import Leaf
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of

S = TargetProposal.State


def _fmt(d: Decimal | None) -> str | None:
    return None if d is None else format(d.normalize(), "f")


def target_leaf(*, period: Period, obj: AssessedObject, indicator: str) -> Leaf:
    """The indicator's leaf, refused unless it takes a target (目标值) for the object in the period."""
    leaf = leaf_for(catalog_of(period.assessment), obj, indicator, period, kind="value")
    if "target" not in leaf.variables:
        raise ServiceError(f"指标“{leaf.name}”的目标值由方案固定，无须申报", field="indicator")
    return leaf


@dataclass(frozen=True)
class ProposalInput:
    """What a unit types into a proposal (自报)."""

    indicator: str
    target: Decimal | None
    challenge: Decimal | None = None
    last_actual: Decimal | None = None
    description: str = ""
    reason: str = ""


def _locked(proposal: TargetProposal) -> TargetProposal:
    return (TargetProposal.objects.select_for_update(of=("self",)).select_related("object", "period", "assessment")
            .get(pk=proposal.pk))


@transaction.atomic
def proposal_save(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject, data: ProposalInput,
                  proposal: TargetProposal | None = None, expected_version: int | None = None) -> TargetProposal:
    """自报: the unit enters or revises a proposal (a draft, or one returned to it)."""
    assessment = period.assessment
    require_org(scope, assessment.organisation_id)
    if obj.unit.organisation_id != assessment.organisation_id:
        raise NotAllowed("该考核对象属于另一个组织")
    if not (unit_side(scope, obj) or scope.office):
        raise NotAllowed(f"无权为 {obj.name} 申报目标")
    conf = settings_of(assessment)
    today = clock.today()
    if conf.proposal_deadline is not None and today > conf.proposal_deadline:
        raise ServiceError(f"目标申报已于 {conf.proposal_deadline:%Y-%m-%d} 截止，不能再申报或修改", field="target")
    leaf = target_leaf(period=period, obj=obj, indicator=data.indicator)
    if not data.reason.strip():
        raise ServiceError("请填写申报理由", field="reason")
    problem = rules.target_range_problem(rules_of(conf), data.target, data.last_actual)
    if problem:
        raise ServiceError(problem, field="target")
    if data.challenge is not None and data.target is not None and data.challenge < data.target:
        raise ServiceError("挑战值不能低于目标值", field="challenge")
    if proposal is None:
        if TargetProposal.objects.filter(assessment=assessment, period=period, object=obj,
                                         indicator=data.indicator).exists():
            raise ServiceError(f"{obj.name} 已申报过“{leaf.name}”在 {period.name} 的目标，请在原申报上修改",
                               field="indicator")
        p = TargetProposal(organisation_id=assessment.organisation_id, assessment=assessment, period=period,
                           object=obj, indicator=data.indicator, created_by=user_of(actor))
        before_state, before = "", None
    else:
        p = _locked(proposal)
        if expected_version is not None and p.version != expected_version:
            raise StaleEdit("该申报已被他人修改，请刷新后再改", field="target")
        if p.state not in TargetProposal.EDITABLE:
            raise ServiceError(f"申报为“{p.get_state_display()}”，不能再修改", field="target")
        if p.indicator != data.indicator:
            raise ServiceError("已申报的指标不能更换，请另行申报", field="indicator")
        before_state = p.state
        before = {"target": _fmt(p.target), "challenge": _fmt(p.challenge), "reason": p.reason}
        p.version += 1
    p.target, p.challenge, p.last_actual = data.target, data.challenge, data.last_actual
    p.description, p.reason = data.description.strip(), data.reason.strip()
    p.save()
    step_add(actor=actor, proposal=p, action="propose" if before is None else "revise", before=before_state,
             after=p.state, note=f"目标值 {_fmt(p.target) or '未量化'}，理由：{p.reason}")
    audit_record(actor=actor, action="proposal_save", instance=p, before=before,
                 after={"object": obj.code, "indicator": p.indicator, "period": period.code,
                        "target": _fmt(p.target), "challenge": _fmt(p.challenge), "reason": p.reason})
    return p


@transaction.atomic
def proposals_submit(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject) -> int:
    """报送: the unit submits its drafts and returned proposals for the period at once, after the
    scheme-level rules (PlanningSettings) pass over all of the unit's proposals."""
    assessment = period.assessment
    require_org(scope, assessment.organisation_id)
    if not (unit_side(scope, obj) or scope.office):
        raise NotAllowed(f"无权为 {obj.name} 报送目标")
    conf = settings_of(assessment)
    if conf.proposal_deadline is not None and clock.today() > conf.proposal_deadline:
        raise ServiceError(f"目标申报已于 {conf.proposal_deadline:%Y-%m-%d} 截止，不能再报送")
    mine = list(TargetProposal.objects.select_for_update().filter(assessment=assessment, period=period, object=obj))
    catalog = catalog_of(assessment)
    category = catalog.category_of_group(obj.group) or ""
    facts = [rules.ProposalFacts(p.indicator, (lf.name if (lf := catalog.leaf(category, p.indicator)) else p.indicator),
                                 p.target) for p in mine]
    problems = rules.submission_problems(rules_of(conf), facts)
    if problems:
        raise ServiceError("；".join(problems))
    pending = [p for p in mine if p.state in TargetProposal.EDITABLE]
    if not pending:
        raise ServiceError("没有待报送的目标申报（草稿或已退回的）")
    for p in pending:
        before = p.state
        p.state, p.version = S.SUBMITTED, p.version + 1
        p.save(update_fields=["state", "version", "updated_at"])
        step_add(actor=actor, proposal=p, action="submit", before=before, after=p.state)
        audit_record(actor=actor, action="proposal_submit", instance=p, before={"state": before},
                     after={"state": p.state})
    return len(pending)


@transaction.atomic
def proposal_review(*, actor: Actor, scope: Scope, proposal: TargetProposal, approve: bool,
                    comment: str = "") -> TargetProposal:
    """初审: the office passes a submitted proposal or returns it to the unit with its comment."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以初审目标申报")
    p = _locked(proposal)
    require_org(scope, p.organisation_id)
    if p.state != S.SUBMITTED:
        raise ServiceError(f"只能初审已申报的目标（当前：{p.get_state_display()}）", field="comment")
    if not approve and not comment.strip():
        raise ServiceError("退回需要填写初审意见", field="comment")
    before = p.state
    p.state = S.PASSED if approve else S.RETURNED
    p.office_comment, p.version = comment.strip(), p.version + 1
    p.save(update_fields=["state", "office_comment", "version", "updated_at"])
    step_add(actor=actor, proposal=p, action="pass" if approve else "return", before=before, after=p.state,
             note=p.office_comment)
    audit_record(actor=actor, action="proposal_pass" if approve else "proposal_return", instance=p,
                 before={"state": before}, after={"state": p.state, "comment": p.office_comment})
    return p


@transaction.atomic
def negotiation_record(*, actor: Actor, scope: Scope, proposal: TargetProposal, held_on: dt.date,
                       participants: str, agreed: Decimal | None, why: str) -> Negotiation:
    """磋商: the office records the face-to-face negotiation of a passed proposal — date, who took
    part, the value agreed and why."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以记录目标磋商")
    p = _locked(proposal)
    require_org(scope, p.organisation_id)
    if p.state != S.PASSED:
        raise ServiceError(f"只能为初审通过的目标记录磋商（当前：{p.get_state_display()}）", field="agreed")
    if agreed is None:
        raise ServiceError("请填写磋商确定的目标值", field="agreed")
    if not participants.strip():
        raise ServiceError("请填写参加磋商的人员", field="participants")
    if not why.strip():
        raise ServiceError("请写明确定该目标值的理由", field="why")
    if held_on > clock.today():
        raise ServiceError("磋商日期不能晚于今天", field="held_on")
    problem = rules.target_range_problem(rules_of(settings_of(p.assessment)), agreed, p.last_actual)
    if problem:
        raise ServiceError(problem.replace("目标值", "磋商目标值", 1), field="agreed")
    n = Negotiation.objects.create(proposal=p, held_on=held_on, participants=participants.strip(), agreed=agreed,
                                   why=why.strip(), recorded_by=user_of(actor))
    before = p.state
    p.state, p.agreed, p.version = S.NEGOTIATED, agreed, p.version + 1
    p.save(update_fields=["state", "agreed", "version", "updated_at"])
    step_add(actor=actor, proposal=p, action="negotiate", before=before, after=p.state,
             note=f"{held_on:%Y-%m-%d} 磋商（{n.participants}），确定目标值 {_fmt(agreed)}：{n.why}")
    audit_record(actor=actor, action="negotiation_record", instance=n,
                 after={"proposal": p.pk, "held_on": held_on.isoformat(), "participants": n.participants,
                        "agreed": _fmt(agreed), "why": n.why})
    return n


@transaction.atomic
def proposal_approve(*, actor: Actor, scope: Scope, proposal: TargetProposal, note: str = "") -> TargetProposal:
    """审定: the leader in charge of the unit approves the negotiated target; it becomes the ledger's
    target value (verified), its history naming the negotiation."""
    p = _locked(proposal)
    require_org(scope, p.organisation_id)
    if not in_charge(scope, p.object):
        raise NotAllowed(f"只有分管 {p.object.name} 的领导可以审定其目标")
    if p.state != S.NEGOTIATED:
        raise ServiceError(f"只能审定已磋商的目标（当前：{p.get_state_display()}）", field="note")
    neg = Negotiation.objects.get(proposal=p)
    value = value_save(actor=actor, scope=ledger_scope(scope), period=p.period, obj=p.object, indicator=p.indicator,
                       variable="target", value=p.agreed, via="negotiation",
                       note=(f"目标磋商审定：申报 {_fmt(p.target) or '未量化'}，{neg.held_on:%Y-%m-%d} 磋商确定 "
                             f"{_fmt(p.agreed)}（目标申报第 {p.pk} 号）")[:500])
    before = p.state
    p.state, p.value_id, p.version = S.APPROVED, value.pk, p.version + 1
    p.save(update_fields=["state", "value_id", "version", "updated_at"])
    step_add(actor=actor, proposal=p, action="approve", before=before, after=p.state,
             note=(note.strip() or "审定同意") + f"，目标值 {_fmt(p.agreed)} 已写入电子台帐")
    audit_record(actor=actor, action="proposal_approve", instance=p, before={"state": before},
                 after={"state": p.state, "agreed": _fmt(p.agreed), "value": value.pk, "note": note.strip()})
    return p


@transaction.atomic
def higher_target_save(*, actor: Actor, scope: Scope, assessment: Assessment, indicator: str, name: str,
                       total: Decimal, split: str, parts: dict[AssessedObject, Decimal]) -> HigherTarget:
    """上级下达目标: the office enters a higher-level target and how it is split among units."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以登记上级下达目标")
    require_org(scope, assessment.organisation_id)
    if split not in HigherTarget.Split.values:
        raise ServiceError("分解方式须为按比例或按数额", field="split")
    if any(o.unit.organisation_id != assessment.organisation_id for o in parts):
        raise ServiceError("只能分解给本组织的考核对象", field="parts")
    if split == HigherTarget.Split.SHARES and sum(parts.values(), Decimal(0)) > 1:
        raise ServiceError("各单位分解比例之和不能超过 1", field="parts")
    h, _ = HigherTarget.objects.update_or_create(assessment=assessment, indicator=indicator,
                                                 defaults={"name": name, "total": total, "split": split})
    TargetShare.objects.filter(higher=h).delete()
    TargetShare.objects.bulk_create([TargetShare(higher=h, object=o, share=v) for o, v in parts.items()])
    audit_record(actor=actor, action="higher_target_save", instance=h,
                 after={"indicator": indicator, "total": _fmt(total), "split": split,
                        "parts": {o.code: _fmt(v) for o, v in parts.items()}})
    return h
