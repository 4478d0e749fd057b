"""Pages of the use of results (结果运用): appeals (申诉) from filing to the corrected publication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.core.refusals import form_refusals, message_refusals
from jixiao.org.scoping import scope_of
from jixiao.outcomes.forms import AppealForm, DecideForm
from jixiao.outcomes.selectors import (
    appeal_get,
    appeal_steps,
    appealable_objects,
    appeals_for,
    approvals_waiting,
    indicator_choices,
    period_choices,
)
from jixiao.outcomes.services import appeal_decide, appeal_file, appeal_republish
from jixiao.scoring.models import Publication
from jixiao.scoring.selectors import publication_by_token

PAGE = 50


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    page = Paginator(appeals_for(scope=scope), PAGE).get_page(request.GET.get("page"))
    return render(request, "outcomes/index.html", {"page": page, "office": scope.office,
                                                   "today": timezone.localdate(),
                                                   "approvals": approvals_waiting(scope=scope)})


def _publication(scope_org: int | None, token: str) -> Publication:
    try:
        pub = publication_by_token(token)
    except Publication.DoesNotExist:
        raise Http404("没有这个公示") from None
    if pub.assessment.organisation_id != scope_org:
        raise Http404("没有这个公示")
    return pub


@login_required
@require_http_methods(["GET", "POST"])
def appeal_new(request: HttpRequest, token: str) -> HttpResponse:
    scope = scope_of(request)
    pub = _publication(scope.organisation_id, token)
    objects = appealable_objects(scope=scope, publication=pub)
    if not objects:
        raise PermissionDenied("只有被考核单位的填报员、负责人或被考核本人可以对本次公示提出申诉")
    form = AppealForm(request.POST or None, request.FILES or None, objects=objects,
                      indicators=indicator_choices(publication=pub))
    if request.method == "POST" and form.is_valid():
        with form_refusals(form) as outcome:
            appeal = appeal_file(actor=request.user, scope=scope, publication=pub, obj=form.cleaned_data["object"],
                                 indicator=form.cleaned_data["indicator"], reason=form.cleaned_data["reason"],
                                 evidence=form.cleaned_data.get("evidence"))
        if outcome.ok:
            messages.success(request, "申诉已提交，绩效办将在答复期限内答复")
            return redirect("outcomes:appeal", appeal.pk)
    return render(request, "outcomes/appeal_new.html", {"pub": pub, "form": form})


@login_required
@require_GET
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    a = appeal_get(scope=scope, pk=pk)
    form = DecideForm(periods=period_choices(appeal=a)) if scope.office else None
    return render(request, "outcomes/appeal.html", {"appeal": a, "steps": appeal_steps(appeal=a),
                                                    "office": scope.office, "form": form})


@login_required
@require_POST
def appeal_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    if not scope.office:
        raise PermissionDenied("只有绩效办可以答复申诉")
    a = appeal_get(scope=scope, pk=pk)
    form = DecideForm(request.POST, periods=period_choices(appeal=a))
    if form.is_valid():
        d = form.cleaned_data
        with form_refusals(form) as outcome:
            appeal_decide(actor=request.user, scope=scope, appeal=a, accept=d["accept"], reason=d["reason"],
                          period=d.get("period"), value=d.get("value"))
        if outcome.ok:
            messages.success(request, "已答复申诉")
            return redirect("outcomes:appeal", a.pk)
    return render(request, "outcomes/appeal.html", {"appeal": a, "steps": appeal_steps(appeal=a),
                                                    "office": True, "form": form}, status=200)


@login_required
@require_POST
def appeal_republish_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    if not scope.office:
        raise PermissionDenied("只有绩效办可以发布更正结果")
    a = appeal_get(scope=scope, pk=pk)
    with message_refusals(request) as outcome:
        pub = appeal_republish(actor=request.user, scope=scope, appeal=a)
    if outcome.ok:
        messages.success(request, "更正后的结果已发布，原公示已被取代")
        return redirect("scoring:published", pub.token)
    return redirect("outcomes:appeal", a.pk)


@login_required
@require_GET
def appeal_evidence(request: HttpRequest, pk: int) -> FileResponse:
    a = appeal_get(scope=scope_of(request), pk=pk)
    if not a.evidence:
        raise Http404("该申诉没有佐证材料")
    return FileResponse(a.evidence.open("rb"), as_attachment=True, filename=a.evidence_name or "evidence")
