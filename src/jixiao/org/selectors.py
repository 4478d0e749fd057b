"""Reads of the organisation, always through a scope."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from jixiao.org.models import AssessedObject, Category, Person, RoleGrant, Unit
from jixiao.org.scoping import ANONYMOUS, Scope, build_scope


def unit_parents() -> dict[int, int | None]:
    return dict(Unit.objects.values_list("id", "parent_id"))


def scope_for_user(user: AbstractBaseUser | AnonymousUser) -> Scope:
    """Two queries: the grants with their units' keys, and the unit tree."""
    if not user.is_authenticated:
        return ANONYMOUS
    grants = list(RoleGrant.objects.filter(user_id=user.pk).values_list("role", "unit_id"))
    units = list(Unit.objects.values_list("id", "parent_id", "code", "name"))
    person_id = Person.objects.filter(user_id=user.pk).values_list("id", flat=True).first()
    return build_scope(
        user_id=int(user.pk), is_superuser=bool(getattr(user, "is_superuser", False)), grants=grants,
        unit_parents={u: p for u, p, _, _ in units}, unit_keys={u: (c, n) for u, _, c, n in units},
        person_id=person_id)


def units_visible(*, scope: Scope) -> QuerySet[Unit]:
    qs = Unit.objects.all()
    if scope.view_units is None:
        return qs
    return qs.filter(id__in=scope.view_units | scope.source_units)


def objects_visible(*, scope: Scope, categories: list[str] | None = None) -> QuerySet[AssessedObject]:
    """Objects the scope may see in full (results, traces). A data-source reporter's extra reach
    (his indicators on every object) is the ledger's business: see ``objects_for_ledger``."""
    qs = AssessedObject.objects.select_related("category", "unit").filter(active=True)
    if categories is not None:
        qs = qs.filter(category__code__in=categories)
    if scope.view_units is None:
        return qs
    cond = Q(unit_id__in=scope.view_units)
    if scope.person_id is not None:
        cond |= Q(person_id=scope.person_id)
    return qs.filter(cond)


def people_visible(*, scope: Scope) -> QuerySet[Person]:
    qs = Person.objects.select_related("unit")
    if scope.view_units is None:
        return qs
    return qs.filter(Q(unit_id__in=scope.view_units) | Q(id=scope.person_id or 0))


def categories_all() -> QuerySet[Category]:
    return Category.objects.all()
