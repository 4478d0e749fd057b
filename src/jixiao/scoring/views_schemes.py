"""The scheme pages that score: the what-if preview of a version over an assessment's ledger, and
switching an assessment to another version (with its recompute). They live with scoring so that
schemes never imports scoring; their URLs stay under /schemes/ (``jixiao.scoring.urls_schemes``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.refusals import message_refusals
from jixiao.org.scoping import scope_of
from jixiao.schemes.forms import SwitchForm
from jixiao.schemes.models import Period
from jixiao.schemes.selectors import assessments_of_scheme
from jixiao.schemes.views import office_only, version_get
from jixiao.scoring.services import assessment_version_apply
from jixiao.scoring.whatif import whatif_compare


@office_only
@require_POST
def switch(request: HttpRequest, pk: int) -> HttpResponse:
    v = version_get(request, pk)
    form = SwitchForm(request.POST, scheme=v.scheme)
    if not form.is_valid():
        messages.error(request, _("请选择要更换方案版本的考核"))
        return redirect("schemes:version", pk=v.pk)
    a = form.cleaned_data["assessment"]
    with message_refusals(request) as outcome:
        done = assessment_version_apply(actor=request.user, assessment=a, version=v)
    if outcome.ok:
        messages.success(request, _("考核 %(a)s 已改用 v%(n)d，已重算 %(k)d 个对象的结果") % {
            "a": a.name, "n": v.number, "k": done.objects})
    return redirect("schemes:version", pk=v.pk)


@office_only
@require_GET
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    v = version_get(request, pk)
    assessments = list(assessments_of_scheme(scope=scope_of(request), scheme=v.scheme))
    code = request.GET.get("assessment") or next((a.code for a in assessments if a.version_id != v.pk), "")
    chosen = next((a for a in assessments if a.code == code), None)
    if code and chosen is None:
        messages.error(request, _("考核 %(c)s 不使用方案 %(s)s，不能比较") % {"c": code, "s": v.scheme.name})
    result = whatif_compare(assessment=chosen, version=v) if chosen is not None else None
    closed = chosen is not None and chosen.periods.filter(status=Period.Status.CLOSED).exists()
    return render(request, "schemes/whatif.html", {"v": v, "assessments": assessments, "chosen": chosen,
                                                   "w": result, "closed": closed})
