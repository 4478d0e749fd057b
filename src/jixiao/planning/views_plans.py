"""Work plan pages (工作计划): the list, a new plan or a revision of one (items by category with
planned points), a plan's page with approval, completion report and confirmation, and its history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.core.refusals import form_refusals
from jixiao.org.scoping import scope_of
from jixiao.planning import forms as f
from jixiao.planning import selectors as sel
from jixiao.planning.models import WorkPlan
from jixiao.planning.services.common import unit_side
from jixiao.planning.services.plans import PlanItemInput, approver, plan_decide, plan_report, plan_save
from jixiao.planning.views_common import (
    assessment_or_404,
    member_scope,
    object_or_404,
    period_or_404,
    plan_or_404,
)

ROWS = 8
ItemFormSet = forms.formset_factory(f.PlanItemForm, extra=0)


class PlanHeadForm(forms.Form):
    object = forms.ChoiceField(label="考核对象")
    period = forms.ChoiceField(label="计划所属考核期")


def _formset(data: Any = None, items: list[Any] | None = None) -> Any:
    initial = [{"category": i.category, "title": i.title, "planned": i.planned} for i in (items or [])]
    initial += [{} for _ in range(max(ROWS - len(initial), 2))]
    fs = ItemFormSet(data, initial=initial, prefix="items")
    for form in fs.forms:
        form.empty_permitted = True
        form.use_required_attribute = False
        form.fields["title"].required = False
        form.fields["category"].required = False
    return fs


def _items(fs: Any) -> list[PlanItemInput]:
    return [PlanItemInput(category=form.cleaned_data.get("category") or "",
                          title=form.cleaned_data.get("title") or "", planned=form.cleaned_data.get("planned"))
            for form in fs.forms]


def _place(fs: Any, head: forms.Form, e: ServiceError) -> None:
    """A refusal of one item goes to its row's field (``planned_2`` → row 2's 计划分值)."""
    name, _, n = (e.field or "").rpartition("_")
    if name in ("planned", "title", "category") and n.isdigit() and int(n) < len(fs.forms):
        fs.forms[int(n)].add_error(name, e.message)
    else:
        head.add_error(e.field if e.field in head.fields else None, e.message)


@login_required
def plans(request: HttpRequest, code: str) -> HttpResponse:
    """工作计划: the plans the user sees."""
    member_scope(request)
    scope = scope_of(request)
    assessment = assessment_or_404(request, code)
    rows = list(sel.plans_for(scope=scope, assessment=assessment))
    return render(request, "planning/plans.html", {
        "assessment": assessment, "rows": rows, "nav": "plans",
        "can_plan": bool(sel.objects_for_unit(scope=scope, assessment=assessment)) and not scope.office})


def _save(request: HttpRequest, assessment: Any, plan: WorkPlan | None) -> HttpResponse:
    scope = scope_of(request)
    objs = [plan.object] if plan else [o for o in sel.objects_for_unit(scope=scope, assessment=assessment)
                                         if unit_side(scope, o)]
    if not objs:
        raise PermissionDenied("只有科室或个人本人可以编制工作计划")
    periods = [plan.period] if plan else list(assessment.periods.filter(status="open").order_by("position"))
    head = PlanHeadForm(request.POST or None, initial={"object": plan.object.code if plan else request.GET.get(
        "object", ""), "period": plan.period.code if plan else ""})
    head.fields["object"].choices = [(o.code, o.name) for o in objs]  # type: ignore[attr-defined]
    head.fields["period"].choices = [(p.code, p.name) for p in periods]  # type: ignore[attr-defined]
    fs = _formset(request.POST or None, list(plan.items.all()) if plan else None)
    status = 200
    if request.method == "POST":
        status = 400
        if head.is_valid() and fs.is_valid():
            obj = object_or_404(request, assessment, head.cleaned_data["object"])
            period = period_or_404(assessment, head.cleaned_data["period"])
            try:
                p = plan_save(actor=request.user, scope=scope, period=period, obj=obj, items=_items(fs),
                              submit=request.POST.get("submit") == "1", plan=plan)
            except NotAllowed:
                raise
            except ServiceError as e:
                _place(fs, head, e)
            else:
                messages.success(request, "工作计划已报送，等待审批" if p.state == "submitted"
                                 else "工作计划已保存（草稿）")
                return redirect("planning:plan", pk=p.pk)
    return render(request, "planning/plan_form.html", {"assessment": assessment, "head": head, "formset": fs,
                                                       "plan": plan, "nav": "plans"}, status=status)


@login_required
def plan_new(request: HttpRequest, code: str) -> HttpResponse:
    """编制工作计划."""
    return _save(request, assessment_or_404(request, code), None)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改工作计划 (a draft or a returned one)."""
    p = plan_or_404(request, pk)
    if not unit_side(scope_of(request), p.object):
        raise PermissionDenied("只有科室或个人本人可以修改工作计划")
    return _save(request, p.assessment, p)


def _report_form(p: WorkPlan, items: list[Any], data: Any = None) -> forms.Form:
    fields: dict[str, forms.Field] = {}
    for it in items:
        fields[f"actual_{it.pk}"] = forms.DecimalField(label=f"{it.title}（计划 {it.planned.normalize():f} 分）",
                                                       required=False, max_digits=8, decimal_places=2,
                                                       error_messages={"invalid": "完成分值须为数字"})
        fields[f"note_{it.pk}"] = forms.CharField(label="完成情况", required=False, max_length=300)
    initial = {**{f"actual_{i.pk}": i.actual for i in items}, **{f"note_{i.pk}": i.note for i in items}}
    return type("PlanReportForm", (forms.Form,), fields)(data, initial=initial)  # type: ignore[no-any-return]


def _detail(request: HttpRequest, p: WorkPlan, *, decide: Any = None, report: Any = None) -> HttpResponse:
    scope = scope_of(request)
    items = list(p.items.all())
    rows = []
    rf = report or _report_form(p, items)
    for it in items:
        rows.append((it, rf[f"actual_{it.pk}"], rf[f"note_{it.pk}"]))
    planned = sum((i.planned for i in items), Decimal(0))
    actual = sum((i.actual or Decimal(0) for i in items), Decimal(0))
    return render(request, "planning/plan.html", {
        "p": p, "assessment": p.assessment, "rows": rows, "report_form": rf, "steps": sel.steps_of(plan=p),
        "planned": planned, "actual": actual, "nav": "plans",
        "may_edit": p.state in ("draft", "returned") and unit_side(scope, p.object),
        "may_decide": p.state in ("submitted", "reported") and approver(scope, p.object),
        "may_report": p.state == "approved" and unit_side(scope, p.object),
        "decide_form": decide or f.PlanDecideForm()}, status=400 if (decide or report) else 200)


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """一份工作计划."""
    return _detail(request, plan_or_404(request, pk))


@login_required
@require_POST
def plan_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """审批计划 / 确认完成情况."""
    p = plan_or_404(request, pk)
    form = f.PlanDecideForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "pass"
        with form_refusals(form) as outcome:
            p2 = plan_decide(actor=request.user, scope=scope_of(request), plan=p, approve=approve,
                             comment=form.cleaned_data["comment"])
        if outcome.ok:
            messages.success(request, {"approved": "计划已批准", "confirmed": "完成情况已确认，得分已更新",
                                       "returned": "计划已退回"}.get(p2.state, "已退回"))
            return redirect("planning:plan", pk=p.pk)
    return _detail(request, p, decide=form)


@login_required
@require_POST
def plan_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """报告完成情况."""
    p = plan_or_404(request, pk)
    items = list(p.items.all())
    form = _report_form(p, items, request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        with form_refusals(form) as outcome:
            plan_report(actor=request.user, scope=scope_of(request), plan=p,
                        actuals={i.pk: (cd[f"actual_{i.pk}"], cd[f"note_{i.pk}"]) for i in items})
        if outcome.ok:
            messages.success(request, "完成情况已报告，等待负责人确认")
            return redirect("planning:plan", pk=p.pk)
    return _detail(request, p, report=form)
