"""绩效改进计划 pages: the list (the office requires plans of a grade and below), one plan with its
measures, the head's signature and the office's reviews."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.refusals import message_refusals
from jixiao.org.scoping import scope_of
from jixiao.outcomes.selectors import plan_categories, plan_get, plans_for
from jixiao.outcomes.services import plan_item_add, plan_review, plan_sign, plans_require
from jixiao.schemes.selectors import assessment_in_scope


@login_required
@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    page = Paginator(plans_for(scope=scope), 50).get_page(request.GET.get("page"))
    return render(request, "outcomes/plans.html", {
        "page": page, "office": scope.office, "choices": plan_categories(scope=scope) if scope.office else []})


@login_required
@require_POST
def plans_require_view(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.office:
        raise PermissionDenied("只有绩效办可以要求制定改进计划")
    code, _, category = request.POST.get("pick", "").partition("|")
    a = assessment_in_scope(scope=scope, code=code)
    with message_refusals(request) as outcome:
        n = plans_require(actor=request.user, scope=scope, assessment=a, category=category,
                          grade=request.POST.get("grade", ""))
    if outcome.ok:
        messages.success(request, f"已要求 {n} 个考核对象制定改进计划")
    return redirect("outcomes:plans")


@login_required
@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    p = plan_get(scope=scope, pk=pk)
    unit = p.object.unit_id
    return render(request, "outcomes/plan.html", {
        "plan": p, "office": scope.office, "may_write": scope.office or unit in (scope.report_units | scope.head_units),
        "head": unit in scope.head_units})


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip()) if raw.strip() else None
    except ValueError:
        return None


@login_required
@require_POST
def plan_item(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    p = plan_get(scope=scope, pk=pk)
    with message_refusals(request) as outcome:
        plan_item_add(actor=request.user, scope=scope, plan=p, measure=request.POST.get("measure", ""),
                      owner=request.POST.get("owner", ""), due=_date(request.POST.get("due", "")),
                      result=request.POST.get("result", ""))
    if outcome.ok:
        messages.success(request, "已添加改进措施")
    return redirect("outcomes:plan", p.pk)


@login_required
@require_POST
def plan_sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    p = plan_get(scope=scope, pk=pk)
    with message_refusals(request) as outcome:
        plan_sign(actor=request.user, scope=scope, plan=p)
    if outcome.ok:
        messages.success(request, "改进计划已签字")
    return redirect("outcomes:plan", p.pk)


@login_required
@require_POST
def plan_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    if not scope.office:
        raise PermissionDenied("只有绩效办可以评估改进计划")
    p = plan_get(scope=scope, pk=pk)
    with message_refusals(request) as outcome:
        plan_review(actor=request.user, scope=scope, plan=p, kind=request.POST.get("kind", ""),
                    progress=request.POST.get("progress", ""), close=bool(request.POST.get("close")))
    if outcome.ok:
        messages.success(request, "已记录评估")
    return redirect("outcomes:plan", p.pk)
