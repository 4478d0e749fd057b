"""Results pages: the ranking per category and an object's explained score (publications of a
ranking are in views_publications)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.collection.models import Incident
from jixiao.core.refusals import message_refusals
from jixiao.engine.trace import TraceNode
from jixiao.org.scoping import scope_of
from jixiao.org.selectors import object_of_org_get
from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import assessment_in_scope, assessments_all, catalog_of
from jixiao.scoring.explain import trace_of
from jixiao.scoring.flags import flag_label
from jixiao.scoring.labels import group_names, item_names, period_names, variable_name
from jixiao.scoring.recompute import recompute_retry
from jixiao.scoring.seals import results_check
from jixiao.scoring.selectors import ledger_of_object, pending_context, result_of, results_for
from jixiao.scoring.snapshot import components_of


def _assessment(request: HttpRequest, code: str) -> Assessment:
    """An assessment of the user's organisation; 404 for another's."""
    return assessment_in_scope(scope=scope_of(request), code=code)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(assessments_all(scope=scope_of(request)), ASSESSMENTS_PAGE).get_page(request.GET.get("page"))
    if page.paginator.count == 1:
        return redirect("scoring:assessment", page.object_list[0].code)
    return render(request, "scoring/index.html", {"assessments": page.object_list, "page": page})


ASSESSMENTS_PAGE = 20  # a year or two of assessments a page


@login_required
def assessment(request: HttpRequest, code: str) -> HttpResponse:
    a = _assessment(request, code)
    cats = list(catalog_of(a).categories.values())
    return redirect("scoring:ranking", a.code, cats[0].code) if cats else render(
        request, "scoring/index.html", {"assessments": [a]})


@login_required
def ranking(request: HttpRequest, code: str, category: str) -> HttpResponse:
    """Totals, components, rank, grade and flags of one category, as last recomputed."""
    scope = scope_of(request)
    a = _assessment(request, code)
    catalog = catalog_of(a)
    info = catalog.categories.get(category)
    if info is None:
        raise Http404(_("本次考核没有这个考核对象类别"))
    components = components_of(catalog, category)
    results = results_for(scope=scope, assessment=a, category=category)
    periods, groups = period_names(a), group_names(catalog, category)
    # A city's staff are tens of thousands: the page shows one page of the ranking, the grade
    # counts come from the database, and the official tables (考核报表) hold the whole list.
    page = Paginator(results, RANKING_PAGE).get_page(request.GET.get("page"))
    results_check(list(page.object_list))  # a tampered row is refused, never shown
    rows: list[dict[str, Any]] = []
    for r in page.object_list:
        rows.append({"r": r, "components": [r.components.get(c[0]) for c in components],
                     "group": groups.get(r.group, r.group),
                     "flags": [flag_label(f, catalog, category, periods) for f in r.flags]})
    counted = dict(results.order_by().values_list("grade").annotate(n=Count("id")))
    grades = {(g or "—"): n for g, n in sorted(counted.items(), key=lambda kv: _band_order(catalog, category, kv[0]))}
    return render(request, "scoring/ranking.html", {
        "assessment": a, "category": info, "categories": list(catalog.categories.values()), "rows": rows,
        "page": page, "components": components, "grades": grades, "results_at": a.results_at,
        **pending_context(assessment=a, category=category)})


RANKING_PAGE = 200


def _band_order(catalog: Any, category: str, grade: str) -> tuple[int, str]:
    cat = next(c for c in catalog.scheme.categories if c.code == category)
    bands = [b.name for b in cat.results.grades.bands] if cat.results.grades else []
    return (bands.index(grade) if grade in bands else len(bands), grade)


def _trace_rows(node: TraceNode, depth: int = 0) -> list[dict[str, Any]]:
    out = [{"node": node, "depth": depth, "leaf": not node.children}]
    for c in node.children:
        out.extend(_trace_rows(c, depth + 1))
    return out


@login_required
def object_detail(request: HttpRequest, code: str, obj: str) -> HttpResponse:
    """Why this number: the engine's trace down to each indicator, with the values, incidents,
    ballots and evidence behind it and each value's history."""
    scope = scope_of(request)
    a = _assessment(request, code)
    o = object_of_org_get(scope=scope, code=obj)
    if not scope.sees_object(o.unit_id, o.person_id):
        raise PermissionDenied(_("只能查看本单位（或本人）的考核结果"))
    catalog = catalog_of(a)
    category = catalog.category_of_group(o.group)
    if category is None:
        raise Http404(_("该考核对象不参加本次考核"))
    result = result_of(assessment=a, obj=o)
    if result is not None:
        results_check([result])
    trace, headline = trace_of(assessment=a, obj=o, stored=result)
    ledger = ledger_of_object(assessment=a, obj=o, by_rating=scope.office)
    by_indicator, evidence, incidents = ledger.values, ledger.evidence, ledger.incidents
    incidents_of: dict[str, list[Incident]] = {}
    for i in incidents:
        incidents_of.setdefault(i.indicator, []).append(i)
    rows = _trace_rows(trace) if trace is not None else []
    items = item_names(catalog, category)
    for row in rows:
        code_ = row["node"].code
        row["values"] = [(v, variable_name(v.variable), evidence.get(v.pk, [])) for v in by_indicator.get(code_, [])]
        row["incidents"] = [(i, items.get((i.indicator, i.item), i.item)) for i in incidents_of.get(code_, [])]
        row["ballots"] = ledger.ballots.get(code_, [])
    veto_names = dict(catalog.categories[category].vetoes)
    return render(request, "scoring/object.html", {
        "assessment": a, "object": o, "result": result, "headline": headline, "rows": rows,
        **pending_context(assessment=a, category=category),
        "flags": [flag_label(f, catalog, category, period_names(a)) for f in (result.flags if result else [])],
        "vetoes": [(i, veto_names[i.indicator]) for i in incidents if i.indicator in veto_names]})


@login_required
def pending(request: HttpRequest, code: str) -> HttpResponse:
    """Polled by "结果更新中…" (htmx): the notice again while the ledger still has unscored changes,
    else a refresh of the page so it shows the new results."""
    a = _assessment(request, code)
    category = request.GET.get("category") or None
    context = pending_context(assessment=a, category=category)
    if context["pending"]:
        return render(request, "scoring/_pending.html", {"assessment": a, **context})
    response = HttpResponse("")
    response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def recompute(request: HttpRequest, code: str) -> HttpResponse:
    """重新计算: the office asks for the assessment's results to be computed again (after a failed run)."""
    a = _assessment(request, code)
    with message_refusals(request) as outcome:
        recompute_retry(actor=request.user, scope=scope_of(request), assessment=a)
    if outcome.ok:
        messages.info(request, _("已重新提交计算，完成后结果自动更新。"))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("scoring:assessment", args=[a.code])
    return redirect(target)
