"""Budget performance pages of one project (预算项目): the list, a project's page with its
ex-ante assessment, target table, monitoring and evaluations, and the form of each step. Reads go
through the selectors, each write through one service call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixiao.budget import forms as f
from jixiao.budget import selectors as sel
from jixiao.budget.models import Indicator, Project
from jixiao.budget.services import (
    IndicatorInput,
    ProjectInput,
    criteria_of,
    evaluation_external,
    evaluation_recheck,
    evaluation_self,
    exante_save,
    monitoring_save,
    progress_save,
    project_mark,
    project_save,
    targets_review,
    targets_save,
)
from jixiao.budget.services.common import unit_side
from jixiao.core import clock
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.core.refusals import form_refusals, message_refusals
from jixiao.org.scoping import Scope, scope_of

BLANK_ROWS = 3


def member_scope(request: HttpRequest) -> Scope:
    """Anyone with a role in the organisation (the outsider has none)."""
    scope = scope_of(request)
    if scope.organisation_id is None:
        raise PermissionDenied("您在本系统中没有任何角色")
    return scope


def year_of(request: HttpRequest, scope: Scope) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    years = sel.years_of(scope)
    return years[0] if years else clock.today().year


def may_edit_unit(scope: Scope, p: Project) -> bool:
    return scope.office or unit_side(scope, p.unit_id)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """预算项目: the year's projects the user sees, filtered by unit, state or text."""
    scope = member_scope(request)
    year = year_of(request, scope)
    qs = sel.projects_visible(scope, year).select_related("exante").order_by("unit__position", "code")
    q, state = request.GET.get("q", "").strip(), request.GET.get("state", "")
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(unit__name__icontains=q))
    if state in Project.State.values:
        qs = qs.filter(state=state)
    return render(request, "budget/index.html", {
        "projects": list(qs[:500]), "year": year, "years": sel.years_of(scope), "q": q, "state": state,
        "states": Project.State.choices, "may_create": bool(sel.units_for_entry(scope)), "nav": "projects"})


def _project_input(form: f.ProjectForm, units: dict[str, Any], year: int) -> ProjectInput:
    d = form.cleaned_data
    return ProjectInput(code=d["code"], name=d["name"], unit=units[d["unit"]], year=year, amount=d["amount"],
                        start=d["start"], end=d["end"], kind=d["kind"], source=d["source"], sector=d["sector"],
                        section=d["section"], key=d["key"])


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    scope = member_scope(request)
    units = {str(u.pk): u for u in sel.units_for_entry(scope)}
    if not units:
        raise PermissionDenied("只有预算单位或财政部门可以编报项目")
    year = year_of(request, scope)
    form = f.ProjectForm(request.POST or None, units=[(k, u.name) for k, u in units.items()],
                         initial={"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)})
    if request.method == "POST" and form.is_valid():
        with form_refusals(form) as outcome:
            y = form.cleaned_data["start"].year
            p = project_save(actor=request.user, scope=scope, data=_project_input(form, units, y))
        if outcome.ok:
            messages.success(request, f"已新建项目 {p.code}，请填报绩效目标")
            return redirect("budget:targets", pk=p.pk)
    return render(request, "budget/project_form.html", {"form": form, "year": year, "nav": "projects"})


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = member_scope(request)
    p = sel.project_get(scope, pk)
    if not may_edit_unit(scope, p):
        raise PermissionDenied("只有预算单位本单位或财政部门可以修改项目")
    units = {str(u.pk): u for u in sel.units_for_entry(scope)}
    initial = {k: getattr(p, k) for k in ("code", "name", "kind", "source", "amount", "sector", "section", "start",
                                          "end", "key")} | {"unit": str(p.unit_id)}
    form = f.ProjectForm(request.POST or None, units=[(k, u.name) for k, u in units.items()], initial=initial)
    if request.method == "POST" and form.is_valid():
        with form_refusals(form) as outcome:
            project_save(actor=request.user, scope=scope, data=_project_input(form, units, p.year), project=p)
        if outcome.ok:
            return redirect("budget:project", pk=p.pk)
    return render(request, "budget/project_form.html", {"form": form, "p": p, "nav": "projects"})


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's page: its data, ex-ante assessment, target table with progress, monitoring
    history and evaluations, with the steps the user may take."""
    scope = member_scope(request)
    p = sel.project_get(scope, pk)
    inds = sel.project_indicators(p)
    evals = sel.evaluations_of(p)
    at = clock.today() if clock.today().year == p.year else dt.date(p.year, 12, 31)
    rows = {r.project.pk: r for r in sel.board(scope, p.year, at, unit_id=p.unit_id)} if p.budget_entered else {}
    row = rows.get(p.pk)
    unit = may_edit_unit(scope, p)
    exante = getattr(p, "exante", None)
    return render(request, "budget/project.html", {
        "p": p, "inds": inds, "evals": evals, "final": sel.final_of(evals), "row": row, "at": at,
        "exante": exante, "criteria": criteria_of(p.organisation_id), "history": sel.project_history(p),
        "may_targets": unit and p.state in Project.EDITABLE,
        "may_progress": unit and p.state == Project.State.APPROVED,
        "may_review": scope.office and p.state == Project.State.SUBMITTED,
        "may_exante": scope.office and not p.budget_entered,
        "may_evaluate": unit and p.state == Project.State.APPROVED and "recheck" not in evals,
        "finance": scope.office, "unit": unit,
        "review_form": f.ReviewForm(), "mark_form": f.MarkForm(initial={"mark": p.mark, "note": p.mark_note}),
        "monitoring_form": f.MonitoringForm(initial={"month": at.strftime("%Y-%m")}),
        "external_form": f.ExternalForm(), "nav": "projects"})


def _table_context(p: Project, rows: list[dict[str, Any]], request: HttpRequest) -> dict[str, Any]:
    q = request.GET.get("q", "").strip()
    lib = sel.library_search(p.organisation_id, q, sector=p.sector)
    return {"p": p, "rows": rows, "count": len(rows), "q": q, "library": list(lib[:30]),
            "parts": Indicator.Part.choices, "subs": Indicator.Sub.choices, "standards": Indicator.Standard.choices,
            "directions": Indicator.Direction.choices, "nav": "projects"}


def _as_rows(inputs: list[IndicatorInput]) -> list[dict[str, Any]]:
    return [{"part": r.part, "sub": r.sub, "name": r.name, "standard": r.standard,
             "target": "" if r.target is None else r.target, "unit": r.unit, "direction": r.direction} for r in inputs]


def _plain(v: Any) -> str:
    """A number as typed back into a cell: no trailing zeros, no exponent."""
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    return "" if v is None else str(v)


def _blank() -> dict[str, Any]:
    return {"part": "", "sub": "", "name": "", "standard": "", "target": "", "unit": "", "direction": "higher"}


@login_required
def targets(request: HttpRequest, pk: int) -> HttpResponse:
    """绩效目标表: the unit fills its indicator table (a blank row can be filled from the indicator
    library by ``?add=<id>``), saves it as a draft or submits it to the finance bureau."""
    scope = member_scope(request)
    p = sel.project_get(scope, pk)
    if not may_edit_unit(scope, p):
        raise PermissionDenied("只有预算单位本单位或财政部门可以填报绩效目标")
    errors: dict[str, str] = {}
    top = ""
    if request.method == "POST":
        count = min(int(request.POST.get("count", "0") or 0), 60)
        inputs, errors = f.table_rows(request.POST, count)
        rows = _as_rows(inputs)
        if not errors:
            submit = request.POST.get("action") == "submit"
            try:
                targets_save(actor=request.user, scope=scope, project=p, rows=inputs, submit=submit)
            except NotAllowed:
                raise
            except ServiceError as e:
                errors[e.field or "rows"] = e.message
                top = e.message
            else:
                messages.success(request, "绩效目标已报送财政部门审核" if submit else "绩效目标已保存")
                return redirect("budget:project", pk=p.pk)
        top = top or "；".join(errors.values())
    else:
        rows = [{"part": i.part, "sub": i.sub, "name": i.name, "standard": i.standard, "target": i.target,
                 "unit": i.unit, "direction": i.direction} for i in sel.project_indicators(p)]
        add = request.GET.get("add", "")
        if add.isdigit():
            li = sel.library_item(p.organisation_id, int(add))
            if li is not None:
                rows.append({"part": li.part, "sub": li.sub, "name": li.name, "standard": li.standard, "target": "",
                             "unit": li.unit, "direction": li.direction})
    rows = rows + [_blank() for _ in range(BLANK_ROWS)]
    for n, r in enumerate(rows):
        r["target"] = _plain(r["target"])
        r["n"] = n
        r["errors"] = [errors[k] for k in (f"{x}_{n}" for x in f.ROW_FIELDS) if k in errors]
    ctx = _table_context(p, rows, request) | {"error": top, "editable": p.state in Project.EDITABLE}
    return render(request, "budget/targets.html", ctx, status=400 if top else 200)


@login_required
def exante(request: HttpRequest, pk: int) -> HttpResponse:
    """事前绩效评估: the finance bureau scores the checklist and gives its opinion."""
    scope = member_scope(request)
    p = sel.project_get(scope, pk)
    if not scope.office:
        raise PermissionDenied("只有财政部门可以开展事前绩效评估")
    criteria = criteria_of(p.organisation_id)
    old = getattr(p, "exante", None)
    initial: dict[str, Any] = {}
    if old is not None:
        initial = {"opinion": old.opinion, "comment": old.comment, "reviewers": old.reviewers} | {
            f"c_{k}": v for k, v in old.scores.items()}
    form = f.ExAnteForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with form_refusals(form) as outcome:
            exante_save(actor=request.user, scope=scope, project=p, opinion=d["opinion"], comment=d["comment"],
                        reviewers=d["reviewers"], scores={c.code: d[f"c_{c.code}"] for c in criteria})
        if outcome.ok:
            messages.success(request, "事前绩效评估已保存")
            return redirect("budget:project", pk=p.pk)
    return render(request, "budget/exante.html", {"p": p, "form": form, "nav": "projects"})


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    scope = member_scope(request)
    p = sel.project_get(scope, pk)
    form = f.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择审核结论")
        return redirect("budget:project", pk=p.pk)
    with message_refusals(request) as outcome:
        targets_review(actor=request.user, scope=scope, project=p, approve=form.cleaned_data["decision"] == "approve",
                       comment=form.cleaned_data["comment"])
    if outcome.ok:
        messages.success(request, "已批复绩效目标并录入预算" if form.cleaned_data["decision"] == "approve"
                         else "已退回预算单位修改")
    return redirect("budget:project", pk=p.pk)


@login_required
@require_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """报送完成进度: the value reached so far of each indicator."""
    scope = member_scope(request)
    p = sel.project_get(scope, pk)
    values, bad = f.values_posted(request.POST, "p_", [i.pk for i in sel.project_indicators(p)])
    if bad:
        messages.error(request, "完成值须为数字：" + "；".join(bad.values()))
        return redirect("budget:project", pk=p.pk)
    with message_refusals(request) as outcome:
        progress_save(actor=request.user, scope=scope, project=p, values=values)
    if outcome.ok:
        messages.success(request, "目标完成进度已报送")
    return redirect("budget:project", pk=p.pk)


@login_required
@require_POST
def monitoring(request: HttpRequest, pk: int) -> HttpResponse:
    """偏差原因和纠偏措施 at a checkpoint, with the light then."""
    scope = member_scope(request)
    p = sel.project_get(scope, pk)
    form = f.MonitoringForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("budget:project", pk=p.pk)
    month = form.cleaned_data["month"]
    rows = {r.project.pk: r for r in sel.board(scope, p.year, month, unit_id=p.unit_id)}
    light = rows[p.pk].light if p.pk in rows else ""
    with message_refusals(request) as outcome:
        monitoring_save(actor=request.user, scope=scope, project=p, month=month, light=light,
                        reason=form.cleaned_data["reason"], measures=form.cleaned_data["measures"])
    if outcome.ok:
        messages.success(request, "监控情况已保存")
    return redirect("budget:project", pk=p.pk)


@login_required
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    scope = member_scope(request)
    p = sel.project_get(scope, pk)
    form = f.MarkForm(request.POST)
    form.is_valid()
    with message_refusals(request) as outcome:
        project_mark(actor=request.user, scope=scope, project=p, mark=form.cleaned_data.get("mark", ""),
                     note=form.cleaned_data.get("note", ""))
    if outcome.ok:
        messages.success(request, "处理意见已保存")
    return redirect("budget:project", pk=p.pk)


def _evaluate(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    scope = member_scope(request)
    p = sel.project_get(scope, pk)
    if kind == "self" and not may_edit_unit(scope, p):
        raise PermissionDenied("只有预算单位本单位可以开展绩效自评")
    if kind == "recheck" and not scope.office:
        raise PermissionDenied("只有财政部门可以复核绩效自评")
    inds = sel.project_indicators(p)
    evals = sel.evaluations_of(p)
    errors: dict[str, str] = {}
    error = ""
    posted: dict[int, Any] = {}
    if request.method == "POST":
        values, errors = f.values_posted(request.POST, "a_", [i.pk for i in inds])
        posted = values
        if not errors:
            try:
                if kind == "self":
                    evaluation_self(actor=request.user, scope=scope, project=p, actuals=values)
                else:
                    evaluation_recheck(actor=request.user, scope=scope, project=p, actuals=values,
                                       report=request.POST.get("report", ""))
            except NotAllowed:
                raise
            except ServiceError as e:
                errors[e.field or "actuals"] = e.message
            else:
                messages.success(request, "绩效自评已完成" if kind == "self" else "复核结果已保存")
                return redirect("budget:project", pk=p.pk)
        error = "；".join(errors.values())
    mine = evals.get(kind) or evals.get("self")
    prior = {int(k): v for k, v in (mine.actuals if mine else {}).items()}
    rows = [{"i": i, "value": posted.get(i.pk, prior.get(i.pk, i.actual if i.actual is not None else i.progress)),
             "error": errors.get(f"a_{i.pk}", "")} for i in inds]
    return render(request, "budget/evaluate.html", {"p": p, "rows": rows, "kind": kind, "error": error,
                                                    "evals": evals, "nav": "projects"},
                  status=400 if error else 200)


@login_required
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """绩效自评: the unit's year-end actuals; the engine scores them."""
    return _evaluate(request, pk, "self")


@login_required
def recheck(request: HttpRequest, pk: int) -> HttpResponse:
    """财政复核: the finance bureau's verified actuals, re-scored."""
    return _evaluate(request, pk, "recheck")


@login_required
@require_POST
def external(request: HttpRequest, pk: int) -> HttpResponse:
    scope = member_scope(request)
    p = sel.project_get(scope, pk)
    form = f.ExternalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("budget:project", pk=p.pk)
    d = form.cleaned_data
    with message_refusals(request) as outcome:
        evaluation_external(actor=request.user, scope=scope, project=p, score=d["score"], evaluator=d["evaluator"],
                            report=d["report"])
    if outcome.ok:
        messages.success(request, "第三方评价已登记")
    return redirect("budget:project", pk=p.pk)
