"""Reads of the organisation, always through a scope."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from jixiao.org.models import AssessedObject, Category, Organisation, Person, RoleGrant, Unit
from jixiao.org.scoping import ANONYMOUS, SUBTREE_ROLES, Scope, for_org, pick_organisation, scope_from


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


def scope_for_user(user: AbstractBaseUser | AnonymousUser, *, organisation_id: int | None = None) -> Scope:
    """The user's grants and person record in one query without joins; the units under subtree
    grants (leaders, unit heads and reporters) and the keys of data-source units only for those
    who hold such grants. The unit table is never read whole.

    The scope holds the grants of one organisation: ``organisation_id`` if the user has a grant
    (or his person record) there, else his person's, else the first of his. A superuser is no
    office admin and works in no organisation without a grant there (三员分立)."""
    if not user.is_authenticated:
        return ANONYMOUS
    uid = int(user.pk)
    superuser = bool(getattr(user, "is_superuser", False))
    grant, person, unit = RoleGrant._meta.db_table, Person._meta.db_table, Unit._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT role, unit_id, organisation_id FROM {grant} WHERE user_id = %s "
                    f"UNION ALL SELECT NULL, id, (SELECT u.organisation_id FROM {unit} u WHERE u.id = p.unit_id) "
                    f"FROM {person} p WHERE user_id = %s", [uid, uid])
        rows: list[tuple[str | None, int | None, int | None]] = cur.fetchall()
        person_row = next(((pid, org) for role, pid, org in rows if role is None), None)
        person_org = person_row[1] if person_row else None
        available = {org for _, _, org in rows if org is not None}
        chosen = pick_organisation(available, organisation_id, person_org)
        grants = [(role, u) for role, u, org in rows if role is not None and org == chosen]
        person_id = person_row[0] if person_row and person_org == chosen else None
        roots = sorted({(role, u) for role, u in grants if role in SUBTREE_ROLES and u is not None})
        subtrees: dict[str, set[int]] = {}
        if roots:
            cur.execute(_subtree_sql(len(roots)), [x for pair in roots for x in pair])
            for role, u in cur.fetchall():
                subtrees.setdefault(role, set()).add(u)
        sources = sorted({u for role, u in grants if role == RoleGrant.Role.SOURCE_REPORTER and u is not None})
    keys = {u: (c, n) for u, c, n in Unit.objects.filter(id__in=sources).values_list("id", "code", "name")} \
        if sources else {}
    return scope_from(user_id=uid, is_superuser=superuser, grants=grants, subtrees=subtrees, unit_keys=keys,
                      person_id=person_id, organisation_id=chosen, organisations=available)


def organisations_of(*, scope: Scope) -> QuerySet[Organisation]:
    """The organisations the user may work in (the switcher's choices)."""
    return Organisation.objects.filter(id__in=scope.organisations).order_by("position", "code")


def organisation_of(*, scope: Scope) -> Organisation | None:
    return Organisation.objects.filter(id=scope.organisation_id).first() if scope.organisation_id else None


def units_visible(*, scope: Scope) -> QuerySet[Unit]:
    """The units of the scope's organisation the user may see (pickers list these)."""
    qs = for_org(Unit.objects.all(), scope)
    if scope.view_units is None:
        return qs
    return qs.filter(id__in=scope.view_units | scope.source_units)


def units_of_org(*, scope: Scope) -> QuerySet[Unit]:
    """Every unit of the scope's organisation, whoever may see its data: the choices where a unit
    is named rather than read (a matter's lead and co-units, a reminder's recipients)."""
    return for_org(Unit.objects.all(), scope)


def objects_visible(*, scope: Scope, categories: list[str] | None = None) -> QuerySet[AssessedObject]:
    """Objects the scope may see in full (results, traces). A data-source reporter's extra reach
    (his indicators on every object) is the ledger's business: see ``objects_for_ledger``."""
    qs = for_org(AssessedObject.objects.select_related("category", "unit").filter(active=True), scope,
                 "unit__organisation")
    if categories is not None:
        qs = qs.filter(category__code__in=categories)
    if scope.view_units is None:
        return qs
    cond = Q(unit_id__in=scope.view_units)
    if scope.person_id is not None:
        cond |= Q(person_id=scope.person_id)
    return qs.filter(cond)


def objects_of_org(*, scope: Scope) -> QuerySet[AssessedObject]:
    """Every active object of the scope's organisation (a data-source reporter's reach, imports)."""
    return for_org(AssessedObject.objects.filter(active=True), scope, "unit__organisation")


def units_by_ids(*, scope: Scope, ids: list[int]) -> QuerySet[Unit]:
    """The units of the scope's organisation among ``ids`` (choices the caller has worked out)."""
    return units_of_org(scope=scope).filter(pk__in=ids)


def object_of_org_get(*, scope: Scope, code: str) -> AssessedObject:
    """An active object of the scope's organisation by code, with its category and unit;
    ``Http404`` for another organisation's (whether the user may see it is the caller's rule)."""
    return get_object_or_404(objects_of_org(scope=scope).select_related("category", "unit"), code=code)


def people_visible(*, scope: Scope) -> QuerySet[Person]:
    qs = for_org(Person.objects.select_related("unit"), scope, "unit__organisation")
    if scope.view_units is None:
        return qs
    return qs.filter(Q(unit_id__in=scope.view_units) | Q(id=scope.person_id or 0))


def categories_all(*, scope: Scope) -> QuerySet[Category]:
    """The categories of the scope's organisation."""
    return for_org(Category.objects.all(), scope)
