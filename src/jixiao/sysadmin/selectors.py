"""Reads for the administrators' pages, each kept to the current organisation: the accounts of
its people or with a grant in it, their grants, lockouts and authenticators."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixiao.org.models import AssessedObject, Person, RoleGrant, Unit
from jixiao.org.scoping import Scope, for_org


def accounts_of_org(*, scope: Scope) -> QuerySet[User]:
    """Accounts of the organisation: a person of its units, or a grant in it; their grants there
    and their person prefetched (one query each, whatever the page size)."""
    if scope.organisation_id is None:
        return User.objects.none()
    org = scope.organisation_id
    return (User.objects.filter(Q(grants__organisation_id=org) | Q(person__unit__organisation_id=org)).distinct()
            .select_related("person__unit", "security")
            .prefetch_related(Prefetch("grants", queryset=RoleGrant.objects.filter(organisation_id=org)
                                       .select_related("unit").order_by("role", "unit__code")))
            .order_by("username"))


def account_of_org_get(*, scope: Scope, pk: int) -> User:
    """One account of the organisation (404 for another organisation's)."""
    return get_object_or_404(accounts_of_org(scope=scope), pk=pk)


def grant_of_org_get(*, scope: Scope, pk: int) -> RoleGrant:
    return get_object_or_404(for_org(RoleGrant.objects.select_related("user", "unit"), scope), pk=pk)


def units_tree_of_org(*, scope: Scope) -> QuerySet[Unit]:
    return for_org(Unit.objects.select_related("parent"), scope).order_by("level", "position", "code")


def people_of_org(*, scope: Scope) -> QuerySet[Person]:
    return for_org(Person.objects.select_related("unit", "user"), scope, "unit__organisation") \
        .order_by("unit__level", "unit__code", "code")


def people_without_account(*, scope: Scope) -> QuerySet[Person]:
    return people_of_org(scope=scope).filter(user__isnull=True)


def objects_all_of_org(*, scope: Scope) -> QuerySet[AssessedObject]:
    return for_org(AssessedObject.objects.select_related("category", "unit", "person"), scope,
                   "unit__organisation").order_by("category__position", "code")


def locked_usernames(*, usernames: list[str]) -> set[str]:
    """Which of these usernames django-axes holds locked now (failures at the limit within the
    cool-off time)."""
    from axes.conf import settings as axes_settings
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt
    from django.utils import timezone

    if not usernames:
        return set()
    qs = AccessAttempt.objects.filter(username__in=usernames,
                                      failures_since_start__gte=axes_settings.AXES_FAILURE_LIMIT)
    cool = get_cool_off()
    if cool is not None:
        qs = qs.filter(attempt_time__gte=timezone.now() - cool)
    return set(qs.values_list("username", flat=True))


def devices_of(*, users: list[int]) -> dict[int, bool]:
    """Account id → whether it has a confirmed authenticator."""
    return {uid: True for uid in TOTPDevice.objects.filter(user_id__in=users, confirmed=True)
            .values_list("user_id", flat=True)}
