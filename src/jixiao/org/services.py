"""Writes to the organisation: organisations, units, people, accounts, categories, objects, role grants."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.core.passwords import check_password_policy
from jixiao.core.trees import TreeError, check_parent
from jixiao.org.models import (
    MAX_UNIT_DEPTH,
    AccountSecurity,
    AssessedObject,
    Category,
    Organisation,
    Person,
    RoleGrant,
    Unit,
)
from jixiao.org.selectors import unit_parents


@transaction.atomic
def organisation_create(*, actor: Actor, code: str, name: str, position: int = 0) -> Organisation:
    """A new independent organisation (组织); its root unit is made by ``unit_create``."""
    if Organisation.objects.filter(code=code).exists():
        raise ServiceError(f"组织编码 {code} 已存在", field="code")
    org = Organisation.objects.create(code=code, name=name, position=position)
    audit_record(actor=actor, action="create", instance=org, after={"code": code, "name": name})
    return org


def organisation_default(organisation: Organisation | None) -> Organisation:
    """The organisation a record without a parent goes to: the one named, else the installation's
    only one; with several, the caller must name it."""
    if organisation is not None:
        return organisation
    orgs = list(Organisation.objects.all()[:2])
    if len(orgs) != 1:
        raise ServiceError("请指定所属组织", field="organisation")
    return orgs[0]


@transaction.atomic
def unit_create(*, actor: Actor, code: str, name: str, kind: str, parent: Unit | None = None,
                position: int = 0, organisation: Organisation | None = None) -> Unit:
    """A unit in its parent's organisation. A root unit goes to ``organisation``, or, when none is
    named, founds a new organisation of its own code and name (the root names it)."""
    if Unit.objects.filter(code=code).exists():
        raise ServiceError(f"单位编码 {code} 已存在", field="code")
    if parent is not None and organisation is not None and parent.organisation_id != organisation.pk:
        raise ServiceError("上级单位属于另一个组织", field="parent")
    try:
        level = check_parent(unit_parents(), None, parent.pk if parent else None, max_depth=MAX_UNIT_DEPTH)
    except TreeError as e:
        raise ServiceError(str(e), field="parent") from None
    if parent is not None:
        org_id = parent.organisation_id
    elif organisation is not None:
        org_id = organisation.pk
    else:
        org_id = organisation_create(actor=actor, code=code, name=name).pk
    unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent, level=level, position=position,
                               organisation_id=org_id)
    audit_record(actor=actor, action="create", instance=unit, after={"code": code, "name": name, "kind": kind,
                                                                     "parent": parent.code if parent else None})
    return unit


@transaction.atomic
def unit_move(*, actor: Actor, unit: Unit, parent: Unit | None) -> Unit:
    """Give a unit a new parent; refuses cycles and trees deeper than four levels with staff."""
    if parent is not None and parent.organisation_id != unit.organisation_id:
        raise ServiceError("不能把单位移到另一个组织", field="parent")
    parents = unit_parents()
    try:
        level = check_parent(parents, unit.pk, parent.pk if parent else None, max_depth=MAX_UNIT_DEPTH)
    except TreeError as e:
        raise ServiceError(str(e), field="parent") from None
    old = Unit.objects.filter(pk=unit.parent_id).values_list("code", flat=True).first() if unit.parent_id else None
    before = {"parent": old}
    unit.parent, unit.level = parent, level
    unit.save(update_fields=["parent", "level"])
    audit_record(actor=actor, action="move", instance=unit, before=before,
                 after={"parent": parent.code if parent else None})
    return unit


@transaction.atomic
def person_create(*, actor: Actor, code: str, name: str, unit: Unit, level: str = Person.Level.STAFF,
                  title: str = "", user: User | None = None) -> Person:
    if Person.objects.filter(code=code).exists():
        raise ServiceError(f"人员编码 {code} 已存在", field="code")
    person = Person.objects.create(code=code, name=name, unit=unit, level=level, title=title, user=user)
    audit_record(actor=actor, action="create", instance=person,
                 after={"code": code, "name": name, "unit": unit.code, "level": level})
    return person


# 三员分立: one account holds at most one of these.
THREE_ADMINS = (RoleGrant.Role.SYSTEM_ADMIN, RoleGrant.Role.SECURITY_ADMIN, RoleGrant.Role.AUDIT_ADMIN)


def password_policy_apply(password: str, *, username: str, administrator: bool = False) -> None:
    """Refuse a password that breaks the policy profile (jixiao.core.passwords); every path that
    sets a password calls this."""
    problems = check_password_policy(password, username=username, administrator=administrator)
    if problems:
        raise ServiceError("；".join(p.message for p in problems), field="password")


def is_administrator(user: User) -> bool:
    """An account whose password needs the administrators' length: office admins, the three
    administrators (三员) and superusers."""
    return bool(user.is_superuser) or RoleGrant.objects.filter(
        user=user, role__in=(RoleGrant.Role.OFFICE_ADMIN, *THREE_ADMINS)).exists()


def _password_stamp(user: User, *, must_change: bool) -> None:
    AccountSecurity.objects.update_or_create(user=user, defaults={"password_changed_at": timezone.now(),
                                                                  "must_change_password": must_change})


def sessions_end(user: User) -> int:
    """Delete every server-side session of ``user`` (logout everywhere); returns how many."""
    keys = [s.session_key for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
            if str(s.get_decoded().get("_auth_user_id", "")) == str(user.pk)]
    return Session.objects.filter(session_key__in=keys).delete()[0] if keys else 0


def sessions_expired_clear() -> int:
    """Delete the sessions past their expiry (residual information); the scheduler runs it."""
    return Session.objects.filter(expire_date__lte=timezone.now()).delete()[0]


@transaction.atomic
def account_create(*, actor: Actor, username: str, password: str, display_name: str = "",
                   email: str = "", person: Person | None = None, administrator: bool = False,
                   must_change_password: bool = False) -> User:
    """A new account. Usernames are unique whatever their case; the password follows the policy
    (``administrator``: the longer minimum). ``password`` "!" makes an account without a usable
    password (API-only accounts)."""
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(f"账号 {username} 已存在（用户名不区分大小写）", field="username")
    usable = password != "!"
    if usable:
        password_policy_apply(password, username=username, administrator=administrator)
    user = User.objects.create_user(username=username, password=password if usable else None, email=email,
                                    first_name=display_name[:150])
    _password_stamp(user, must_change=must_change_password)
    if person is not None:
        if person.user_id is not None:
            raise ServiceError(f"{person.name} 已有账号", field="person")
        person.user = user
        person.save(update_fields=["user"])
    audit_record(actor=actor, action="create", instance=user,
                 after={"username": username, "person": person.code if person else None})
    return user


@transaction.atomic
def password_change(*, actor: Actor, user: User, old_password: str, new_password: str) -> User:
    """The user changes his own password (密码修改): the old one must be right, the new one follow
    the policy and differ from the old. Clears a forced change."""
    if actor is not None and getattr(actor, "pk", None) != user.pk:
        raise NotAllowed("只能修改自己的密码")
    if not user.check_password(old_password):
        audit_record(actor=actor, action="password_change", instance=user, outcome="failure",
                     summary="原密码不正确")
        raise ServiceError("原密码不正确", field="old_password")
    if old_password == new_password:
        raise ServiceError("新密码不能与原密码相同", field="new_password1")
    password_policy_apply(new_password, username=user.get_username(), administrator=is_administrator(user))
    user.set_password(new_password)
    user.save(update_fields=["password"])
    _password_stamp(user, must_change=False)
    audit_record(actor=actor, action="password_change", instance=user, summary="修改密码")
    return user


@transaction.atomic
def password_reset(*, actor: Actor, user: User, new_password: str, system: str | None = None) -> User:
    """An administrator sets a new password for someone (重置密码): it follows the policy, must be
    changed at the next login, and every session of the account ends."""
    password_policy_apply(new_password, username=user.get_username(), administrator=is_administrator(user))
    user.set_password(new_password)
    user.save(update_fields=["password"])
    _password_stamp(user, must_change=True)
    ended = sessions_end(user)
    audit_record(actor=actor, action="password_reset", instance=user, summary="重置密码", system=system,
                 after={"sessions_ended": ended})
    return user


@transaction.atomic
def account_disable(*, actor: Actor, user: User, system: str | None = None) -> User:
    """Disable an account (停用账号): it can no longer log in and its sessions end at once."""
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise NotAllowed("不能停用自己的账号")
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_end(user)
    audit_record(actor=actor, action="account_disable", instance=user, before={"is_active": True},
                 after={"is_active": False, "sessions_ended": ended}, system=system)
    return user


@transaction.atomic
def account_enable(*, actor: Actor, user: User, action: str = "account_enable") -> User:
    """Enable a disabled account again (启用账号); its last login counts from now, so the
    inactivity sweep does not disable it again at once."""
    user.is_active = True
    user.last_login = timezone.now()
    user.save(update_fields=["is_active", "last_login"])
    audit_record(actor=actor, action=action, instance=user, before={"is_active": False}, after={"is_active": True})
    return user


@transaction.atomic
def account_lock(*, actor: Actor, user: User) -> User:
    """The security administrator locks an account (锁定账号, e.g. a suspected compromise): it can
    no longer log in and its sessions end at once, until he unlocks it."""
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise NotAllowed("不能锁定自己的账号")
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_end(user)
    audit_record(actor=actor, action="account_lock", instance=user, before={"is_active": True},
                 after={"is_active": False, "sessions_ended": ended})
    return user


@transaction.atomic
def account_unlock(*, actor: Actor, user: User) -> User:
    """Unlock an account (解锁账号): the login failures that locked it (django-axes) are cleared
    and, if it was locked by hand, it is enabled again."""
    from axes.utils import reset

    cleared = reset(username=user.get_username())
    before = {"is_active": user.is_active, "failures": cleared}
    if not user.is_active:
        user.is_active = True
        user.last_login = timezone.now()
        user.save(update_fields=["is_active", "last_login"])
    audit_record(actor=actor, action="account_unlock", instance=user, before=before, after={"is_active": True})
    return user


def account_stale(user: User, *, now: datetime | None = None) -> bool:
    """Whether an account has been unused for ``JIXIAO_ACCOUNT_INACTIVE_DAYS`` (0: never stale)."""
    days = int(getattr(settings, "JIXIAO_ACCOUNT_INACTIVE_DAYS", 90))
    if days <= 0 or not user.has_usable_password():
        return False
    cutoff = (now or timezone.now()) - timedelta(days=days)
    last = user.last_login or user.date_joined
    return last < cutoff


def accounts_inactive_disable(*, now: datetime | None = None) -> list[int]:
    """Disable the accounts unused for ``JIXIAO_ACCOUNT_INACTIVE_DAYS`` (default 90; 0: never):
    no login since then (or, never logged in, created before then). Accounts without a usable
    password (API-only systems) are left alone. Each is audited and its sessions end. The
    scheduler's sweep runs it; returns the ids disabled."""
    days = int(getattr(settings, "JIXIAO_ACCOUNT_INACTIVE_DAYS", 90))
    if days <= 0:
        return []
    cutoff = (now or timezone.now()) - timedelta(days=days)
    stale = (User.objects.filter(is_active=True).exclude(password__startswith="!")
             .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)))
    done = []
    for user in stale.iterator():
        account_disable(actor=None, user=user, system="停用长期未使用账号")
        done.append(user.pk)
    return done


def password_state(user: User) -> tuple[bool, bool]:
    """(must change now, expired): what the login check asks of the account."""
    row = AccountSecurity.objects.filter(user=user).values_list("password_changed_at", "must_change_password").first()
    if row is None:
        return False, False
    max_age = int(getattr(settings, "JIXIAO_PASSWORD_MAX_AGE_DAYS", 90))
    from jixiao.core.passwords import password_expired

    age = (timezone.now() - row[0]).total_seconds() / 86400
    return bool(row[1]), password_expired(age, max_age_days=max_age)


@transaction.atomic
def grant_add(*, actor: Actor, user: User, role: str, unit: Unit | None = None,
              organisation: Organisation | None = None) -> RoleGrant:
    """A role on a unit (in the unit's organisation) or, for the office admin, office-wide in one
    organisation (``organisation``, or the installation's only one)."""
    if role not in RoleGrant.Role.values:
        raise ServiceError(f"未知角色 {role}", field="role")
    if role in THREE_ADMINS:
        if unit is not None:
            raise ServiceError("系统管理员、安全管理员、审计管理员不按单位授权", field="unit")
        held = RoleGrant.objects.filter(user=user, role__in=THREE_ADMINS).exclude(role=role) \
            .values_list("role", flat=True).first()
        if held is not None:
            raise ServiceError(f"三员分立：{user.get_username()} 已是{RoleGrant.Role(held).label}，"
                               f"不能再兼任{RoleGrant.Role(role).label}", field="role")
    elif role not in (RoleGrant.Role.OFFICE_ADMIN, RoleGrant.Role.LEADER_GROUP) and unit is None:
        raise ServiceError("该角色需要指定单位", field="unit")
    if unit is not None and organisation is not None and unit.organisation_id != organisation.pk:
        raise ServiceError("单位不属于所选组织", field="unit")
    org_id = unit.organisation_id if unit is not None else organisation_default(organisation).pk
    grant, _ = RoleGrant.objects.get_or_create(user=user, role=role, unit=unit, organisation_id=org_id)
    audit_record(actor=actor, action="grant", instance=grant,
                 after={"user": user.get_username(), "role": role, "unit": unit.code if unit else None,
                        "organisation": org_id})
    return grant


@transaction.atomic
def grant_remove(*, actor: Actor, grant: RoleGrant) -> None:
    """Withdraw a role grant (撤销授权); the account's sessions end so the narrower rights hold at once."""
    before = {"user": grant.user.get_username(), "role": grant.role, "unit": grant.unit.code if grant.unit else None,
              "organisation": grant.organisation_id}
    audit_record(actor=actor, action="grant_remove", instance=grant, before=before)
    user = grant.user
    grant.delete()
    sessions_end(user)


@transaction.atomic
def category_create(*, actor: Actor, code: str, name: str, subject: str = Category.Subject.UNIT,
                    position: int = 0, organisation: Organisation | None = None) -> Category:
    if Category.objects.filter(code=code).exists():
        raise ServiceError(f"类别编码 {code} 已存在", field="code")
    org = organisation_default(organisation)
    cat = Category.objects.create(code=code, name=name, subject=subject, position=position, organisation=org)
    audit_record(actor=actor, action="create", instance=cat, after={"code": code, "name": name})
    return cat


@transaction.atomic
def object_create(*, actor: Actor, code: str, name: str, category: Category, unit: Unit, group: str = "",
                  person: Person | None = None, parent: AssessedObject | None = None) -> AssessedObject:
    if AssessedObject.objects.filter(code=code).exists():
        raise ServiceError(f"考核对象编码 {code} 已存在", field="code")
    if category.organisation_id != unit.organisation_id:
        raise ServiceError("考核对象的单位和类别属于不同的组织", field="category")
    if category.subject == Category.Subject.PERSON and person is None:
        raise ServiceError("个人类别的考核对象需要对应人员", field="person")
    obj = AssessedObject.objects.create(code=code, name=name, category=category, group=group or category.code,
                                        unit=unit, person=person, parent=parent)
    audit_record(actor=actor, action="create", instance=obj,
                 after={"code": code, "name": name, "category": category.code, "group": obj.group,
                        "unit": unit.code, "parent": parent.code if parent else None})
    return obj


@transaction.atomic
def administrator_create(*, actor: Actor, username: str, password: str, role: str,
                         organisation: Organisation | None = None) -> User:
    """One of the three administrators (三员: 系统管理员, 安全管理员, 审计管理员) with its account: how
    an installation gets its first system administrator (``manage.py admin_create``), who then
    administers the rest in the browser. The administrators' longer password minimum applies."""
    if role not in THREE_ADMINS:
        raise ServiceError("只能创建系统管理员、安全管理员或审计管理员", field="role")
    user = account_create(actor=actor, username=username, password=password, display_name=RoleGrant.Role(role).label,
                          administrator=True)
    grant_add(actor=actor, user=user, role=role, organisation=organisation)
    return user
