"""Writes to the organisation: units, people, accounts, categories, objects, role grants."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from jixiao.audit.services import Actor, audit_record
from jixiao.core.errors import ServiceError
from jixiao.core.trees import TreeError, check_parent
from jixiao.org.models import MAX_UNIT_DEPTH, AssessedObject, Category, Person, RoleGrant, Unit
from jixiao.org.selectors import unit_parents


@transaction.atomic
def unit_create(*, actor: Actor, code: str, name: str, kind: str, parent: Unit | None = None,
                position: int = 0) -> Unit:
    if Unit.objects.filter(code=code).exists():
        raise ServiceError(f"单位编码 {code} 已存在", field="code")
    try:
        level = check_parent(unit_parents(), None, parent.pk if parent else None, max_depth=MAX_UNIT_DEPTH)
    except TreeError as e:
        raise ServiceError(str(e), field="parent") from None
    unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent, level=level, position=position)
    audit_record(actor=actor, action="create", instance=unit, after={"code": code, "name": name, "kind": kind,
                                                                     "parent": parent.code if parent else None})
    return unit


@transaction.atomic
def unit_move(*, actor: Actor, unit: Unit, parent: Unit | None) -> Unit:
    """Give a unit a new parent; refuses cycles and trees deeper than four levels with staff."""
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


@transaction.atomic
def account_create(*, actor: Actor, username: str, password: str, display_name: str = "",
                   email: str = "", person: Person | None = None) -> User:
    if User.objects.filter(username=username).exists():
        raise ServiceError(f"账号 {username} 已存在", field="username")
    user = User.objects.create_user(username=username, password=password, email=email,
                                    first_name=display_name[:150])
    if person is not None:
        if person.user_id is not None:
            raise ServiceError(f"{person.name} 已有账号", field="person")
        person.user = user
        person.save(update_fields=["user"])
    audit_record(actor=actor, action="create", instance=user,
                 after={"username": username, "person": person.code if person else None})
    return user


@transaction.atomic
def grant_add(*, actor: Actor, user: User, role: str, unit: Unit | None = None) -> RoleGrant:
    if role not in RoleGrant.Role.values:
        raise ServiceError(f"未知角色 {role}", field="role")
    if role != RoleGrant.Role.OFFICE_ADMIN and unit is None:
        raise ServiceError("该角色需要指定单位", field="unit")
    grant, _ = RoleGrant.objects.get_or_create(user=user, role=role, unit=unit)
    audit_record(actor=actor, action="grant", instance=grant,
                 after={"user": user.get_username(), "role": role, "unit": unit.code if unit else None})
    return grant


@transaction.atomic
def category_create(*, actor: Actor, code: str, name: str, subject: str = Category.Subject.UNIT,
                    position: int = 0) -> Category:
    if Category.objects.filter(code=code).exists():
        raise ServiceError(f"类别编码 {code} 已存在", field="code")
    cat = Category.objects.create(code=code, name=name, subject=subject, position=position)
    audit_record(actor=actor, action="create", instance=cat, after={"code": code, "name": name})
    return cat


@transaction.atomic
def object_create(*, actor: Actor, code: str, name: str, category: Category, unit: Unit, group: str = "",
                  person: Person | None = None, parent: AssessedObject | None = None) -> AssessedObject:
    if AssessedObject.objects.filter(code=code).exists():
        raise ServiceError(f"考核对象编码 {code} 已存在", field="code")
    if category.subject == Category.Subject.PERSON and person is None:
        raise ServiceError("个人类别的考核对象需要对应人员", field="person")
    obj = AssessedObject.objects.create(code=code, name=name, category=category, group=group or category.code,
                                        unit=unit, person=person, parent=parent)
    audit_record(actor=actor, action="create", instance=obj,
                 after={"code": code, "name": name, "category": category.code, "group": obj.group,
                        "unit": unit.code, "parent": parent.code if parent else None})
    return obj
