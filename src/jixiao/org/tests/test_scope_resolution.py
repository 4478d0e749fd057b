"""A user's scope is resolved without reading the unit table whole: the grants and the person in
one query, the subtrees of unit grants by a walk down the tree on ids, and it is the same scope as
resolving the grants over the whole tree."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.org import services as org
from jixiao.org.models import Person, RoleGrant, Unit
from jixiao.org.scoping import build_scope
from jixiao.org.selectors import scope_for_user


def _reference(user: Any) -> Any:
    """The scope resolved the simple way: every unit's parent and keys loaded (one organisation)."""
    units = list(Unit.objects.values_list("id", "parent_id", "code", "name"))
    orgs = set(RoleGrant.objects.filter(user=user).values_list("organisation_id", flat=True)) | set(
        Person.objects.filter(user=user).values_list("unit__organisation_id", flat=True))
    return build_scope(
        organisation_id=min(orgs) if orgs else None, organisations=orgs, user_id=user.pk,
        is_superuser=user.is_superuser,
        grants=list(RoleGrant.objects.filter(user=user).values_list("role", "unit_id")),
        unit_parents={u: p for u, p, _, _ in units}, unit_keys={u: (c, n) for u, _, c, n in units},
        person_id=Person.objects.filter(user=user).values_list("id", flat=True).first())


@pytest.fixture
def deep(cast: Any) -> Any:
    """Sections under the towns (the tree's third level), a person record for the reporter, a leader
    of the county who also reports for 西镇, a unit head granted a unit inside another of his subtrees."""
    a = org.unit_create(actor=None, code="east-a", name="东镇甲科", kind=Unit.Kind.DEPARTMENT, parent=cast.east)
    org.unit_create(actor=None, code="east-b", name="东镇乙科", kind=Unit.Kind.DEPARTMENT, parent=cast.east)
    org.unit_create(actor=None, code="west-a", name="西镇甲科", kind=Unit.Kind.DEPARTMENT, parent=cast.west)
    org.person_create(actor=None, code="p-rep", name="填报员", unit=cast.east, user=cast.reporter)
    org.grant_add(actor=None, user=cast.leader, role=RoleGrant.Role.LEADER, unit=cast.county)
    org.grant_add(actor=None, user=cast.leader, role=RoleGrant.Role.UNIT_REPORTER, unit=cast.west)
    head = org.account_create(actor=None, username="head", password="Chief-pass-2024", display_name="head")
    org.grant_add(actor=None, user=head, role=RoleGrant.Role.UNIT_HEAD, unit=cast.east)
    org.grant_add(actor=None, user=head, role=RoleGrant.Role.UNIT_HEAD, unit=a)
    org.grant_add(actor=None, user=head, role=RoleGrant.Role.SOURCE_REPORTER, unit=cast.stats_unit)
    cast.head = head
    return cast


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["office", "reporter", "leader", "stats", "outsider", "head"])
def test_the_scope_is_the_grants_over_the_whole_tree(deep: Any, who: str) -> None:
    user = getattr(deep, who)
    got = scope_for_user(user)
    assert got == _reference(user)
    if who == "reporter":
        assert got.person_id is not None
        assert {u.code for u in Unit.objects.filter(id__in=got.report_units)} == {"east", "east-a", "east-b"}
    if who == "leader":
        assert got.leader_units == frozenset(Unit.objects.values_list("id", flat=True))
    if who == "head":
        assert got.source_keys == {"tjj", "县统计局"}


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "queries"), [("office", 1), ("outsider", 1), ("reporter", 2), ("stats", 2),
                                              ("head", 3)])
def test_the_scope_costs_a_query_per_kind_of_grant(deep: Any, who: str, queries: int) -> None:
    for i in range(30):
        org.unit_create(actor=None, code=f"x{i}", name=f"单位{i}", kind=Unit.Kind.DEPARTMENT, parent=deep.county)
    with CaptureQueriesContext(connection) as ctx:
        scope_for_user(getattr(deep, who))
    assert len(ctx) == queries, [q["sql"] for q in ctx.captured_queries]
    # never every unit: the unit table is read only by id (the keys) or walked from the grants
    assert all("org_unit" not in q["sql"] or "WHERE" in q["sql"] or "JOIN sub" in q["sql"]
               for q in ctx.captured_queries)
