"""我的测评: a rater's list of what he still has to rate, and the phone page rating one object
(its self-report when it has one, a draft kept until he submits, once)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jixiao.core.refusals import message_refusals
from jixiao.evaluations import forms, selectors, services
from jixiao.org.scoping import scope_of


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    rows = list(selectors.my_assignments(scope=scope))
    return render(request, "evaluations/mine.html", {
        "todo": [a for a in rows if a.submitted_at is None], "done": [a for a in rows if a.submitted_at is not None]})


@login_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    a = selectors.my_assignment(scope=scope, pk=pk)
    campaign = a.campaign
    dims = [d for d, _ in campaign.dims]
    ratings = dict(a.draft)
    if request.method == "POST":
        ratings = forms.ratings_from(request.POST, dims)
        submit = request.POST.get("action") == "submit"
        with message_refusals(request) as outcome:
            services.assignment_ballot_save(actor=request.user, scope=scope, assignment_id=a.pk, ratings=ratings,
                                            submit=submit)
        if outcome.ok:
            messages.success(request, f"已提交对 {a.object.name} 的评价" if submit else "已保存草稿，提交前可修改")
            return redirect("evaluations:mine" if submit else "evaluations:rate", *([] if submit else [a.pk]))
    scale = campaign.the_scale
    return render(request, "evaluations/rate.html", {
        "a": a, "campaign": campaign, "scale": scale,
        "dims": [(f"d{i}", d, ratings.get(d, "")) for i, d in enumerate(dims)],
        "self_report": selectors.self_report_for(a.object, campaign.period)})
