"""Organisation pages: the unit tree, categories and objects, people — all scoped to the user's
organisation, each list a tab of its own, paginated (a city has thousands of sections and tens of
thousands of staff); and the switch between the organisations a user works in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jixiao.org.middleware import SESSION_KEY
from jixiao.org.models import AssessedObject, Person, Unit
from jixiao.org.scoping import scope_of
from jixiao.org.selectors import (
    categories_all,
    objects_visible,
    organisation_of,
    organisations_of,
    people_visible,
    units_visible,
)

PAGE = 100
TABS = (("units", gettext_lazy("单位")), ("objects", gettext_lazy("考核对象")), ("people", gettext_lazy("人员")))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    show = request.GET.get("show", "units")
    if show not in dict(TABS):
        show = "units"
    context: dict[str, Any] = {"tabs": TABS, "show": show, "pager_query": f"show={show}",
                               "organisation": organisation_of(scope=scope)}
    if show == "units":
        tree = _tree(list(units_visible(scope=scope).annotate(staff=Count("people"))
                          .order_by("level", "position", "code")))
        context["page"] = Paginator(tree, PAGE).get_page(request.GET.get("page"))
        context["categories"] = categories_all(scope=scope).annotate(n=Count("members"))
    elif show == "objects":
        objects = objects_visible(scope=scope).select_related("category", "unit", "parent", "person") \
            .order_by("category__position", "code")
        page = Paginator(objects, PAGE).get_page(request.GET.get("page"))
        context["page"] = page
        context["rows"] = [(o, group_label(o)) for o in page.object_list]
    else:
        people = people_visible(scope=scope).select_related("unit", "user").order_by("unit__level", "unit__position",
                                                                                     "unit__code", "code")
        context["page"] = Paginator(people, PAGE).get_page(request.GET.get("page"))
    return render(request, "org/index.html", context)


def group_label(obj: AssessedObject) -> str:
    """An object's ranking group in words: its category's name when ranked with the whole category,
    a person's position level (中层副职, 一般人员) when people are ranked by level, else the code."""
    if obj.group == obj.category.code:
        return obj.category.name
    if obj.person is not None:
        return str(Person.Level(obj.person.level).label)
    return obj.group


def _tree(units: list[Unit]) -> list[tuple[int, Unit]]:
    """The units in tree order with their depth below the top the user sees."""
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    ids = {u.pk for u in units}
    out: list[tuple[int, Unit]] = []
    stack = [(0, u) for u in reversed([u for u in units if u.parent_id not in ids])]
    while stack:
        depth, u = stack.pop()
        out.append((depth, u))
        stack.extend((depth + 1, c) for c in reversed(children.get(u.pk, [])))
    return out


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
