"""Every write of targets and plans. Import from here: ``from jixiao.planning.services import proposal_save``."""

from jixiao.planning.services.calendar import calendar_run
from jixiao.planning.services.delegated import delegated_decide, delegated_save
from jixiao.planning.services.plans import PlanItemInput, plan_decide, plan_report, plan_save
from jixiao.planning.services.proposals import (
    ProposalInput,
    higher_target_save,
    negotiation_record,
    proposal_approve,
    proposal_review,
    proposal_save,
    proposals_submit,
)
from jixiao.planning.services.selfcheck import SelfScoreInput, self_report_save, self_scores_save
from jixiao.planning.services.settings import calendar_save, settings_save

__all__ = [
    "PlanItemInput", "ProposalInput", "SelfScoreInput", "calendar_run", "calendar_save", "delegated_decide",
    "delegated_save", "higher_target_save", "negotiation_record", "plan_decide", "plan_report", "plan_save",
    "proposal_approve", "proposal_review", "proposal_save", "proposals_submit", "self_report_save",
    "self_scores_save", "settings_save",
]
