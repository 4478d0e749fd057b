"""The cockpit pages: the overview of a category, and the drill-downs unit → indicator → values.

Every page takes ``?asof=YYYY-MM-DD`` (a checkpoint), ``?screen=1`` (the meeting-room display)
and ``?export=<chart key>`` (that chart's data as XLSX).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from jixiao.core.exports import XLSX_TYPE, attachment_header, download_name
from jixiao.dashboard import panels
from jixiao.dashboard.charts import Chart, chart_xlsx
from jixiao.dashboard.selectors import (
    Cockpit,
    UnitMatters,
    categories_for,
    cockpit_build,
    matters_by_unit,
    may_view,
    unit_names,
    unreported,
)
from jixiao.engine.progress import RED, NodeProgress, explain
from jixiao.org.scoping import Scope, scope_of
from jixiao.schemes.catalog import CategoryInfo
from jixiao.schemes.selectors import assessment_in_scope, assessments_all
from jixiao.scoring.selectors import pending_context

TITLE = "领导驾驶舱"
DRILL_PAGE = 100


def _scope(request: HttpRequest) -> Scope:
    scope = scope_of(request)
    if not may_view(scope):
        raise PermissionDenied(gettext("领导驾驶舱只对绩效办和领导开放"))
    return scope


def _as_of(request: HttpRequest) -> dt.date | None:
    text = request.GET.get("asof", "")
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _build(request: HttpRequest, code: str, category: str, *, trend: bool = True
           ) -> tuple[Scope, Cockpit, list[CategoryInfo]]:
    scope = _scope(request)
    a = assessment_in_scope(scope=scope, code=code)
    categories = categories_for(scope=scope, assessment=a)
    if category not in {c.code for c in categories}:
        raise Http404(gettext("本次考核没有这个考核对象类别，或其中没有您可以查看的对象"))
    unit = request.GET.get("unit", "")
    return scope, cockpit_build(scope=scope, assessment=a, category=category, as_of=_as_of(request),
                                unit=int(unit) if unit.isdigit() else None, trend=trend), categories


def _linker(ck: Cockpit, screen: bool) -> Any:
    """URLs of the cockpit pages that keep the day (and the display mode)."""
    def link(name: str, *, as_of: dt.date | None = None, **kw: str) -> str:
        url = reverse(name, kwargs={"code": ck.assessment.code, "category": ck.category.code, **kw})
        q = {"asof": (as_of or ck.as_of).isoformat()}
        if screen:
            q["screen"] = "1"
        return f"{url}?{urlencode(q)}"
    return link


def _pager_query(request: HttpRequest) -> str:
    """The page's query (day, display mode, unit) for its pager's links, without the page itself."""
    query = request.GET.copy()
    for key in ("page", "export"):
        query.pop(key, None)
    return query.urlencode()


def _export(request: HttpRequest, ck: Cockpit, charts: list[Chart], title: str) -> HttpResponse | None:
    """The chart ``?export=<key>`` names as XLSX (404 for a chart not on the page); None without."""
    key = request.GET.get("export")
    if not key:
        return None
    chart = next((c for c in charts if c.key == key), None)
    if chart is None:
        raise Http404(gettext("本页没有这张图表"))
    name = download_name(f"{ck.assessment.name}{ck.category.name}{chart.title}（截至{ck.as_of:%Y年%m月%d日}）", ".xlsx")
    resp = HttpResponse(chart_xlsx(chart, title=f"{title} · {chart.title}",
                                   meta=f"{ck.assessment.name}　{ck.category.name}　截至 {ck.as_of:%Y年%m月%d日}"),
                        content_type=XLSX_TYPE)
    resp["Content-Disposition"] = attachment_header(name, f"{chart.key}.xlsx")
    return resp


def _page(request: HttpRequest, ck: Cockpit, categories: list[CategoryInfo], template: str, charts: list[Chart],
          extra: dict[str, Any], title: str) -> HttpResponse:
    exported = _export(request, ck, charts, title)
    if exported is not None:
        return exported
    screen = request.GET.get("screen") == "1"
    query = {"asof": ck.as_of.isoformat(), **({"screen": "1"} if screen else {})}
    return render(request, template, {
        "ck": ck, "assessment": ck.assessment, "category": ck.category, "charts": charts, "screen": screen,
        "query": urlencode(query), "day_query": urlencode({"asof": ck.as_of.isoformat()}), "title": title,
        **pending_context(assessment=ck.assessment, category=ck.category.code),
        "categories": categories, **extra})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The first assessment and category the user sees: of the latest year, the assessment set up
    first (the annual one; special assessments of the year come after it)."""
    scope = _scope(request)
    for a in assessments_all(scope=scope).order_by("-year", "created_at", "pk"):
        cats = categories_for(scope=scope, assessment=a)
        if cats:
            return redirect("dashboard:cockpit", code=a.code, category=cats[0].code)
    return render(request, "dashboard/empty.html", {})


@login_required
def cockpit(request: HttpRequest, code: str, category: str) -> HttpResponse:
    scope, ck, categories = _build(request, code, category)
    link = _linker(ck, request.GET.get("screen") == "1")
    units = set(np.unique(ck.units).tolist())
    by_unit = f"{link('dashboard:cockpit')}&unit="
    ranking_url = reverse("scoring:ranking", args=[ck.assessment.code, ck.category.code])
    matters: list[UnitMatters] = []
    # Each chart drawn when asked for: an export draws its own only.
    build: dict[str, Callable[[], Chart]] = {
        "progress": lambda: panels.progress_chart(ck, link),
        "ranking": lambda: panels.ranking_chart(ck, link),
        "units": lambda: panels.units_chart(ck, unit_names(units, scope=scope), lambda uid: f"{by_unit}{uid}"),
        "grades": lambda: panels.grades_chart(ck, ranking_url),
        "trend": lambda: panels.trend_chart(ck, link),
        "matters": lambda: panels.matters_chart(matters),
    }
    if not (len(units) > 1 and ck.count > len(units)):  # people (or several objects a unit): by unit
        del build["units"]
    key = request.GET.get("export")
    if key:
        if key not in build:
            raise Http404(gettext("本页没有这张图表"))
        if key == "matters":
            matters = matters_by_unit(scope=scope)
        exported = _export(request, ck, [build[key]()], TITLE)
        assert exported is not None
        return exported
    chosen = request.GET.get("unit", "")
    matters = matters_by_unit(scope=scope)
    charts = [make() for make in build.values()]
    loc = ck.local_indices()
    leaves = [n for n in ck.progress.nodes if n.cn.is_leaf and n.cn.points and not n.cn.is_adjustment]
    root = ck.progress.root
    kpis = {
        "objects": ck.count,
        "time_share": panels.pct(ck.time_share),
        "expected": panels.pct(root.expected),
        "completion": panels.pct(float(root.completion[loc].mean())) if len(loc) else 0.0,
        "behind": sum(int((n.light[loc] == RED).sum()) for n in leaves),
        "red_matters": sum(m.red for m in matters),
    }
    missing = unreported(scope=scope, cockpit=ck)
    kpis["unreported"] = len({m.unit.pk for m in missing})
    only = unit_names({int(chosen)}, scope=scope).get(int(chosen)) if chosen.isdigit() else None
    # A city's sections are hundreds: the units short of their values come a page at a time.
    page = Paginator(missing, DRILL_PAGE).get_page(request.GET.get("page"))
    return _page(request, ck, categories, "dashboard/cockpit.html", charts,
                 {"kpis": kpis, "behind": panels.behind_list(ck), "unreported": page.object_list, "page": page,
                  "pager_query": _pager_query(request), "only_unit": only}, TITLE)


@login_required
def indicator(request: HttpRequest, code: str, category: str, node: str) -> HttpResponse:
    """One indicator across the units: each unit's completion, and where it came from."""
    _, ck, categories = _build(request, code, category, trend=False)
    try:
        n = ck.progress.node(node)
    except KeyError:
        raise Http404(gettext("没有这项指标")) from None

    def to_values(row: Any) -> str:
        return reverse("scoring:object", args=[ck.assessment.code, row.code]) + f"#ind-{n.code}"

    chart = panels.indicator_chart(ck, n, to_values)
    # The chart shows the best and the worst of a long list; all of them come here, a page at a time.
    order = panels.indicator_order(ck, n)
    page = Paginator(order, DRILL_PAGE).get_page(request.GET.get("page")) if len(order) > 2 * panels.ENDS else None
    listed = panels.indicator_rows(ck, n, list(page.object_list), to_values) if page is not None else []
    parents: list[NodeProgress] = []
    p = n.cn.parent
    while p is not None and p != 0:
        parents.insert(0, ck.progress.nodes[p])
        p = ck.progress.nodes[p].cn.parent
    children = [ck.progress.nodes[c] for c in n.cn.children]
    return _page(request, ck, categories, "dashboard/indicator.html", [chart],
                 {"node": n, "parents": parents, "children": children, "expected": panels.pct(n.expected),
                  "page": page, "listed": listed, "columns": panels.INDICATOR_COLUMNS,
                  "pager_query": _pager_query(request)},
                 n.cn.name)


@login_required
def unit(request: HttpRequest, code: str, category: str, obj: str) -> HttpResponse:
    """One unit's indicators against their schedules, and its course over the year."""
    _, ck, categories = _build(request, code, category)
    row = ck.row(obj)
    if row is None:
        raise Http404(gettext("没有这个考核对象，或您不能查看它"))
    link = _linker(ck, request.GET.get("screen") == "1")
    values = reverse("scoring:object", args=[ck.assessment.code, row.code])

    def to_node(n: Any) -> str:
        return f"{values}#ind-{n.code}" if n.cn.is_leaf else link("dashboard:indicator", node=n.code)

    charts = [panels.unit_chart(ck, row.local, to_node), panels.unit_trend_chart(
        ck, row.local, lambda cp: link("dashboard:unit", obj=row.code, as_of=cp.day))]
    root = ck.progress.root
    return _page(request, ck, categories, "dashboard/unit.html", charts, {
        "row": row, "values_url": values, "rank": int(ck.progress.rank[row.local]),
        "completion": panels.pct(float(root.completion[row.local])), "expected": panels.pct(root.expected),
        "light": panels.light_label(root.light[row.local]),
        "explain": explain(ck.progress, root, row.local)}, row.name)
