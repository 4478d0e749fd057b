"""审计日志查看: the audit log for the audit administrator (审计管理员) only, filtered and paged,
and the check of the SM3 hash chain."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixiao.audit.chain import audit_seal, audit_verify
from jixiao.audit.selectors import ACTIONS, OUTCOMES, audit_entries

AUDIT_ADMIN = "audit_admin"
PAGE = 100


class FilterForm(forms.Form):
    action = forms.ChoiceField(label="事件", required=False, choices=[("", "全部事件"), *ACTIONS.items()])
    actor = forms.CharField(label="操作人账号", required=False, max_length=150)
    outcome = forms.ChoiceField(label="结果", required=False, choices=[("", "全部结果"), *OUTCOMES.items()])
    day_from = forms.DateField(label="自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    day_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _require_audit_admin(request: HttpRequest) -> None:
    if AUDIT_ADMIN not in getattr(request.scope, "roles", ()):  # type: ignore[attr-defined]
        raise PermissionDenied("只有审计管理员可以查看审计日志")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_audit_admin(request)
    form = FilterForm(request.GET or None)
    filters: dict[str, str | dt.date | None] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    page = Paginator(audit_entries(**filters), PAGE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    query = request.GET.copy()
    query.pop("page", None)
    labels = _role_labels()
    rows = [{"entry": e, "action": ACTIONS.get(e.action, e.action), "outcome": OUTCOMES.get(e.outcome, e.outcome),
             "role": "、".join(labels.get(r, r) for r in e.role.split(",") if r)} for e in page.object_list]
    return render(request, "audit/index.html", {"form": form, "page": page, "rows": rows,
                                                "pager_query": query.urlencode()})


def _role_labels() -> dict[str, str]:
    """Role codes in words (the roles are the organisation's, a layer above the audit log)."""
    from django.apps import apps

    role = apps.get_model("org", "RoleGrant").Role
    return {**{str(v): str(label) for v, label in role.choices}, "superuser": "超级用户"}


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    _require_audit_admin(request)
    audit_seal()
    verdict = audit_verify()
    if verdict.ok:
        messages.success(request, f"哈希链完好：已校验 {verdict.checked} 条审计记录，待封存 {verdict.unsealed} 条。")
    else:
        messages.error(request, f"哈希链断裂：第一个断点为审计记录 #{verdict.broken_entry}（{verdict.reason}），"
                                f"此前 {verdict.checked} 条完好。")
    return redirect("audit:index")
