"""Writes of the system administrator's pages that span several organisation services: an account
with its person and first role in one transaction. Each inner write is audited by its service."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.db import transaction

from jixiao.audit.services import Actor
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.models import Person, RoleGrant, Unit
from jixiao.org.scoping import Scope, require_org
from jixiao.org.services import THREE_ADMINS, account_create, grant_add

# Granted from the browser: every role but the three administrators', which are given at
# installation (manage.py) so that no administrator can make himself another of the three.
GRANTABLE = [(r.value, r.label) for r in RoleGrant.Role if r not in THREE_ADMINS]
ORG_WIDE = (RoleGrant.Role.OFFICE_ADMIN, RoleGrant.Role.LEADER_GROUP)
ADMIN_ROLES = (RoleGrant.Role.OFFICE_ADMIN, *THREE_ADMINS)


def refuse_three_admins(user: User) -> None:
    """The three administrators' accounts are not managed from the browser (三员分立): each keeps
    his own and the installation's command line resets them."""
    if RoleGrant.objects.filter(user=user, role__in=THREE_ADMINS).exists():
        raise NotAllowed("三员（系统管理员、安全管理员、审计管理员）的账号不能在此管理")


@transaction.atomic
def role_grant(*, actor: Actor, scope: Scope, user: User, role: str, unit: Unit | None) -> RoleGrant:
    """A role on an account of the organisation (授权), within the current organisation only."""
    if role in THREE_ADMINS:
        raise NotAllowed("三员角色不能在浏览器中授予")
    if role not in RoleGrant.Role.values:
        raise ServiceError(f"未知角色 {role}", field="role")
    if role in ORG_WIDE:
        unit = None
    elif unit is None:
        raise ServiceError("该角色需要指定单位", field="unit")
    if unit is not None:
        require_org(scope, unit.organisation_id)
    from jixiao.org.models import Organisation

    if scope.organisation_id is None:
        raise NotAllowed("您当前不在任何组织中")
    org = Organisation.objects.get(pk=scope.organisation_id)
    return grant_add(actor=actor, user=user, role=role, unit=unit, organisation=org)


@transaction.atomic
def account_provision(*, actor: Actor, scope: Scope, username: str, password: str, display_name: str = "",
                      person: Person | None = None, role: str = "", unit: Unit | None = None) -> User:
    """A new account for the organisation (新建账号): with its person, or a first role, or both;
    the initial password follows the policy and must be changed at the first login."""
    if person is None and not role:
        raise ServiceError("请选择账号对应的人员，或授予一个角色", field="person")
    if person is not None:
        require_org(scope, person.unit.organisation_id)
    user = account_create(actor=actor, username=username, password=password, display_name=display_name,
                          person=person, administrator=role in ADMIN_ROLES, must_change_password=True)
    if role:
        role_grant(actor=actor, scope=scope, user=user, role=role, unit=unit)
    return user


def password_generate(length: int = 16) -> str:
    """A random temporary password that meets the policy: all four character classes, none of
    the characters read aloud or copied by hand with confusion (0 O 1 l I)."""
    pools = ("abcdefghijkmnopqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "!@#$%^&*-_=+")
    chars = [secrets.choice(p) for p in pools] + [secrets.choice("".join(pools)) for _ in range(length - 4)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)
