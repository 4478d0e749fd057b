"""The incident register (加减分事项): deductions, bonuses with documents, vetoes; office approval."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jixiao.collection import forms
from jixiao.collection.models import Incident
from jixiao.collection.selectors import (
    assessments_with_incidents,
    incident_choices,
    incident_get,
    incident_label,
    incidents_for,
)
from jixiao.collection.services import incident_create, incident_decide
from jixiao.core.refusals import form_refusals, message_refusals
from jixiao.org.scoping import Scope, scope_of
from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import catalog_of, period_in_assessment, periods_of

INCIDENTS_PAGE = 50


def _assessment(request: HttpRequest) -> tuple[list[Assessment], Assessment | None]:
    """The assessments whose schemes have incident indicators, and the one asked for (else the first)."""
    assessments = assessments_with_incidents(scope=scope_of(request))
    code = request.GET.get("assessment") or ""
    picked = next((x for x in assessments if x.code == code), None)
    return assessments, picked or (assessments[0] if assessments else None)


def _form(scope: Scope, a: Assessment, request: HttpRequest, *, bound: bool) -> forms.IncidentForm:
    # Only open periods take incidents: a closed one is not offered.
    periods = [p for p in periods_of(a) if p.is_open]
    initial = {"period": periods[0].code if periods else "", **{
        k: request.GET[k] for k in ("indicator", "item", "object", "period") if request.GET.get(k)}}
    choices = incident_choices(scope=scope, assessment=a)
    if bound:
        return forms.IncidentForm(choices, periods, request.POST, request.FILES)
    return forms.IncidentForm(choices, periods, initial=initial)


@login_required
def incidents(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    assessments, a = _assessment(request)
    status = request.GET.get("status", "")
    if status not in Incident.Status.values:
        status = ""
    form = _form(scope, a, request, bound=request.method == "POST") if a is not None else None
    if request.method == "POST" and a is not None and form is not None and form.is_valid():
        d = form.cleaned_data
        period = period_in_assessment(scope=scope, assessment=a, code=d["period"])
        # One call, one transaction: the incident with its evidence, or nothing.
        with form_refusals(form) as outcome:
            incident_create(actor=request.user, scope=scope, period=period, obj=d["object"],
                            indicator=d["indicator"], item=d["item"] or "", level=d["level"] or "",
                            count=d["count"], amount=d["amount"], document=d["document"], note=d["note"],
                            uploads=[d["file"]] if d.get("file") else [])
        if outcome.ok:
            messages.success(request, "已登记，待绩效办审批后计分")
            return redirect(f"{request.path}?{urlencode({'assessment': a.code})}")
    page = Paginator(incidents_for(scope=scope, assessment=a, status=status), INCIDENTS_PAGE).get_page(
        request.GET.get("page"))
    catalog = catalog_of(a) if a is not None else None
    rows = [(i, incident_label(catalog, i) if catalog else i.indicator) for i in page.object_list]
    return render(request, "collection/incidents.html", {
        "assessments": assessments, "assessment": a, "rows": rows, "page": page, "form": form,
        "status": status, "statuses": Incident.Status.choices,
        "can_register": form is not None and bool(form.choices.objects) and bool(form.choices.indicators)
        and bool(form.periods),
        "pager_query": urlencode({k: v for k, v in (("assessment", a.code if a else ""), ("status", status)) if v})})


@login_required
@require_GET
def incident_form_fields(request: HttpRequest) -> HttpResponse:
    """The register's pickers again for the indicator (and item) chosen: htmx swaps them in."""
    scope = scope_of(request)
    a = _assessment(request)[1]
    if a is None:
        raise PermissionDenied(_("没有设置加减分指标的考核"))
    return render(request, "collection/_incident_fields.html", {"form": _form(scope, a, request, bound=False),
                                                                "assessment": a})


def _back(request: HttpRequest) -> str:
    ref = request.META.get("HTTP_REFERER")
    if ref and url_has_allowed_host_and_scheme(ref, allowed_hosts={request.get_host()}):
        return ref
    return reverse("collection:incidents")


@login_required
@require_POST
def incident_review(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    inc = incident_get(scope=scope, pk=pk)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        with message_refusals(request) as outcome:
            incident_decide(actor=request.user, scope=scope, incident=inc, approve=form.cleaned_data["approve"],
                            reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"])
        if outcome.ok:
            messages.success(request, "已批准，已计入得分" if form.cleaned_data["approve"] else "已驳回")
    return redirect(_back(request))
