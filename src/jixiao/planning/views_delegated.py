"""Delegated assessment pages (四级考核): a unit head's rules for his sections and staff, filed with
the office (备案), which accepts or returns them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixiao.core import clock
from jixiao.core.refusals import form_refusals
from jixiao.org.scoping import scope_of
from jixiao.planning import forms as f
from jixiao.planning import selectors as sel
from jixiao.planning.models import DelegatedScheme
from jixiao.planning.services.delegated import delegated_decide, delegated_save
from jixiao.planning.views_common import member_scope, office_scope


class DelegatedForm(forms.Form):
    unit = forms.ChoiceField(label="单位")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="细则名称", max_length=200, error_messages={"required": "请填写细则名称"})
    content = forms.CharField(label="考评细则", widget=forms.Textarea(attrs={"rows": 10}), max_length=50000,
                              error_messages={"required": "请填写考评细则"})
    scheme_text = forms.CharField(label="方案文件（可选）", required=False, max_length=200000,
                                  widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
                                  help_text="按考核方案格式编写的文件；备案通过后登记为本组织的考核方案草稿")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def _get(request: HttpRequest, pk: int) -> DelegatedScheme:
    try:
        return sel.delegated_get(scope=scope_of(request), pk=pk)
    except DelegatedScheme.DoesNotExist:
        raise Http404 from None


@login_required
def delegated(request: HttpRequest) -> HttpResponse:
    """考评细则备案: the list."""
    scope = member_scope(request)
    return render(request, "planning/delegated_list.html", {
        "rows": list(sel.delegated_for(scope=scope)), "can_file": bool(sel.headed_units(scope=scope)),
        "nav": "delegated"})


def _form_page(request: HttpRequest, d: DelegatedScheme | None) -> HttpResponse:
    scope = scope_of(request)
    units = [d.unit] if d else sel.headed_units(scope=scope)
    if not units:
        raise PermissionDenied("只有单位负责人可以制定考评细则")
    initial: dict[str, Any] = {"year": clock.today().year}
    if d:
        initial = {"unit": d.unit.code, "year": d.year, "title": d.title, "content": d.content,
                   "scheme_text": d.scheme_text, "version": d.version}
    form = DelegatedForm(request.POST or None, initial=initial)
    form.fields["unit"].choices = [(u.code, u.name) for u in units]  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            unit = next(u for u in units if u.code == cd["unit"])
            with form_refusals(form) as outcome:
                saved = delegated_save(actor=request.user, scope=scope, unit=unit, year=cd["year"], title=cd["title"],
                                       content=cd["content"], scheme_text=cd["scheme_text"],
                                       submit=request.POST.get("submit") == "1", delegated=d,
                                       expected_version=cd["version"])
            if outcome.ok:
                messages.success(request, "考评细则已报备，等待绩效办备案" if saved.state == "filed"
                                 else "已保存（草稿）")
                return redirect("planning:delegated_detail", pk=saved.pk)
    return render(request, "planning/delegated_form.html", {"form": form, "d": d, "nav": "delegated"},
                  status=status)


@login_required
def delegated_new(request: HttpRequest) -> HttpResponse:
    """制定考评细则."""
    return _form_page(request, None)


@login_required
def delegated_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改考评细则 (a draft or a returned one)."""
    d = _get(request, pk)
    if d.unit_id not in scope_of(request).head_units:
        raise PermissionDenied("只有本单位负责人可以修改考评细则")
    return _form_page(request, d)


def _detail(request: HttpRequest, d: DelegatedScheme, decide: Any = None) -> HttpResponse:
    scope = scope_of(request)
    return render(request, "planning/delegated.html", {
        "d": d, "steps": list(d.steps.order_by("at", "id")), "nav": "delegated",
        "may_edit": d.state in ("draft", "returned") and d.unit_id in scope.head_units,
        "may_decide": scope.office and d.state == "filed",
        "decide_form": decide or f.PlanDecideForm()}, status=400 if decide else 200)


@login_required
def delegated_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """一份考评细则."""
    return _detail(request, _get(request, pk))


@login_required
@require_POST
def delegated_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """备案 / 退回."""
    d = _get(request, pk)
    scope = office_scope(request)
    form = f.PlanDecideForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "pass"
        with form_refusals(form) as outcome:
            delegated_decide(actor=request.user, scope=scope, delegated=d, accept=accept,
                             comment=form.cleaned_data["comment"])
        if outcome.ok:
            messages.success(request, "已备案" if accept else "已退回")
            return redirect("planning:delegated_detail", pk=d.pk)
    return _detail(request, d, decide=form)
