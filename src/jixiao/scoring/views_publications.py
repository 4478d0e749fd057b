"""Publication pages (结果公示): publishing a category's ranking, the stable link to what was
published (and its XLSX), the list of an assessment's publications, and withdrawing one.

Publishing and withdrawing are the office's; every signed-in user reads publications.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.errors import ServiceError
from jixiao.core.exports import XLSX_TYPE, attachment_header, download_name
from jixiao.core.refusals import message_refusals
from jixiao.org.scoping import Scope, scope_of
from jixiao.schemes.selectors import assessment_in_scope
from jixiao.scoring.exports import publication_xlsx
from jixiao.scoring.models import Publication
from jixiao.scoring.seals import publication_check
from jixiao.scoring.selectors import publication_by_token, publications_for
from jixiao.scoring.services import publication_create, publication_withdraw

PAGE = 50


def _office(request: HttpRequest, what: str) -> Scope:
    scope = scope_of(request)
    if not scope.office:
        raise PermissionDenied(what)
    return scope


def _publication(token: str) -> Publication:
    try:
        pub = publication_by_token(token)
    except Publication.DoesNotExist:
        raise Http404(_("没有这个公示：链接有误，或公示已不存在")) from None
    publication_check(pub)  # a tampered snapshot is refused, never shown
    return pub


def _rows(snap: dict[str, Any]) -> list[dict[str, Any]]:
    # The template walks components beside their headers; flags are stored as [kind, label].
    return [{**row, "flags": [tuple(f) for f in row["flags"]]} for row in snap["rows"]]


def _date(request: HttpRequest, name: str) -> dt.date | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ServiceError(_("日期格式应为 年-月-日，例如 2025-01-10"), field=name) from None


def _superseded(token: str) -> Publication | None:
    return _publication(token) if token else None


@login_required
@require_POST
def publish(request: HttpRequest, code: str, category: str) -> HttpResponse:
    scope = _office(request, _("只有绩效办可以发布考核结果"))
    a = assessment_in_scope(scope=scope, code=code)
    with message_refusals(request) as outcome:
        pub = publication_create(actor=request.user, scope=scope, assessment=a, category=category,
                                 note=request.POST.get("note", ""), notice_starts=_date(request, "notice_starts"),
                                 notice_ends=_date(request, "notice_ends"), public=bool(request.POST.get("public")),
                                 supersedes=_superseded(request.POST.get("supersedes", "")))
    if not outcome.ok:
        return redirect("scoring:ranking", a.code, category)
    messages.success(request, _("考核结果已发布，链接长期有效，所有用户可以查看"))
    return redirect("scoring:published", pub.token)


@login_required
@require_GET
def published(request: HttpRequest, token: str) -> HttpResponse:
    """The stable link: the frozen snapshot, withdrawn or not (never a 404 once published)."""
    pub = _publication(token)
    snap = pub.snapshot
    return render(request, "scoring/published.html", {
        "pub": pub, "snap": snap, "rows": _rows(snap), "grouped": len(snap["groups"]) > 1,
        "link": request.build_absolute_uri(reverse("scoring:published", args=[pub.token]))})


@login_required
@require_GET
def published_xlsx(request: HttpRequest, token: str) -> HttpResponse:
    pub = _publication(token)
    response = HttpResponse(publication_xlsx(pub), content_type=XLSX_TYPE)
    name = pub.title + (f"（第{pub.number}次）" if pub.number > 1 else "")
    response["Content-Disposition"] = attachment_header(download_name(name, ".xlsx"), f"publication-{pub.token}.xlsx")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def publications(request: HttpRequest, code: str) -> HttpResponse:
    a = assessment_in_scope(scope=scope_of(request), code=code)
    page = Paginator(publications_for(scope=scope_of(request), assessment=a), PAGE).get_page(request.GET.get("page"))
    return render(request, "scoring/publications.html", {
        "assessment": a, "page": page,
        "publications": [(p, request.build_absolute_uri(reverse("scoring:published", args=[p.token])))
                         for p in page.object_list]})


@login_required
@require_POST
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    scope = _office(request, _("只有绩效办可以撤回公示"))
    pub = _publication(token)
    with message_refusals(request) as outcome:
        publication_withdraw(actor=request.user, scope=scope, publication=pub, reason=request.POST.get("reason", ""))
    if outcome.ok:
        messages.success(request, _("公示已撤回；链接仍可打开，并注明撤回原因"))
    back = request.POST.get("next", "")
    if back == "list":
        return redirect("scoring:publications", pub.assessment.code)
    return redirect("scoring:published", pub.token)
