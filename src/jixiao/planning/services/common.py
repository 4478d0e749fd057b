"""What the planning services share: an assessment's settings as rules, the step log, who may act."""

from __future__ import annotations

import dataclasses

from jixiao.audit.services import Actor, user_of
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope
from jixiao.planning.models import DelegatedScheme, PlanningSettings, Step, TargetProposal, WorkPlan
from jixiao.planning.rules import ProposalRules
from jixiao.schemes.models import Assessment

SYSTEM_LABEL = "报送日历任务"


def settings_of(assessment: Assessment) -> PlanningSettings:
    """The assessment's settings; the defaults (unsaved) when the office has set none."""
    found = PlanningSettings.objects.filter(assessment=assessment).first()
    return found or PlanningSettings(assessment=assessment)


def rules_of(s: PlanningSettings) -> ProposalRules:
    return ProposalRules(max_indicators=s.max_indicators, min_indicators=s.min_indicators,
                         require_quantified=s.require_quantified, min_ratio=s.min_ratio, max_ratio=s.max_ratio)


def step_add(*, actor: Actor, action: str, before: str, after: str, note: str = "",
             proposal: TargetProposal | None = None, plan: WorkPlan | None = None,
             delegated: DelegatedScheme | None = None) -> Step:
    user = user_of(actor)
    label = (user.first_name or user.get_username()) if user is not None else SYSTEM_LABEL
    return Step.objects.create(proposal=proposal, plan=plan, delegated=delegated, action=action, state_before=before,
                               state_after=after, note=note[:500], actor=user, actor_label=label)


def unit_side(scope: Scope, obj: AssessedObject) -> bool:
    """The assessed unit itself (its reporter or head) — or the person, for his own object."""
    return (obj.unit_id in scope.report_units or obj.unit_id in scope.head_units
            or (obj.person_id is not None and obj.person_id == scope.person_id))


def in_charge(scope: Scope, obj: AssessedObject) -> bool:
    """The leader in charge (分管领导) of the object's unit."""
    return obj.unit_id in scope.leader_units


def ledger_scope(scope: Scope) -> Scope:
    """The scope a decided target or plan is written to the ledger with: the office's (绩效办下达),
    as the step that decided it (the leader's 审定, the head's approval) stands in for it. Only
    the planning services use it, after their own permission checks."""
    # Field by field: the request's scope may be a lazy proxy, which dataclasses.replace refuses.
    fields = {f.name: getattr(scope, f.name) for f in dataclasses.fields(Scope)}
    return Scope(**{**fields, "office": True})
