"""Background tasks (django-tasks) of evaluations: reminders to raters who have not submitted.

``remind_raters`` is the office's 「提醒未参评人员」 button; ``remind_open_campaigns`` the daily run."""

from __future__ import annotations

from django.contrib.auth.models import User
from django_tasks import task

from jixiao.evaluations.models import Campaign
from jixiao.evaluations.services import open_campaigns_remind, raters_remind
from jixiao.org.selectors import scope_for_user


@task()
def remind_raters(campaign_id: int, user_id: int) -> int:
    """Remind the raters of one campaign, in the name of the office user who asked."""
    user = User.objects.get(pk=user_id)
    campaign = Campaign.objects.select_related("assessment").get(pk=campaign_id)
    scope = scope_for_user(user, organisation_id=campaign.assessment.organisation_id)
    return raters_remind(actor=user, scope=scope, campaign=campaign)


@task()
def remind_open_campaigns() -> int:
    return open_campaigns_remind()
