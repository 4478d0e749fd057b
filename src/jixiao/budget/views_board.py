"""Budget performance pages across projects: the dual-monitoring board and a unit's monitoring
report (XLSX/PDF), the Excel imports, the evaluation results with the adjustment table and the
re-check sample, disclosure, the finance bureau's cockpit, the settings and the indicator library."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixiao.budget import exports, importing
from jixiao.budget import forms as f
from jixiao.budget import selectors as sel
from jixiao.budget.rules import weighted_score
from jixiao.budget.services import (
    IndicatorInput,
    SettingsInput,
    criteria_of,
    criteria_save,
    library_save,
    settings_save,
    unit_scores_feed,
)
from jixiao.budget.services.common import settings_of
from jixiao.budget.sheets import month_end
from jixiao.budget.views import member_scope, year_of
from jixiao.core import clock
from jixiao.core.exports import attachment_header, download_name
from jixiao.core.refusals import form_refusals, message_refusals
from jixiao.org.models import Unit
from jixiao.org.scoping import Scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def finance_scope(request: HttpRequest) -> Scope:
    scope = member_scope(request)
    if not scope.office:
        raise PermissionDenied("此页面仅供财政部门（绩效办）使用")
    return scope


def at_of(request: HttpRequest, year: int) -> dt.date:
    raw = request.GET.get("at", "")
    try:
        d = dt.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        return importing.default_month(year, clock.today())
    return month_end(d)


def _unit_of(request: HttpRequest, scope: Scope) -> Unit | None:
    raw = request.GET.get("unit", "")
    if not raw.isdigit():
        return None
    u = sel.unit_in_scope(scope, int(raw))
    if u is None:
        raise Http404("没有这个单位")
    return u


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """双监控: every budget-entered project's light at the checkpoint, by unit."""
    scope = member_scope(request)
    year = year_of(request, scope)
    at = at_of(request, year)
    unit = _unit_of(request, scope)
    rows = sel.board(scope, year, at, unit_id=unit.pk if unit else None)
    light = request.GET.get("light", "")
    counts = {k: sum(1 for r in rows if r.light == k) for k in ("red", "yellow", "green", "grey")}
    if light in counts:
        rows = [r for r in rows if r.light == light]
    units = sorted({(r.project.unit.position, r.project.unit_id, r.project.unit.name) for r in rows})
    return render(request, "budget/board.html", {
        "rows": rows, "year": year, "at": at, "unit": unit, "light": light, "counts": counts,
        "units": [(pk, name) for _p, pk, name in units], "years": sel.years_of(scope), "nav": "board"})


def _report_rows(request: HttpRequest) -> tuple[Unit, int, dt.date, list[sel.BoardRow]]:
    scope = member_scope(request)
    unit = _unit_of(request, scope)
    if unit is None:
        raise Http404("请选择单位")
    year = year_of(request, scope)
    at = at_of(request, year)
    return unit, year, at, sel.board(scope, year, at, unit_id=unit.pk)


@login_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    """一个单位的绩效监控报告 (XLSX)."""
    unit, year, at, rows = _report_rows(request)
    name = download_name(f"{unit.name}{year}年绩效运行监控表（{at:%Y-%m}）", ".xlsx")
    resp = HttpResponse(exports.monitoring_xlsx(unit.name, year, at, rows), content_type=XLSX)
    resp["Content-Disposition"] = attachment_header(name, f"monitoring-{year}-{at:%Y%m}.xlsx")
    return resp


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    """一个单位的绩效监控报告 (PDF)."""
    unit, year, at, rows = _report_rows(request)
    name = download_name(f"{unit.name}{year}年绩效运行监控报告（{at:%Y-%m}）", ".pdf")
    resp = HttpResponse(exports.monitoring_pdf(unit.name, year, at, rows), content_type="application/pdf")
    resp["Content-Disposition"] = attachment_header(name, f"monitoring-{year}-{at:%Y%m}.pdf")
    return resp


def _import(request: HttpRequest, kind: str) -> HttpResponse:
    scope = finance_scope(request)
    year = year_of(request, scope)
    form = f.UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with form_refusals(form) as outcome:
            if kind == "projects":
                n = importing.projects_import_upload(actor=request.user, scope=scope, upload=upload)
            else:
                n = importing.executions_import_upload(actor=request.user, scope=scope, year=year, upload=upload)
        if outcome.ok:
            messages.success(request, f"已导入 {n} 行")
            return redirect(f"/budget/?year={year}" if kind == "projects" else f"/budget/monitoring/?year={year}")
        problems = getattr(outcome.error, "problems", [])
    return render(request, "budget/import.html", {"form": form, "kind": kind, "year": year, "problems": problems,
                                                  "nav": "import"}, status=400 if form.errors else 200)


@login_required
def import_projects(request: HttpRequest) -> HttpResponse:
    """导入预算项目 from Excel (all rows or none)."""
    return _import(request, "projects")


@login_required
def import_executions(request: HttpRequest) -> HttpResponse:
    """导入预算执行数 from Excel (all rows or none)."""
    return _import(request, "executions")


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    finance_scope(request)
    if kind not in importing.SAMPLES:
        raise Http404
    resp = HttpResponse(importing.template_of(kind), content_type=XLSX)
    label = "预算项目导入模板" if kind == "projects" else "预算执行数导入模板"
    resp["Content-Disposition"] = attachment_header(f"{label}.xlsx", f"{kind}-template.xlsx")
    return resp


@login_required
def results(request: HttpRequest) -> HttpResponse:
    """绩效评价结果与结果应用: every project's self / re-check / external scores, the gap, the final
    grade and next year's proposed control figure; the re-check sample; the units' scores."""
    scope = member_scope(request)
    year = year_of(request, scope)
    rows = sel.results(scope, year)
    seed_raw = request.GET.get("seed", "")
    seed = int(seed_raw) if seed_raw.isdigit() else year
    sample = sel.recheck_sample(scope, year, seed) if scope.office else []
    units: dict[int, list[tuple[Decimal, Decimal]]] = sel.unit_scores(rows)
    names = {r.project.unit_id: r.project.unit.name for r in rows}
    unit_rows = [(names[u], weighted_score(pairs), len(pairs)) for u, pairs in units.items()]
    s = settings_of(scope.organisation_id or 0, year)
    return render(request, "budget/results.html", {
        "rows": rows, "year": year, "years": sel.years_of(scope), "sample": sample, "seed": seed,
        "unit_rows": unit_rows, "settings": s, "finance": scope.office,
        "cut": sum((r.change for r in rows if r.change is not None), Decimal(0)),
        "grades": sel.grade_distribution(rows), "nav": "results"})


@login_required
def adjustments_xlsx(request: HttpRequest) -> HttpResponse:
    scope = member_scope(request)
    year = year_of(request, scope)
    rows = sel.results(scope, year)
    resp = HttpResponse(exports.adjustments_xlsx(year, rows), content_type=XLSX)
    resp["Content-Disposition"] = attachment_header(download_name(f"{year + 1}年预算调整建议表", ".xlsx"),
                                                    f"adjustments-{year}.xlsx")
    return resp


@login_required
@require_POST
def feed(request: HttpRequest) -> HttpResponse:
    """写入年度考核: every unit's budget-performance score into the main assessment's ledger."""
    scope = finance_scope(request)
    year = year_of(request, scope)
    with message_refusals(request) as outcome:
        n = unit_scores_feed(actor=request.user, scope=scope, organisation_id=scope.organisation_id or 0, year=year,
                             scores=sel.unit_scores(sel.results(scope, year)))
    if outcome.ok:
        messages.success(request, f"已将 {n} 个单位的预算绩效得分写入年度考核")
    return redirect(f"/budget/results/?year={year}")


@login_required
def disclosure(request: HttpRequest) -> HttpResponse:
    """公开: the targets and evaluation results of the year's approved projects, as published."""
    scope = member_scope(request)
    year = year_of(request, scope)
    rows = sel.results(scope, year)
    inds = sel.indicators_by_project([r.project for r in rows])
    return render(request, "budget/disclosure.html", {"rows": [(r, inds.get(r.project.pk, [])) for r in rows],
                                                      "year": year, "years": sel.years_of(scope),
                                                      "nav": "disclosure"})


@login_required
def cockpit(request: HttpRequest) -> HttpResponse:
    """财政驾驶舱: execution against target progress by unit, the red projects, the grades; a unit
    drills down to its projects, a project to its indicator table."""
    scope = finance_scope(request)
    year = year_of(request, scope)
    at = at_of(request, year)
    rows = sel.board(scope, year, at)
    by_unit: dict[int, dict[str, Any]] = {}
    for r in rows:
        u = by_unit.setdefault(r.project.unit_id, {"unit": r.project.unit, "budget": Decimal(0), "paid": Decimal(0),
                                                   "comp": [], "red": 0, "n": 0})
        u["budget"] += r.project.amount
        u["paid"] += r.paid or 0
        u["n"] += 1
        u["red"] += r.light == "red"
        if r.completion is not None:
            u["comp"].append(r.completion)
    units = []
    for u in sorted(by_unit.values(), key=lambda x: x["unit"].position):
        u["rate"] = float(u["paid"] / u["budget"]) if u["budget"] else None
        u["completion"] = sum(u["comp"]) / len(u["comp"]) if u["comp"] else None
        units.append(u)
    total_b = sum((r.project.amount for r in rows), Decimal(0))
    total_p = sum((r.paid or Decimal(0) for r in rows), Decimal(0))
    return render(request, "budget/cockpit.html", {
        "units": units, "red": [r for r in rows if r.light == "red"], "year": year, "at": at,
        "rate": float(total_p / total_b) if total_b else None, "total_budget": total_b, "total_paid": total_p,
        "grades": sel.grade_distribution(sel.results(scope, year)), "years": sel.years_of(scope), "nav": "cockpit"})


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    scope = finance_scope(request)
    year = year_of(request, scope)
    s = settings_of(scope.organisation_id or 0, year)
    assessments = sel.assessments_for_feed(scope)
    names = list(SettingsInput.__dataclass_fields__)
    initial = {k: getattr(s, k) for k in names if k not in ("assessment", "period")} | {
        "assessment": str(s.assessment_id or ""), "period": s.period.code if s.period else ""}
    posted = request.POST if request.method == "POST" else None
    is_criteria = posted is not None and posted.get("action") == "criteria"
    cform = f.CriteriaForm(posted if is_criteria else None, initial={"criteria": "\n".join(
        f"{c.name} {c.points.normalize():f}" for c in criteria_of(scope.organisation_id or 0))})
    form = f.SettingsForm(None if is_criteria else posted,
                          assessments=[(k, a.name) for k, a in assessments.items()], initial=initial)
    if is_criteria and cform.is_valid():
        try:
            items = cform.items()
        except ValueError as e:
            cform.add_error("criteria", str(e))
        else:
            with form_refusals(cform) as outcome:
                criteria_save(actor=request.user, scope=scope, organisation_id=scope.organisation_id or 0,
                              items=items)
            if outcome.ok:
                messages.success(request, "评估要点已保存")
                return redirect(f"/budget/settings/?year={year}")
    if posted is not None and not is_criteria and form.is_valid():
        d = form.cleaned_data
        a = assessments.get(d["assessment"])
        period = a.periods.filter(code=d["period"]).first() if a else None
        with form_refusals(form) as outcome:
            settings_save(actor=request.user, scope=scope, organisation_id=scope.organisation_id or 0, year=year,
                          data=SettingsInput(**{k: d[k] for k in names if k not in ("assessment", "period")},
                                             assessment=a, period=period))
        if outcome.ok:
            messages.success(request, "设置已保存")
            return redirect(f"/budget/settings/?year={year}")
    return render(request, "budget/settings.html", {"form": form, "cform": cform, "year": year, "nav": "settings"})


@login_required
def library(request: HttpRequest) -> HttpResponse:
    """指标库: reusable indicators by sector; the finance bureau adds to it."""
    scope = member_scope(request)
    q = request.GET.get("q", "").strip()
    qs = sel.library_search(scope.organisation_id or 0, q)
    form = f.LibraryForm(request.POST or None)
    if request.method == "POST":
        if not scope.office:
            raise PermissionDenied("只有财政部门可以维护指标库")
        if form.is_valid():
            d = form.cleaned_data
            with form_refusals(form) as outcome:
                library_save(actor=request.user, scope=scope, organisation_id=scope.organisation_id or 0,
                             sector=d["sector"], row=IndicatorInput(d["part"], d["sub"], d["name"], d["standard"],
                                                                    None, d["unit"], d["direction"]))
            if outcome.ok:
                messages.success(request, "已加入指标库")
                return redirect("budget:library")
    return render(request, "budget/library.html", {"items": list(qs[:300]), "q": q, "form": form,
                                                   "finance": scope.office, "nav": "library"})

