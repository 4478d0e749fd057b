"""Self-assessment pages (自查自评): the overview of self-scores beside verified scores with the gaps
highlighted, and an object's page where the unit scores itself and writes its report (staff:
工作纪实/述职)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jixiao.core import clock
from jixiao.core.refusals import form_refusals
from jixiao.org.scoping import scope_of
from jixiao.planning import forms as f
from jixiao.planning import selectors as sel
from jixiao.planning.selectors import CompareRow
from jixiao.planning.services.common import unit_side
from jixiao.planning.services.selfcheck import SelfScoreInput, self_report_save, self_scores_save
from jixiao.planning.views_common import assessment_or_404, member_scope, object_or_404, period_or_404
from jixiao.schemes.models import Assessment, Period


def _period(assessment: Assessment, code: str | None) -> Period:
    if code:
        return period_or_404(assessment, code)
    periods = list(assessment.periods.order_by("position"))
    return next((p for p in periods if p.is_open), periods[-1])


@login_required
def selfcheck(request: HttpRequest, code: str) -> HttpResponse:
    """自查自评 overview: per object, self-scores and verified scores, the gaps, the report's date."""
    member_scope(request)
    scope = scope_of(request)
    assessment = assessment_or_404(request, code)
    period = _period(assessment, request.GET.get("period"))
    objects = sel.objects_seen(scope=scope, assessment=assessment)
    compare = sel.self_compare(period=period, objects=objects)
    reports = sel.self_reports_of(period=period, objects=objects)
    cal = sel.calendar_of(period)
    today = clock.today()
    rows = []
    for o in objects:
        cr = compare.get(o.pk, [])
        r = reports.get(o.pk)
        rows.append({"object": o, "self": sum((float(x.self_score) for x in cr if x.self_score is not None), 0.0),
                     "verified": sum((x.verified for x in cr if x.verified is not None), 0.0),
                     "scored": sum(1 for x in cr if x.self_score is not None), "n": len(cr),
                     "gaps": sum(1 for x in cr if x.flagged), "report": r,
                     "late": _late(cal.self_due if cal else None, r, today)})
    return render(request, "planning/selfcheck.html", {
        "assessment": assessment, "period": period, "periods": list(assessment.periods.order_by("position")),
        "rows": rows, "calendar": cal, "nav": "self"})


def _late(due: dt.date | None, report: Any, today: dt.date) -> bool:
    """Past the self-assessment due date: submitted after it, or still missing after it."""
    if due is None:
        return False
    return report.submitted_on > due if report is not None else today > due


def _scores_form(rows: list[CompareRow], data: Any = None) -> forms.Form:
    fields: dict[str, forms.Field] = {}
    for r in rows:
        fields[f"score_{r.indicator}"] = forms.DecimalField(
            label=f"{r.name}（{r.points:g}分）", required=False, max_digits=10, decimal_places=2,
            error_messages={"invalid": "自评分须为数字", "max_decimal_places": "自评分最多两位小数"})
        fields[f"note_{r.indicator}"] = forms.CharField(label="说明", required=False, max_length=300)
    form_class = type("SelfScoresForm", (forms.Form,), fields)
    initial = {**{f"score_{r.indicator}": r.self_score for r in rows}, **{f"note_{r.indicator}": r.note for r in rows}}
    return form_class(data, initial=initial)  # type: ignore[no-any-return]


@login_required
def self_object(request: HttpRequest, code: str, period: str, obj: str) -> HttpResponse:
    """一个对象的自查自评: the unit scores and reports; everyone who sees it compares."""
    scope = scope_of(request)
    assessment = assessment_or_404(request, code)
    p = period_or_404(assessment, period)
    o = object_or_404(request, assessment, obj)
    rows = sel.self_compare(period=p, objects=[o])[o.pk]
    report = sel.self_report_get(period=p, obj=o)
    scores_form = _scores_form(rows)
    report_form = f.SelfReportForm(initial={"text": report.text if report else ""})
    mine = unit_side(scope, o)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "report":
            report_form = f.SelfReportForm(request.POST)
            if report_form.is_valid():
                with form_refusals(report_form) as outcome:
                    self_report_save(actor=request.user, scope=scope, period=p, obj=o,
                                     text=report_form.cleaned_data["text"])
                if outcome.ok:
                    messages.success(request, "报告已保存")
                    return redirect("planning:self_object", code=code, period=period, obj=obj)
        else:
            scores_form = _scores_form(rows, request.POST)
            if scores_form.is_valid():
                cd = scores_form.cleaned_data
                with form_refusals(scores_form) as outcome:
                    self_scores_save(actor=request.user, scope=scope, period=p, obj=o, scores=[
                        SelfScoreInput(r.indicator, cd[f"score_{r.indicator}"], cd[f"note_{r.indicator}"])
                        for r in rows])
                if outcome.ok:
                    messages.success(request, "自评分已保存")
                    return redirect("planning:self_object", code=code, period=period, obj=obj)
        status = 400
    person = o.person_id is not None
    return render(request, "planning/self_object.html", {
        "assessment": assessment, "period": p, "object": o, "rows": rows, "report": report, "mine": mine,
        "scores_form": scores_form, "report_form": report_form, "calendar": sel.calendar_of(p), "nav": "self",
        "report_label": "工作纪实 / 述职" if person else "自查自评报告",
        "score_fields": [(r, scores_form[f"score_{r.indicator}"], scores_form[f"note_{r.indicator}"]) for r in rows]},
        status=status)
