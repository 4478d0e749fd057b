"""The incident register (加减分事项): deductions, bonuses with documents, vetoes; office approval."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jixiao.collection import forms
from jixiao.collection.models import Incident
from jixiao.collection.services import incident_create, incident_decide
from jixiao.collection.views import _object_in_scope
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.scoping import for_org, scope_of
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import assessments_all, catalog_of


def _choices(assessment: Assessment) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(category, indicator code, items) the register accepts: incident leaves and vetoes."""
    catalog = catalog_of(assessment)
    out = []
    for cat in catalog.categories.values():
        for leaf in cat.leaves:
            if leaf.kind == "incident":
                out.append((cat.name, f"{leaf.code} {leaf.name}", [(i.code, i.name + (
                    f"（{'/'.join(i.levels)}）" if i.levels else f"（{i.range[0]:g}–{i.range[1]:g}分/例）" if i.range
                    else f"（{i.per:g}分/例）")) for i in leaf.items]))
        for code, name in cat.vetoes:
            out.append((cat.name, f"{code} {name}（否决项）", []))
    return out


@login_required
def incidents(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    assessments = list(assessments_all(scope=scope))
    code = request.GET.get("assessment") or (assessments[0].code if assessments else "")
    a = next((x for x in assessments if x.code == code), None)
    status = request.GET.get("status", "")
    qs = for_org(Incident.objects.all(), scope, "assessment__organisation").select_related(
        "object__unit", "period", "created_by", "decided_by").prefetch_related("evidence")
    if a is not None:
        qs = qs.filter(assessment=a)
    if status:
        qs = qs.filter(status=status)
    units = scope.view_units
    if units is not None:
        qs = qs.filter(object__unit_id__in=units)
    form = forms.IncidentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and a is not None and form.is_valid():
        d = form.cleaned_data
        try:
            obj = _object_in_scope(scope, d["object"])
            period = get_object_or_404(Period, assessment=a, code=d["period"])
            # One call, one transaction: the incident with its evidence, or nothing.
            incident_create(actor=request.user, scope=scope, period=period, obj=obj,
                            indicator=d["indicator"].split()[0], item=d["item"], level=d["level"],
                            count=d["count"], amount=d["amount"], document=d["document"], note=d["note"],
                            uploads=[d["file"]] if d.get("file") else [])
            messages.success(request, "已登记，待绩效办审批后计分")
            return redirect(f"{request.path}?assessment={a.code}")
        except NotAllowed as e:
            raise PermissionDenied(e.message) from None
        except ServiceError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
    return render(request, "collection/incidents.html", {
        "assessments": assessments, "assessment": a, "incidents": list(qs[:300]), "form": form, "status": status,
        "choices": _choices(a) if a else [], "statuses": Incident.Status.choices,
        "periods": list(a.periods.order_by("position")) if a else []})


@login_required
@require_POST
def incident_review(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    if not scope.office:
        raise PermissionDenied
    inc = get_object_or_404(for_org(Incident.objects.select_related("assessment"), scope, "assessment__organisation"),
                            pk=pk)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        try:
            incident_decide(actor=request.user, scope=scope, incident=inc, approve=form.cleaned_data["approve"],
                            reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"])
            messages.success(request, "已批准，已计入得分" if form.cleaned_data["approve"] else "已驳回")
        except ServiceError as e:
            messages.error(request, e.message)
    return redirect(f"{request.META.get('HTTP_REFERER') or '/ledger/incidents/'}")
