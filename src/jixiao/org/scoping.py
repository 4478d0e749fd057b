"""Who may see and write what: a user's grants resolved once per request into a :class:`Scope`.

Every selector filters by a scope and every service checks one, so pages, imports and the API
apply the same rules:

- the office admin (绩效办) sees and writes everything, verifies values and approves incidents;
- a leader sees the objects of the units he oversees (and their sections and staff);
- a unit head and a unit reporter see their unit's subtree; the reporter reports for it;
- a data-source unit's reporter sees and reports only the indicators sourced to his unit, for
  every object that has them;
- staff see their own results.

All of it within one organisation (组织, :class:`jixiao.org.models.Organisation`): the scope holds
the grants of the organisation the user works in (``organisation_id``), and :func:`for_org` keeps
every list and fetch inside it. A user whose grants lie in several organisations (an office admin
of two) works in one at a time and switches (``org:switch``); a user with no grant and no person
record has no organisation and sees nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Model, QuerySet

from jixiao.core.errors import NotAllowed
from jixiao.core.trees import descendants


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    office: bool = False
    leader_units: frozenset[int] = frozenset()
    head_units: frozenset[int] = frozenset()
    head_roots: frozenset[int] = frozenset()  # the units of his unit-head grants (not those below)
    report_units: frozenset[int] = frozenset()
    source_units: frozenset[int] = frozenset()
    source_keys: frozenset[str] = frozenset()  # codes and names of the data-source units
    person_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    organisation_id: int | None = None  # the organisation the user works in; None: none (sees nothing)
    organisations: frozenset[int] = frozenset()  # every organisation he may switch to
    every_organisation: bool = False  # system jobs (no user) that run across all organisations

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def view_units(self) -> frozenset[int] | None:
        """Units whose objects are visible in full; ``None`` means all."""
        if self.office:
            return None
        return self.leader_units | self.head_units | self.report_units

    def sees_unit(self, unit_id: int) -> bool:
        units = self.view_units
        return units is None or unit_id in units

    def sees_object(self, unit_id: int, person_id: int | None) -> bool:
        return self.sees_unit(unit_id) or (person_id is not None and person_id == self.person_id)

    def reports_source(self, source: str) -> bool:
        return bool(source) and source in self.source_keys

    def can_report(self, unit_id: int, source: str) -> bool:
        """May enter values of an indicator with this data source for an object of this unit.

        Third-party indicators (a source that is another unit) are filled in by that unit
        ("数据来源为第三方的，电子台帐直接由第三方填报"), not by the assessed unit.
        """
        if self.office:
            return True
        if self.reports_source(source):
            return True
        return unit_id in self.report_units and not source

    @property
    def verifies(self) -> bool:
        """May verify some values: the office all of them, a unit head his own staff's and
        sections' (:meth:`verifies_object`)."""
        return self.office or bool(self.head_units)

    def verifies_object(self, *, unit_id: int, person_id: int | None, unit_kind: str) -> bool:
        """Whether he verifies the values of this object (a person's object, or a unit's).

        The office verifies everything. A unit head runs the assessment of his own staff and
        sections (四级考核): the objects of the people of his units, and of the sections below his
        unit; never his own object, nor his unit's own (the office verifies those)."""
        if self.office:
            return True
        if unit_id not in self.head_units:
            return False
        if person_id is not None:
            return person_id != self.person_id
        return unit_kind == "section" and unit_id not in self.head_roots


ANONYMOUS = Scope(user_id=None)

M = TypeVar("M", bound=Model)


def for_org(qs: QuerySet[M], scope: Scope, path: str = "organisation") -> QuerySet[M]:
    """``qs`` kept to the scope's organisation; ``path`` leads from the model to its organisation
    (e.g. ``"unit__organisation"``). A scope without an organisation gets nothing."""
    if scope.every_organisation:
        return qs
    if scope.organisation_id is None:
        return qs.none()
    return qs.filter(**{f"{path}_id": scope.organisation_id})


def in_org(scope: Scope, organisation_id: int | None) -> bool:
    """Whether a record of this organisation lies inside the scope's (for single fetches)."""
    return scope.every_organisation or (organisation_id is not None and organisation_id == scope.organisation_id)


def require_org(scope: Scope, organisation_id: int | None) -> None:
    """Refuse a write to another organisation's record (whatever the user's role there)."""
    if not in_org(scope, organisation_id):
        raise NotAllowed("该记录属于另一个组织，您当前的组织无权操作")


def scope_of(request: object) -> Scope:
    """The request's scope, attached by ``jixiao.org.middleware.ScopeMiddleware``."""
    return request.scope  # type: ignore[attr-defined,no-any-return]


# The roles whose grant covers a unit's whole subtree (a data-source grant covers its unit only).
SUBTREE_ROLES = ("leader", "unit_head", "unit_reporter")


def scope_from(*, user_id: int, is_superuser: bool, grants: Iterable[tuple[str, int | None]],
               subtrees: dict[str, set[int]], unit_keys: dict[int, tuple[str, str]],
               person_id: int | None, organisation_id: int | None = None,
               organisations: Iterable[int] = ()) -> Scope:
    """A scope from grants ``(role, unit_id)`` whose subtrees are resolved already: ``subtrees``
    maps each of :data:`SUBTREE_ROLES` to the units under its grants (the granted units included);
    ``unit_keys`` holds ``(code, name)`` of at least the data-source units granted."""
    grants = list(grants)
    roles: set[str] = set()
    sources: set[int] = set()
    # is_superuser no longer counts as office (三员分立: administration is not assessment work);
    # the parameter stays for callers.
    office = False
    for role, unit in grants:
        roles.add(role)
        if role == "office_admin":
            office = True
        elif role == "source_reporter" and unit is not None:
            sources.add(unit)
    keys = frozenset(k for u in sources for k in unit_keys.get(u, ()) if k)

    def sub(role: str) -> frozenset[int]:
        return frozenset(subtrees.get(role, ()))

    heads = frozenset(u for role, u in grants if role == "unit_head" and u is not None)
    return Scope(user_id=user_id, office=office, leader_units=sub("leader"), head_units=sub("unit_head"),
                 head_roots=heads,
                 report_units=sub("unit_reporter"), source_units=frozenset(sources), source_keys=keys,
                 person_id=person_id, roles=frozenset(roles), organisation_id=organisation_id,
                 organisations=frozenset(organisations))


def pick_organisation(available: Iterable[int], wanted: int | None, first: int | None = None) -> int | None:
    """The organisation a user works in: the one he chose if he may, else ``first`` (his person's),
    else the lowest id of those he may."""
    orgs = set(available)
    if wanted is not None and wanted in orgs:
        return wanted
    if first is not None and first in orgs:
        return first
    return min(orgs) if orgs else None


def build_scope(*, user_id: int, is_superuser: bool, grants: Iterable[tuple[str, int | None]],
                unit_parents: dict[int, int | None], unit_keys: dict[int, tuple[str, str]],
                person_id: int | None, organisation_id: int | None = None,
                organisations: Iterable[int] = ()) -> Scope:
    """Resolve grants ``(role, unit_id)`` over the whole unit tree ``{id: parent_id}``."""
    grants = list(grants)
    roots: dict[str, set[int]] = {}
    for role, unit in grants:
        if role in SUBTREE_ROLES and unit is not None:
            roots.setdefault(role, set()).add(unit)
    subtrees = {role: descendants(unit_parents, units) for role, units in roots.items()}
    return scope_from(user_id=user_id, is_superuser=is_superuser, grants=grants, subtrees=subtrees,
                      unit_keys=unit_keys, person_id=person_id, organisation_id=organisation_id,
                      organisations=organisations)
