"""Organisation pages: the unit tree, categories and objects, people — all scoped; and the switch
between the organisations a user works in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.org.middleware import SESSION_KEY
from jixiao.org.scoping import scope_of
from jixiao.org.selectors import (
    categories_all,
    objects_visible,
    organisation_of,
    organisations_of,
    people_visible,
    units_visible,
)


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
    cats = categories_all(scope=scope).annotate(n=Count("members"))
    people = list(people_visible(scope=scope).select_related("unit", "user")[:500])
    return render(request, "org/index.html", {"tree": tree, "objects": objects, "categories": cats, "people": people,
                                              "organisation": organisation_of(scope=scope)})


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    """Work in another of the user's organisations from now on (kept in the session). Goes home:
    the page he was on belongs to the organisation he left."""
    scope = scope_of(request)
    raw = request.POST.get("organisation", "")
    chosen = organisations_of(scope=scope).filter(pk=int(raw)).first() if raw.isdigit() else None
    if chosen is None:
        raise PermissionDenied(_("您在该组织没有任何角色，不能切换到该组织"))
    request.session[SESSION_KEY] = chosen.pk
    messages.success(request, _("已切换到 %(name)s") % {"name": chosen.name})
    return redirect("home")
