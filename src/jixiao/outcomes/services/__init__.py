"""Every write of the use of results (结果运用)."""

from jixiao.outcomes.services.appeals import appeal_decide, appeal_file, appeal_republish
from jixiao.outcomes.services.archive import year_archive
from jixiao.outcomes.services.feedback import feedback_save
from jixiao.outcomes.services.plans import plan_item_add, plan_review, plan_sign, plans_require

__all__ = ["appeal_decide", "appeal_file", "appeal_republish", "feedback_save", "plan_item_add", "plan_review",
           "plan_sign", "plans_require", "year_archive"]
