"""Reminders to raters who have not submitted (催评): a notice by e-mail where the rater has an
address, and ``reminded_at`` on his assignments, which 我的测评 and the turnout page show."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record
from jixiao.evaluations.models import Assignment, Campaign
from jixiao.evaluations.services.ballots import require_open
from jixiao.evaluations.services.campaigns import require_office
from jixiao.org.scoping import Scope


@transaction.atomic
def raters_remind(*, actor: Actor, scope: Scope, campaign: Campaign) -> int:
    """Remind every rater with an assignment still to submit; returns how many raters."""
    require_office(scope, campaign.assessment.organisation_id)
    require_open(campaign)
    pending = Assignment.objects.filter(campaign=campaign, submitted_at__isnull=True)
    raters = sorted(set(pending.values_list("rater_id", flat=True)))
    pending.update(reminded_at=timezone.now())
    closes = timezone.localtime(campaign.closes_at)
    mails = [(f"请参加测评：{campaign.name}",
              f"{name or username}：您还有测评未提交，请于 {closes:%Y-%m-%d %H:%M} 前登录系统在“我的测评”中完成。",
              settings.DEFAULT_FROM_EMAIL, [email])
             for name, username, email in get_user_model().objects.filter(pk__in=raters).exclude(email="")
             .values_list("first_name", "username", "email")]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    audit_record(actor=actor, action="raters_remind", instance=campaign, after={"raters": len(raters)})
    return len(raters)


def open_campaigns_remind() -> int:
    """The daily run: remind the raters of every campaign open now (system job, all organisations)."""
    now = timezone.now()
    system = Scope(user_id=None, office=True, every_organisation=True)
    n = 0
    for c in Campaign.objects.filter(status=Campaign.Status.OPEN, opens_at__lte=now, closes_at__gt=now).select_related(
            "assessment"):
        n += raters_remind(actor=None, scope=system, campaign=c)
    return n
