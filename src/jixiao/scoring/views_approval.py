"""Approval (结果审定) and public notice (公示) pages: the office's review and the leadership group's
approval of a category's results, the notice of a publication as a printable PDF, and the
publication's page without signing in when the office published it online (网上公示)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.exports import attachment_header, download_name, pdf_from_html
from jixiao.core.refusals import message_refusals
from jixiao.org.scoping import scope_of
from jixiao.schemes.selectors import assessment_in_scope, catalog_of
from jixiao.scoring.approval import (
    approval_approve,
    approval_of,
    approval_review,
    blockers,
    in_leader_group,
    ties_of,
)
from jixiao.scoring.models import Publication
from jixiao.scoring.selectors import publication_by_token


def _publication(token: str) -> Publication:
    try:
        return publication_by_token(token)
    except Publication.DoesNotExist:
        raise Http404(_("没有这个公示：链接有误，或公示已不存在")) from None


@login_required
@require_GET
def approval(request: HttpRequest, code: str, category: str) -> HttpResponse:
    """The category's approval: its state, what still blocks publishing, the ties to decide."""
    scope = scope_of(request)
    if not (scope.office or in_leader_group(scope)):
        raise PermissionDenied(_("只有绩效办和考核领导小组成员可以查看结果审定"))
    a = assessment_in_scope(scope=scope, code=code)
    info = catalog_of(a).categories.get(category)
    if info is None:
        raise Http404(_("没有这个考核类别"))
    return render(request, "scoring/approval.html", {
        "assessment": a, "category": {"code": category, "name": info.name or category},
        "approval": approval_of(assessment=a, category=category), "blockers": blockers(assessment=a),
        "ties": ties_of(assessment=a, category=category), "office": scope.office,
        "leader_group": in_leader_group(scope)})


@login_required
@require_POST
def review(request: HttpRequest, code: str, category: str) -> HttpResponse:
    scope = scope_of(request)
    a = assessment_in_scope(scope=scope, code=code)
    with message_refusals(request) as outcome:
        approval_review(actor=request.user, scope=scope, assessment=a, category=category,
                        note=request.POST.get("note", ""))
    if outcome.ok:
        messages.success(request, _("已审核，等待考核领导小组审定"))
    return redirect("scoring:approval", a.code, category)


@login_required
@require_POST
def approve(request: HttpRequest, code: str, category: str) -> HttpResponse:
    scope = scope_of(request)
    if not in_leader_group(scope):
        raise PermissionDenied(_("只有考核领导小组成员可以审定考核结果"))
    a = assessment_in_scope(scope=scope, code=code)
    ties = {t.object: (request.POST.get(f"grade_{t.object}", ""), request.POST.get(f"reason_{t.object}", ""))
            for t in ties_of(assessment=a, category=category)}
    with message_refusals(request) as outcome:
        approval_approve(actor=request.user, scope=scope, assessment=a, category=category, ties=ties,
                         note=request.POST.get("note", ""))
    if outcome.ok:
        messages.success(request, _("已审定，绩效办可以发布结果"))
    return redirect("scoring:approval", a.code, category)


def _notice_context(request: HttpRequest, pub: Publication) -> dict[str, object]:
    snap = pub.snapshot
    return {"pub": pub, "snap": snap, "rows": snap["rows"], "approval": snap.get("approval") or {},
            "appeal_link": request.build_absolute_uri(reverse("outcomes:appeal_new", args=[pub.token]))}


@login_required
@require_GET
def notice_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """公示通知 (PDF): the published table with the notice window and how to appeal."""
    pub = _publication(token)
    html = render_to_string("scoring/notice_print.html", _notice_context(request, pub))
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = attachment_header(download_name(pub.title + "公示通知", ".pdf"),
                                                        f"notice-{pub.token}.pdf")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def public(request: HttpRequest, token: str) -> HttpResponse:
    """网上公示: the published table without signing in, only for a publication the office made
    public and has not withdrawn (any other token is "no such page")."""
    try:
        pub = publication_by_token(token)
    except Publication.DoesNotExist:
        raise Http404(_("没有这个公示")) from None
    if not pub.public or pub.withdrawn:
        raise Http404(_("没有这个公示"))
    return render(request, "scoring/public.html", _notice_context(request, pub))
