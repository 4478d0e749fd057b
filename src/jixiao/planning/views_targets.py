"""Target negotiation pages (目标申报与磋商): the list, a proposal's page with its history and the
steps the user may take, the forms of each step, the coverage report and the settings."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jixiao.core.refusals import form_refusals, message_refusals
from jixiao.org.scoping import scope_of
from jixiao.planning import forms as f
from jixiao.planning import selectors as sel
from jixiao.planning.models import TargetProposal
from jixiao.planning.services.common import in_charge, unit_side
from jixiao.planning.services.proposals import (
    ProposalInput,
    higher_target_save,
    negotiation_record,
    proposal_approve,
    proposal_review,
    proposal_save,
    proposals_submit,
)
from jixiao.planning.services.settings import settings_save
from jixiao.planning.views_common import (
    assessment_or_404,
    member_scope,
    object_or_404,
    office_scope,
    period_or_404,
    proposal_or_404,
)

S = TargetProposal.State


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """目标与计划: the organisation's assessments with their parts."""
    scope = scope_of(request)
    return render(request, "planning/index.html", {"assessments": list(sel.assessments_for(scope=scope)),
                                                   "todos": sel.todos_for(scope=scope), "nav": "index"})


@login_required
def targets(request: HttpRequest, code: str) -> HttpResponse:
    """目标申报: the proposals the user sees, with what he may do next."""
    member_scope(request)
    scope = scope_of(request)
    assessment = assessment_or_404(request, code)
    state = request.GET.get("state", "")
    if state not in S.values:
        state = ""
    rows = list(sel.proposals_for(scope=scope, assessment=assessment, state=state))
    names = sel.leaf_names(assessment)
    pending: dict[tuple[str, str], list[TargetProposal]] = defaultdict(list)
    for p in rows:
        if p.state in TargetProposal.EDITABLE and (unit_side(scope, p.object) or scope.office):
            pending[(p.object.code, p.period.code)].append(p)
    groups = [{"object": ps[0].object, "period": ps[0].period, "n": len(ps)} for ps in pending.values()]
    return render(request, "planning/targets.html", {
        "assessment": assessment, "rows": rows, "names": names, "state": state, "states": S.choices,
        "can_propose": scope.office or bool(sel.objects_for_unit(scope=scope, assessment=assessment)),
        "submit_groups": groups, "settings": sel.settings_get(assessment), "nav": "targets"})


def _choices(request: HttpRequest, assessment: Any) -> tuple[list[tuple[str, str]], ...]:
    scope = scope_of(request)
    objs = sel.objects_for_unit(scope=scope, assessment=assessment)
    if not objs:
        raise PermissionDenied("只有被考核单位（及绩效办）可以申报目标")
    periods = [(p.code, p.name) for p in assessment.periods.filter(status="open").order_by("position")]
    seen: dict[str, str] = {}
    for o in objs:
        for lf in sel.target_leaves(assessment=assessment, obj=o):
            seen.setdefault(lf.code, lf.name)
    return [(o.code, o.name) for o in objs], periods, list(seen.items())


def _input(cd: dict[str, Any]) -> ProposalInput:
    return ProposalInput(indicator=cd["indicator"], target=cd["target"], challenge=cd["challenge"],
                         last_actual=cd["last_actual"], description=cd["description"], reason=cd["reason"])


@login_required
def proposal_new(request: HttpRequest, code: str) -> HttpResponse:
    """新增目标申报."""
    assessment = assessment_or_404(request, code)
    objects, periods, indicators = _choices(request, assessment)
    form = f.ProposalForm(request.POST or None, objects=objects, periods=periods, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        obj = object_or_404(request, assessment, cd["object"])
        period = period_or_404(assessment, cd["period"])
        with form_refusals(form) as outcome:
            p = proposal_save(actor=request.user, scope=scope_of(request), period=period, obj=obj, data=_input(cd))
        if outcome.ok:
            messages.success(request, "目标申报已保存（草稿），确认无误后请报送")
            return redirect("planning:proposal", pk=p.pk)
    return render(request, "planning/proposal_form.html", {"assessment": assessment, "form": form,
                                                           "nav": "targets"})


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改目标申报 (a draft, or one returned by the office)."""
    p = proposal_or_404(request, pk)
    scope = scope_of(request)
    if not (unit_side(scope, p.object) or scope.office):
        raise PermissionDenied("只有申报单位可以修改目标申报")
    assessment = p.assessment
    objects = [(p.object.code, p.object.name)]
    periods = [(p.period.code, p.period.name)]
    names = sel.leaf_names(assessment)
    initial = {"object": p.object.code, "period": p.period.code, "indicator": p.indicator, "target": p.target,
               "challenge": p.challenge, "last_actual": p.last_actual, "description": p.description,
               "reason": p.reason, "version": p.version}
    form = f.ProposalForm(request.POST or None, initial=initial, objects=objects, periods=periods,
                          indicators=[(p.indicator, names.get(p.indicator, p.indicator))])
    if request.method == "POST" and form.is_valid():
        with form_refusals(form) as outcome:
            proposal_save(actor=request.user, scope=scope, period=p.period, obj=p.object,
                          data=_input(form.cleaned_data), proposal=p, expected_version=form.cleaned_data["version"])
        if outcome.ok:
            messages.success(request, "目标申报已修改，确认无误后请重新报送")
            return redirect("planning:proposal", pk=p.pk)
    return render(request, "planning/proposal_form.html", {"assessment": assessment, "form": form, "proposal": p,
                                                           "nav": "targets"})


@login_required
@require_POST
def proposals_submit_view(request: HttpRequest, code: str) -> HttpResponse:
    """报送: the unit's drafts and returned proposals of one object and period, checked against the rules."""
    assessment = assessment_or_404(request, code)
    obj = object_or_404(request, assessment, request.POST.get("object", ""))
    period = period_or_404(assessment, request.POST.get("period", ""))
    with message_refusals(request) as outcome:
        n = proposals_submit(actor=request.user, scope=scope_of(request), period=period, obj=obj)
    if outcome.ok:
        messages.success(request, f"已报送 {n} 项目标申报，等待绩效办初审")
    return redirect("planning:targets", code=assessment.code)


def _detail(request: HttpRequest, p: TargetProposal, **forms: Any) -> HttpResponse:
    scope = scope_of(request)
    names = sel.leaf_names(p.assessment)
    ctx: dict[str, Any] = {
        "p": p, "assessment": p.assessment, "indicator": names.get(p.indicator, p.indicator),
        "steps": sel.steps_of(proposal=p), "negotiation": sel.negotiation_of(p), "nav": "targets",
        "may_edit": p.state in TargetProposal.EDITABLE and (unit_side(scope, p.object) or scope.office),
        "may_review": scope.office and p.state == S.SUBMITTED,
        "may_negotiate": scope.office and p.state == S.PASSED,
        "may_approve": in_charge(scope, p.object) and p.state == S.NEGOTIATED,
        "review_form": forms.get("review_form") or f.ReviewForm(),
        "negotiation_form": forms.get("negotiation_form") or f.NegotiationForm(initial={"agreed": p.target}),
        "approve_form": forms.get("approve_form") or f.ApproveForm(),
    }
    return render(request, "planning/proposal.html", ctx, status=400 if forms else 200)


@login_required
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """一项目标申报: its figures, the negotiation, its history and the next step."""
    return _detail(request, proposal_or_404(request, pk))


@login_required
@require_POST
def proposal_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    """初审: pass or return."""
    p = proposal_or_404(request, pk)
    scope = office_scope(request)
    form = f.ReviewForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "pass"
        with form_refusals(form) as outcome:
            proposal_review(actor=request.user, scope=scope, proposal=p, approve=approve,
                            comment=form.cleaned_data["comment"])
        if outcome.ok:
            messages.success(request, "初审通过，待磋商" if approve else "已退回申报单位修改")
            return redirect("planning:proposal", pk=p.pk)
    return _detail(request, p, review_form=form)


@login_required
@require_POST
def negotiation_view(request: HttpRequest, pk: int) -> HttpResponse:
    """磋商记录."""
    p = proposal_or_404(request, pk)
    scope = office_scope(request)
    form = f.NegotiationForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        with form_refusals(form) as outcome:
            negotiation_record(actor=request.user, scope=scope, proposal=p, held_on=cd["held_on"],
                               participants=cd["participants"], agreed=cd["agreed"], why=cd["why"])
        if outcome.ok:
            messages.success(request, "磋商记录已保存，待分管领导审定")
            return redirect("planning:proposal", pk=p.pk)
    return _detail(request, p, negotiation_form=form)


@login_required
@require_POST
def proposal_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    """审定 by the leader in charge."""
    p = proposal_or_404(request, pk)
    form = f.ApproveForm(request.POST)
    if form.is_valid():
        with form_refusals(form) as outcome:
            proposal_approve(actor=request.user, scope=scope_of(request), proposal=p, note=form.cleaned_data["note"])
        if outcome.ok:
            messages.success(request, "目标已审定，并写入电子台帐")
            return redirect("planning:proposal", pk=p.pk)
    return _detail(request, p, approve_form=form)


@login_required
def coverage(request: HttpRequest, code: str) -> HttpResponse:
    """目标覆盖情况: higher-level targets no unit covers, unit targets that do not add up."""
    scope = scope_of(request)
    if not (scope.office or scope.leader_units):
        raise PermissionDenied("此页面仅供绩效办和分管领导使用")
    assessment = assessment_or_404(request, code)
    names = sel.leaf_names(assessment)
    indicators = sorted({(lf.code, lf.name) for o in sel.objects_for_unit(scope=scope, assessment=assessment)
                         for lf in sel.target_leaves(assessment=assessment, obj=o)}) if scope.office else []
    form = f.HigherTargetForm(request.POST or None, indicators=indicators)
    if request.method == "POST":
        scope = office_scope(request)
        if form.is_valid():
            cd = form.cleaned_data
            objs = {o.code: o for o in sel.objects_for_unit(scope=scope, assessment=assessment)}
            unknown = [c for c in cd["parts"] if c not in objs]
            if unknown:
                form.add_error("parts", f"考核对象 {'、'.join(unknown)} 不存在")
            else:
                with form_refusals(form) as outcome:
                    higher_target_save(actor=request.user, scope=scope, assessment=assessment,
                                       indicator=cd["indicator"], name=names.get(cd["indicator"], cd["indicator"]),
                                       total=cd["total"], split=cd["split"],
                                       parts={objs[c]: v for c, v in cd["parts"].items()})
                if outcome.ok:
                    messages.success(request, "上级下达目标已保存")
                    return redirect("planning:coverage", code=assessment.code)
    view = sel.coverage_of(scope=scope, assessment=assessment)
    return render(request, "planning/coverage.html", {"assessment": assessment, "view": view, "form": form,
                                                      "names": view.names, "nav": "coverage"})


@login_required
def settings_view(request: HttpRequest, code: str) -> HttpResponse:
    """目标与计划设置 (office)."""
    scope = office_scope(request)
    assessment = assessment_or_404(request, code)
    s = sel.settings_get(assessment)
    fields = list(f.SettingsForm.base_fields)
    form = f.SettingsForm(request.POST or None, initial={k: getattr(s, k) for k in fields})
    if request.method == "POST" and form.is_valid():
        with form_refusals(form) as outcome:
            settings_save(actor=request.user, scope=scope, assessment=assessment, data=form.cleaned_data)
        if outcome.ok:
            messages.success(request, "设置已保存")
            return redirect(reverse("planning:settings", kwargs={"code": assessment.code}))
    return render(request, "planning/settings.html", {"assessment": assessment, "form": form, "nav": "settings"})


