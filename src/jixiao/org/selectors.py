"""Reads of the organisation, always through a scope."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet

from jixiao.org.models import AssessedObject, Category, Person, RoleGrant, Unit
from jixiao.org.scoping import ANONYMOUS, SUBTREE_ROLES, Scope, scope_from


def unit_parents() -> dict[int, int | None]:
    return dict(Unit.objects.values_list("id", "parent_id"))


def _subtree_sql(roots: int) -> str:
    """The units under ``roots`` (role, unit id) pairs, the roots included: a recursive walk down
    ``parent_id`` on ids only (a cycle ends the walk: UNION keeps each pair once)."""
    unit = Unit._meta.db_table
    seeds = ", ".join(["(%s, %s)"] * roots)
    return (f"WITH RECURSIVE seed(role, id) AS (VALUES {seeds}), "
            f"sub(role, id) AS (SELECT seed.role, r.id FROM seed JOIN {unit} r ON r.id = seed.id "
            f"UNION SELECT sub.role, u.id FROM {unit} u JOIN sub ON u.parent_id = sub.id) "
            f"SELECT role, id FROM sub")


def scope_for_user(user: AbstractBaseUser | AnonymousUser) -> Scope:
    """The user's grants and person record in one query without joins; the units under subtree
    grants (leaders, unit heads and reporters) and the keys of data-source units only for those
    who hold such grants. The unit table is never read whole."""
    if not user.is_authenticated:
        return ANONYMOUS
    uid = int(user.pk)
    grant, person = RoleGrant._meta.db_table, Person._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT role, unit_id FROM {grant} WHERE user_id = %s "
                    f"UNION ALL SELECT NULL, id FROM {person} WHERE user_id = %s", [uid, uid])
        rows: list[tuple[str | None, int | None]] = cur.fetchall()
        grants = [(role, unit) for role, unit in rows if role is not None]
        person_id = next((pid for role, pid in rows if role is None), None)
        roots = sorted({(role, unit) for role, unit in grants if role in SUBTREE_ROLES and unit is not None})
        subtrees: dict[str, set[int]] = {}
        if roots:
            cur.execute(_subtree_sql(len(roots)), [x for pair in roots for x in pair])
            for role, unit in cur.fetchall():
                subtrees.setdefault(role, set()).add(unit)
        sources = sorted({unit for role, unit in grants if role == RoleGrant.Role.SOURCE_REPORTER and unit is not None})
    keys = {u: (c, n) for u, c, n in Unit.objects.filter(id__in=sources).values_list("id", "code", "name")} \
        if sources else {}
    return scope_from(user_id=uid, is_superuser=bool(getattr(user, "is_superuser", False)), grants=grants,
                      subtrees=subtrees, unit_keys=keys, person_id=person_id)


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
