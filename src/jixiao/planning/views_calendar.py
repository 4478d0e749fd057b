"""The reporting calendar pages (报送日历, office): each period's due dates, the recording rates with
late units marked, and 「立即运行」 of the day's reminders and lateness deductions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jixiao.core import clock
from jixiao.core.refusals import form_refusals
from jixiao.planning import forms as f
from jixiao.planning import selectors as sel
from jixiao.planning.services.calendar import calendar_run
from jixiao.planning.services.settings import calendar_save
from jixiao.planning.views_common import assessment_or_404, office_scope, period_or_404


def _page(request: HttpRequest, code: str, bad: tuple[int, f.CalendarForm] | None = None) -> HttpResponse:
    assessment = assessment_or_404(request, code)
    periods = list(assessment.periods.order_by("position"))
    cals = sel.calendars_of(assessment)
    rows = []
    for p in periods:
        c = cals.get(p.pk)
        form = bad[1] if bad and bad[0] == p.pk else f.CalendarForm(
            initial={"report_due": c.report_due, "self_due": c.self_due, "review_due": c.review_due} if c else {},
            prefix=p.code)
        rows.append({"period": p, "form": form})
    chosen = request.GET.get("period") or next((p.code for p in periods if p.pk in cals), periods[0].code)
    period = period_or_404(assessment, chosen)
    today = clock.today()
    return render(request, "planning/calendar.html", {
        "assessment": assessment, "rows": rows, "period": period, "today": today,
        "rates": sel.rates_with_lateness(period=period, today=today), "calendar": cals.get(period.pk),
        "settings": sel.settings_get(assessment), "nav": "calendar"}, status=400 if bad else 200)


@login_required
def calendar(request: HttpRequest, code: str) -> HttpResponse:
    """报送日历."""
    office_scope(request)
    return _page(request, code)


@login_required
@require_POST
def calendar_period(request: HttpRequest, code: str, period: str) -> HttpResponse:
    """One period's due dates."""
    scope = office_scope(request)
    assessment = assessment_or_404(request, code)
    p = period_or_404(assessment, period)
    form = f.CalendarForm(request.POST, prefix=p.code)
    if form.is_valid():
        cd = form.cleaned_data
        with form_refusals(form) as outcome:
            calendar_save(actor=request.user, scope=scope, period=p, report_due=cd["report_due"],
                          self_due=cd["self_due"], review_due=cd["review_due"])
        if outcome.ok:
            messages.success(request, f"{p.name}的报送日历已保存")
            return redirect(reverse("planning:calendar", kwargs={"code": code}) + f"?period={p.code}")
    return _page(request, code, bad=(p.pk, form))


@login_required
@require_POST
def calendar_run_view(request: HttpRequest, code: str) -> HttpResponse:
    """「立即运行」: today's reminders and deductions of this organisation."""
    scope = office_scope(request)
    assessment = assessment_or_404(request, code)
    s = calendar_run(actor=request.user, organisation_id=scope.organisation_id)
    messages.success(request, f"截止前提醒 {s.reminded} 个单位，逾期催报 {s.chased} 个单位，逾期扣分 {s.deducted} 项")
    return redirect("planning:calendar", code=assessment.code)
