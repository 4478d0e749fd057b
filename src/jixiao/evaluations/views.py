"""The office's campaign pages (测评活动): list, create and edit, set-up (rater groups, who rates
whom, window links), opening and closing, token sheets, paper tallies, turnout and results.
A rated unit opens a closed campaign to see its own aggregate. Raters' pages are in
``views_rater``, the public pages in ``views_public``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jixiao.core.refusals import form_refusals, message_refusals
from jixiao.evaluations import forms, rules, selectors, services
from jixiao.evaluations.models import Campaign
from jixiao.evaluations.sheets import tokens_pdf
from jixiao.evaluations.tasks import remind_raters
from jixiao.org.scoping import Scope, scope_of
from jixiao.schemes.selectors import assessment_in_scope


def _office(scope: Scope) -> None:
    if not scope.office:
        raise PermissionDenied("测评活动由绩效办管理")


def _campaign(request: HttpRequest, pk: int) -> tuple[Scope, Campaign]:
    """An office page's campaign: 404 outside the organisation, 403 for anyone but the office."""
    scope = scope_of(request)
    campaign = selectors.campaign_for_office(scope=scope, pk=pk)
    _office(scope)
    return scope, campaign


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    campaigns = list(selectors.campaigns_of(scope=scope))
    return render(request, "evaluations/index.html", {
        "campaigns": campaigns, "mine": selectors.my_assignments(scope=scope).filter(submitted_at__isnull=True).count(),
        "assessments": list(selectors.assessments_for_campaigns(scope=scope)) if scope.office else []})


def _form(request: HttpRequest, scope: Scope, assessment: Any, data: Any = None, initial: Any = None
          ) -> forms.CampaignForm:
    objs = selectors.objects_of_assessment(scope=scope, assessment=assessment)
    return forms.CampaignForm(
        data, initial=initial,
        periods=[(p.pk, p.name) for p in selectors.periods_of_assessment(assessment)],
        indicators=selectors.rating_indicators(assessment),
        objects=[(o.pk, f"{o.name}（{o.category.name}）") for o in objs])


def _save(request: HttpRequest, scope: Scope, assessment: Any, form: forms.CampaignForm,
          campaign: Campaign | None) -> Campaign | None:
    d = form.cleaned_data
    period = selectors.periods_of_assessment(assessment).filter(pk=d["period"]).first()
    objs = list(selectors.objects_of_assessment(scope=scope, assessment=assessment).filter(pk__in=d["objects"]))
    kw: dict[str, Any] = {"name": d["name"], "indicator": d["indicator"], "feed": d["feed"], "scale": d["scale"],
                          "dimensions": d["dimensions"], "objects": objs, "opens_at": d["opens_at"],
                          "closes_at": d["closes_at"], "trim_pct": d["trim_pct"], "min_group": d["min_group"]}
    saved = None
    with form_refusals(form) as outcome:
        if campaign is None:
            if period is None:
                raise PermissionDenied
            saved = services.campaign_create(actor=request.user, scope=scope, assessment=assessment, period=period,
                                             **kw)
        else:
            saved = services.campaign_update(actor=request.user, scope=scope, campaign=campaign, **kw)
    return saved if outcome.ok else None


@login_required
def create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    _office(scope)
    assessments = list(selectors.assessments_for_campaigns(scope=scope))
    code = request.GET.get("assessment") or request.POST.get("assessment") or (
        assessments[0].code if assessments else "")
    if not code:
        messages.error(request, "还没有考核，请先建立考核")
        return redirect("evaluations:index")
    assessment = assessment_in_scope(scope=scope, code=code)
    if request.method == "POST":
        form = _form(request, scope, assessment, request.POST)
        if form.is_valid():
            campaign = _save(request, scope, assessment, form, None)
            if campaign is not None:
                messages.success(request, f"已建立测评活动「{campaign.name}」，请添加评价主体")
                return redirect("evaluations:detail", campaign.pk)
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = _form(request, scope, assessment, initial={"opens_at": now, "closes_at": now + dt.timedelta(days=7)})
    return render(request, "evaluations/form.html", {"form": form, "assessment": assessment,
                                                     "assessments": assessments, "campaign": None})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope, campaign = _campaign(request, pk)
    assessment = campaign.assessment
    if request.method == "POST":
        form = _form(request, scope, assessment, request.POST)
        if form.is_valid() and _save(request, scope, assessment, form, campaign) is not None:
            messages.success(request, "已保存")
            return redirect("evaluations:detail", campaign.pk)
    else:
        form = _form(request, scope, assessment, initial={
            "name": campaign.name, "period": campaign.period_id, "indicator": campaign.indicator,
            "feed": campaign.feed, "scale": rules.scale_text(campaign.the_scale),
            "dimensions": "\n".join(f"{n} = {w.normalize():f}" for n, w in campaign.dims),
            "trim_pct": campaign.trim_pct, "min_group": campaign.min_group,
            "opens_at": timezone.localtime(campaign.opens_at), "closes_at": timezone.localtime(campaign.closes_at),
            "objects": [o.pk for o in selectors.objects_of(campaign)]})
    return render(request, "evaluations/form.html", {"form": form, "assessment": assessment, "campaign": campaign,
                                                     "assessments": []})


def _group_choices(campaign: Campaign, *, accounts: bool | None = None, kind: str | None = None
                   ) -> list[tuple[int, str]]:
    return [(g.pk, g.name) for g in selectors.groups_of(campaign)
            if (accounts is None or g.with_accounts == accounts) and (kind is None or g.kind == kind)]


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's campaign page; for a rated unit, its own aggregate once closed."""
    scope = scope_of(request)
    if not scope.office:
        campaign = selectors.campaign_get(scope=scope, pk=pk)
        return render(request, "evaluations/result_unit.html", {
            "campaign": campaign, "results": selectors.results_of(scope=scope, campaign=campaign)})
    scope, campaign = _campaign(request, pk)
    objs = selectors.objects_of(campaign)
    obj_choices = [(o.pk, o.name) for o in objs]
    token_form = forms.TokenForm()
    token_form.fields["group"].choices = _group_choices(campaign, accounts=False)  # type: ignore[attr-defined]
    window_form = forms.WindowForm()
    window_form.fields["group"].choices = _group_choices(campaign, kind="service")  # type: ignore[attr-defined]
    window_form.fields["object"].choices = obj_choices  # type: ignore[attr-defined]
    scale = campaign.the_scale
    paper_form = forms.PaperForm(labels=[n for n, _ in scale.labels])
    paper_form.fields["group"].choices = _group_choices(campaign, accounts=False)  # type: ignore[attr-defined]
    paper_form.fields["object"].choices = obj_choices  # type: ignore[attr-defined]
    return render(request, "evaluations/detail.html", {
        "campaign": campaign, "groups": selectors.groups_of(campaign), "objects": objs,
        "counts": selectors.campaign_counts(campaign), "group_form": forms.GroupForm(), "token_form": token_form,
        "window_form": window_form, "paper_form": paper_form, "windows": list(selectors.windows_of(campaign)),
        "turnout": selectors.turnout(campaign), "results": selectors.results_of(scope=scope, campaign=campaign),
        "scale": scale, "dims": campaign.dims,
        "indicator_name": dict(selectors.rating_indicators(campaign.assessment)).get(campaign.indicator, "—"),
        "feed_label": Campaign.Feed(campaign.feed).label})


@login_required
@require_POST
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope, campaign = _campaign(request, pk)
    form = forms.GroupForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请检查评价主体的填写")
        return redirect("evaluations:detail", pk)
    d = form.cleaned_data
    with message_refusals(request) as outcome:
        g = services.rater_group_add(actor=request.user, scope=scope, campaign=campaign, kind=d["kind"],
                                     subtype=d["subtype"] or "", name=d["name"], weight=d["weight"],
                                     paper_issued=d["paper_issued"] or 0)
    if outcome.ok:
        messages.success(request, f"已添加评价主体「{g.name}」")
    return redirect("evaluations:detail", pk)


@login_required
@require_POST
def group_remove(request: HttpRequest, pk: int, group: int) -> HttpResponse:
    scope, campaign = _campaign(request, pk)
    g = selectors.group_of(campaign, group)
    with message_refusals(request) as outcome:
        services.rater_group_remove(actor=request.user, scope=scope, group=g)
    if outcome.ok:
        messages.success(request, f"已删除评价主体「{g.name}」")
    return redirect("evaluations:detail", pk)


def _assignment_form(scope: Scope, campaign: Campaign, data: Any = None) -> forms.AssignmentForm:
    """The form adding one rater → object pair, its choices those of the campaign and organisation
    (the same for showing it and for checking what was posted)."""
    form = forms.AssignmentForm(data)
    form.fields["group"].choices = _group_choices(campaign, accounts=True)  # type: ignore[attr-defined]
    form.fields["rater"].choices = [  # type: ignore[attr-defined]
        (p.pk, f"{p.name}（{p.unit.name}）") for p in selectors.people_of_org(scope=scope)]
    form.fields["object"].choices = [(o.pk, o.name) for o in selectors.objects_of(campaign)]  # type: ignore[attr-defined]
    return form


@login_required
def assignments(request: HttpRequest, pk: int) -> HttpResponse:
    scope, campaign = _campaign(request, pk)
    form = _assignment_form(scope, campaign)
    return render(request, "evaluations/assignments.html", {
        "campaign": campaign, "assignments": list(selectors.assignments_of(campaign)), "form": form})


@login_required
@require_POST
def assignments_generate(request: HttpRequest, pk: int) -> HttpResponse:
    scope, campaign = _campaign(request, pk)
    with message_refusals(request) as outcome:
        n = services.assignments_generate(actor=request.user, scope=scope, campaign=campaign)
    if outcome.ok:
        messages.success(request, f"已按组织机构和职务生成 {n} 条测评关系")
    return redirect("evaluations:assignments", pk)


@login_required
@require_POST
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope, campaign = _campaign(request, pk)
    form = _assignment_form(scope, campaign, request.POST)
    if not form.is_valid():
        messages.error(request, "请选择评价主体、评价人和被测评对象")
        return redirect("evaluations:assignments", pk)
    d = form.cleaned_data
    with message_refusals(request) as outcome:
        services.assignment_add(actor=request.user, scope=scope, campaign=campaign,
                                group=selectors.group_of(campaign, d["group"]),
                                rater_person=selectors.person_of_org(scope=scope, pk=d["rater"]),
                                obj=selectors.object_in(campaign, d["object"]))
    if outcome.ok:
        messages.success(request, "已添加测评关系")
    return redirect("evaluations:assignments", pk)


@login_required
@require_POST
def assignment_remove(request: HttpRequest, pk: int, assignment: int) -> HttpResponse:
    scope, campaign = _campaign(request, pk)
    a = selectors.assignment_of(campaign, assignment)
    with message_refusals(request) as outcome:
        services.assignment_remove(actor=request.user, scope=scope, assignment=a)
    if outcome.ok:
        messages.success(request, "已删除测评关系")
    return redirect("evaluations:assignments", pk)


@login_required
@require_POST
def open_(request: HttpRequest, pk: int) -> HttpResponse:
    scope, campaign = _campaign(request, pk)
    with message_refusals(request) as outcome:
        services.campaign_open(actor=request.user, scope=scope, campaign=campaign)
    if outcome.ok:
        messages.success(request, f"测评活动「{campaign.name}」已开放")
    return redirect("evaluations:detail", pk)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    scope, campaign = _campaign(request, pk)
    with message_refusals(request) as outcome:
        results = services.campaign_close(actor=request.user, scope=scope, campaign=campaign)
    if outcome.ok:
        n = sum(1 for r in results if r.score is not None)
        messages.success(request, f"测评已结束，{n} 个对象的结果已计入考核指标")
    return redirect("evaluations:detail", pk)


@login_required
@require_POST
def tokens(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue tokens and answer the A4 sheet of them at once (the tokens are not kept)."""
    scope, campaign = _campaign(request, pk)
    form = forms.TokenForm(request.POST)
    form.fields["group"].choices = _group_choices(campaign, accounts=False)  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, "请选择评价主体并填写 1 至 2000 之间的数量")
        return redirect("evaluations:detail", pk)
    group = selectors.group_of(campaign, form.cleaned_data["group"])
    issued: list[tuple[int, str]] = []
    with message_refusals(request) as outcome:
        issued = services.tokens_issue(actor=request.user, scope=scope, campaign=campaign, group=group,
                                       count=form.cleaned_data["count"])
    if not outcome.ok:
        return redirect("evaluations:detail", pk)
    pdf = tokens_pdf(request, campaign=campaign, group=group, issued=issued)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=\"tokens-{campaign.pk}-{issued[0][0]}.pdf\""
    return response


@login_required
@require_POST
def window_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope, campaign = _campaign(request, pk)
    form = forms.WindowForm(request.POST)
    form.fields["group"].choices = _group_choices(campaign, kind="service")  # type: ignore[attr-defined]
    form.fields["object"].choices = [(o.pk, o.name) for o in selectors.objects_of(campaign)]  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, "请先添加“服务对象评价”主体，再选择窗口所属对象")
        return redirect("evaluations:detail", pk)
    with message_refusals(request) as outcome:
        services.window_link_create(actor=request.user, scope=scope, campaign=campaign,
                                    group=selectors.group_of(campaign, form.cleaned_data["group"]),
                                    obj=selectors.object_in(campaign, form.cleaned_data["object"]))
    if outcome.ok:
        messages.success(request, "已生成窗口评价链接")
    return redirect("evaluations:detail", pk)


@login_required
@require_POST
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    scope, campaign = _campaign(request, pk)
    form = forms.PaperForm(request.POST, labels=[n for n, _ in campaign.the_scale.labels])
    form.fields["group"].choices = _group_choices(campaign, accounts=False)  # type: ignore[attr-defined]
    form.fields["object"].choices = [(o.pk, o.name) for o in selectors.objects_of(campaign)]  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, "请选择评价主体和被测评对象，票数填非负整数")
        return redirect("evaluations:detail", pk)
    obj = selectors.object_in(campaign, form.cleaned_data["object"])
    with message_refusals(request) as outcome:
        total = services.paper_tally_enter(actor=request.user, scope=scope, campaign=campaign,
                                           group=selectors.group_of(campaign, form.cleaned_data["group"]), obj=obj,
                                           counts=form.counts())
    if outcome.ok:
        messages.success(request, f"已录入 {obj.name} 的纸质票 {total} 张")
    return redirect("evaluations:detail", pk)


@login_required
def turnout(request: HttpRequest, pk: int) -> HttpResponse:
    """参评率 per rater group and per unit, live, and the bulletin of who has not taken part."""
    _, campaign = _campaign(request, pk)
    units, raters = selectors.not_taken_part(campaign)
    return render(request, "evaluations/turnout.html", {
        "campaign": campaign, "groups": selectors.turnout(campaign), "by_unit": selectors.turnout_by_unit(campaign),
        "silent_units": units, "silent_raters": raters})


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    _, campaign = _campaign(request, pk)
    with message_refusals(request) as outcome:
        services.ballots.require_open(campaign)
        remind_raters.enqueue(campaign.pk, int(str(request.user.pk)))
    if outcome.ok:
        messages.success(request, "已提醒尚未提交的评价人")
    return redirect("evaluations:turnout", pk)
