"""Every write of evaluations. Import from here: ``from jixiao.evaluations.services import campaign_close``."""

from jixiao.evaluations.services.ballots import (
    TokenRefused,
    assignment_ballot_save,
    paper_tally_enter,
    token_check,
    token_redeem,
    tokens_issue,
    window_ballot_submit,
    window_get,
)
from jixiao.evaluations.services.campaigns import (
    assignment_add,
    assignment_remove,
    assignments_generate,
    campaign_create,
    campaign_open,
    campaign_update,
    rater_group_add,
    rater_group_remove,
    window_link_create,
)
from jixiao.evaluations.services.closing import campaign_close
from jixiao.evaluations.services.reminders import open_campaigns_remind, raters_remind

__all__ = [
    "TokenRefused", "assignment_add", "assignment_ballot_save", "assignment_remove", "assignments_generate",
    "campaign_close", "campaign_create", "campaign_open", "campaign_update", "open_campaigns_remind",
    "paper_tally_enter", "rater_group_add", "rater_group_remove", "raters_remind", "token_check",
    "token_redeem", "tokens_issue", "window_ballot_submit", "window_get", "window_link_create",
]
