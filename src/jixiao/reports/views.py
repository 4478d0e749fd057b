"""The reports page and the downloads of the official tables (XLSX and PDF).

Who gets what: the office every table; a leader, unit head or unit reporter the tables of a
category restricted to the units they see in full (403 when none of the category's objects is
theirs); a member of staff only their own page of the handbook (个人得分记分手册). A category
that is not the assessment's is 404; the handbook of a category of units is 404 too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from jixiao.core.exports import XLSX_TYPE, FontMissing, attachment_header, download_name
from jixiao.org.scoping import Scope, scope_of
from jixiao.reports import pdf, tables, xlsx
from jixiao.reports.selectors import (
    CategoryRef,
    categories_of,
    context_for,
    entries_for,
    period_names,
    visible_counts,
    with_period_components,
)
from jixiao.reports.tables import HANDBOOK, REWARDS, SUMMARY, Table, title_of
from jixiao.schemes.catalog import Catalog
from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import assessment_in_scope, assessments_all, catalog_of

log = logging.getLogger(__name__)
KINDS = {"summary": SUMMARY, "handbook": HANDBOOK, "rewards": REWARDS}


def _assessment(request: HttpRequest, code: str) -> Assessment:
    """An assessment of the user's organisation; 404 for another's."""
    return assessment_in_scope(scope=scope_of(request), code=code)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Per assessment and category, the tables this user may download."""
    scope = scope_of(request)
    units = visible_counts(scope=scope, units_only=True)
    own = visible_counts(scope=scope, units_only=False)
    items: list[dict[str, Any]] = []
    for a in assessments_all(scope=scope):
        catalog = catalog_of(a)
        cats = []
        for ref in categories_of(catalog):
            n_units = units.get((a.pk, ref.code), 0)
            n_handbook = own.get((a.pk, ref.code), 0) if ref.person else 0
            if n_units or n_handbook:
                cats.append({"ref": ref, "tables": n_units > 0, "handbook": n_handbook > 0, "count": n_units})
        if cats:
            items.append({"assessment": a, "categories": cats, "any_tables": any(c["tables"] for c in cats),
                          "any_handbook": any(c["handbook"] for c in cats)})
    # Assessments pile up year after year: a page of them at a time, newest first as listed.
    page = Paginator(items, ASSESSMENTS_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/index.html", {"items": page.object_list, "page": page})


ASSESSMENTS_PAGE = 10


def _refs(catalog: Catalog, category: str | None, *, person_only: bool = False) -> list[CategoryRef]:
    refs = categories_of(catalog)
    if person_only:
        refs = [r for r in refs if r.person]
    if category is not None:
        refs = [r for r in refs if r.code == category]
        if not refs:
            raise Http404(gettext("该考核没有这个类别"))
    elif not refs:
        raise Http404(gettext("该考核没有个人考核类别"))
    return refs


def _entries(scope: Scope, a: Assessment, catalog: Catalog, refs: Sequence[CategoryRef], *,
             units_only: bool) -> list[tuple[CategoryRef, list[tables.Entry]]]:
    """The visible entries of each category; categories without any are left out, and a request
    where nothing is left is refused."""
    out = []
    for ref in refs:
        es = entries_for(scope=scope, assessment=a, catalog=catalog, category=ref.code, units_only=units_only)
        if es or scope.office:
            out.append((ref, es))
    if not out:
        raise PermissionDenied(gettext("您的查看范围内没有这些报表的考核结果：报表只含您可以查看的单位（或本人）"))
    return out


def _respond(request: HttpRequest, a: Assessment, kind: str, fmt: str, category: CategoryRef | None,
             made: Sequence[Table]) -> HttpResponse:
    title = title_of(a.name, KINDS[kind])
    stem = f"{title}（{category.name}）" if category is not None else title
    fallback = f"{a.code}-{kind}" + (f"-{category.code}" if category is not None else "")
    if fmt == "xlsx":
        data, content_type = xlsx.tables_xlsx(made), XLSX_TYPE
    else:
        try:
            data = pdf.tables_pdf(made, title=stem)
        except FontMissing as e:
            log.error("report %s %s: %s", a.code, kind, e)
            return render(request, "reports/font_missing.html", {"message": str(e), "assessment": a}, status=503)
        content_type = "application/pdf"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = attachment_header(download_name(stem, f".{fmt}"), f"{fallback}.{fmt}")
    response["Cache-Control"] = "no-store"
    return response


Builder = Callable[[tables.Context, list[tables.Entry]], Table]


def _unit_tables(request: HttpRequest, code: str, category: str | None, fmt: str, kind: str,
                 build: Builder) -> HttpResponse:
    scope = scope_of(request)
    a = _assessment(request, code)
    catalog = catalog_of(a)
    got = _entries(scope, a, catalog, _refs(catalog, category), units_only=True)
    made = [build(context_for(a, catalog, ref), es) for ref, es in got]
    return _respond(request, a, kind, fmt, got[0][0] if category is not None else None, made)


@login_required
@require_GET
def summary(request: HttpRequest, code: str, fmt: str, category: str | None = None) -> HttpResponse:
    """考核汇总表: one sheet (PDF section) per category, or the one category asked for."""
    return _unit_tables(request, code, category, fmt, "summary", tables.summary_table)


@login_required
@require_GET
def rewards(request: HttpRequest, code: str, fmt: str, category: str | None = None) -> HttpResponse:
    """考核结果兑现表: per category, with the scheme's reward coefficients."""
    return _unit_tables(request, code, category, fmt, "rewards", tables.rewards_table)


@login_required
@require_GET
def handbook(request: HttpRequest, code: str, fmt: str, category: str | None = None) -> HttpResponse:
    """个人得分记分手册 of the categories of people (or one): a page per person the user may see
    (staff: their own), period by period from the engine."""
    scope = scope_of(request)
    a = _assessment(request, code)
    catalog = catalog_of(a)
    got = _entries(scope, a, catalog, _refs(catalog, category, person_only=True), units_only=False)
    filled = with_period_components(a, catalog, {ref.code: es for ref, es in got})
    periods = period_names(a)
    made = [tables.handbook_table(context_for(a, catalog, ref), filled[ref.code], periods) for ref, _es in got]
    return _respond(request, a, "handbook", fmt, got[0][0] if category is not None else None, made)
