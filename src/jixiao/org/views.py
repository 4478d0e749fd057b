"""Organisation pages: the unit tree, categories and objects, people — all scoped."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.org.models import Category
from jixiao.org.scoping import scope_of
from jixiao.org.selectors import objects_visible, people_visible, units_visible


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    units = list(units_visible(scope=scope).annotate(staff=Count("people")).order_by("level", "position", "code"))
    children: dict[int | None, list] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    ids = {u.pk for u in units}
    roots = [u for u in units if u.parent_id not in ids]
    tree: list[tuple[int, object]] = []

    def walk(u: object, depth: int) -> None:
        tree.append((depth, u))
        for c in children.get(u.pk, []):  # type: ignore[attr-defined]
            walk(c, depth + 1)

    for r in roots:
        walk(r, 0)
    objects = list(objects_visible(scope=scope).select_related("category", "unit", "parent"))
    cats = Category.objects.annotate(n=Count("members"))
    people = list(people_visible(scope=scope).select_related("unit", "user")[:500])
    return render(request, "org/index.html", {"tree": tree, "objects": objects, "categories": cats, "people": people})
