"""Bringing the cast's results to a publishable state the way a user would: every period closed,
the office's review and the leadership group's approval (审定) of the category."""

from __future__ import annotations

from typing import Any

from jixiao.org import services as org
from jixiao.org.models import RoleGrant
from jixiao.schemes.models import Period
from jixiao.schemes.services import period_close, period_reopen_decide, period_reopen_request
from jixiao.scoring.approval import approval_approve, approval_review, ties_of

GROUP_USER = "leader_group"


def leader_group_member(cast: Any) -> Any:
    """A member of the assessment leadership group (考核领导小组) of the cast's county."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=GROUP_USER).first()
    if user is None:
        user = org.account_create(actor=None, username=GROUP_USER, password="cast-password-1",
                                  display_name="领导小组成员")
        org.grant_add(actor=None, user=user, role=RoleGrant.Role.LEADER_GROUP,
                      organisation=cast.county.organisation)
    return user


def close_periods(cast: Any) -> None:
    for p in Period.objects.filter(assessment=cast.assessment, status=Period.Status.OPEN):
        period_close(actor=cast.office, period=p)


def reopen_period(cast: Any, period: Period, reason: str = "测试：补录数据") -> None:
    """Reopen a closed period the two-person way: the office requests, a leadership-group member
    approves."""
    from jixiao.org.selectors import scope_for_user

    member = leader_group_member(cast)
    period_reopen_request(actor=cast.office, period=period, reason=reason)
    scope = scope_for_user(member, organisation_id=period.assessment.organisation_id)
    period_reopen_decide(actor=member, scope=scope, period=period, approve=True)


def reopen_periods(cast: Any) -> None:
    for p in Period.objects.filter(assessment=cast.assessment, status=Period.Status.CLOSED):
        reopen_period(cast, p)


def make_publishable(cast: Any, scope: Any, category: str = "town", ties: dict[str, tuple[str, str]] | None = None,
                     ) -> None:
    """Close every period, then review and approve the category's results."""
    close_periods(cast)
    member = leader_group_member(cast)
    approval_review(actor=cast.office, scope=scope(cast.office), assessment=cast.assessment, category=category)
    approval_approve(actor=member, scope=scope(member), assessment=cast.assessment, category=category,
                     ties=ties or {})


def publishable(*, assessment: Any, office: Any, category: str) -> None:
    """Any assessment (the demo's): pending incidents approved, every period closed, the category
    reviewed by ``office`` and approved by a leadership-group member of its organisation."""
    from django.contrib.auth import get_user_model

    from jixiao.collection.models import Incident
    from jixiao.collection.services import incident_decide
    from jixiao.org.selectors import scope_for_user

    scope = scope_for_user(office, organisation_id=assessment.organisation_id)
    for inc in Incident.objects.filter(assessment=assessment, status=Incident.Status.PENDING):
        incident_decide(actor=office, scope=scope, incident=inc, approve=True)
    for p in Period.objects.filter(assessment=assessment, status=Period.Status.OPEN):
        period_close(actor=office, period=p)
    name = f"{GROUP_USER}-{assessment.organisation_id}"
    member = get_user_model().objects.filter(username=name).first()
    if member is None:
        member = org.account_create(actor=None, username=name, password="cast-password-1", display_name="领导小组成员")
        org.grant_add(actor=None, user=member, role=RoleGrant.Role.LEADER_GROUP, organisation=assessment.organisation)
    approval_review(actor=office, scope=scope, assessment=assessment, category=category)
    member_scope = scope_for_user(member, organisation_id=assessment.organisation_id)
    ties = {t.object: (t.grade, "测试：按得分审定") for t in ties_of(assessment=assessment, category=category)}
    approval_approve(actor=member, scope=member_scope, assessment=assessment, category=category, ties=ties)
