"""审计日志查看: the audit log for the audit administrator (审计管理员) only, filtered and paged,
exported as a workbook with the same filters, and the check of the SM3 hash chain."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from jixiao.audit.chain import audit_seal, audit_verify
from jixiao.audit.selectors import ACTIONS, OUTCOMES, audit_entries
from jixiao.core.exports import XLSX_TYPE, attachment_header, safe_cell

AUDIT_ADMIN = "audit_admin"
PAGE = 100
EXPORT_MAX = 200_000  # a year of a county's entries; narrow the filter for more


class FilterForm(forms.Form):
    action = forms.ChoiceField(label="事件", required=False, choices=[("", "全部事件"), *ACTIONS.items()])
    actor = forms.CharField(label="操作人账号", required=False, max_length=150)
    outcome = forms.ChoiceField(label="结果", required=False, choices=[("", "全部结果"), *OUTCOMES.items()])
    day_from = forms.DateField(label="自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    day_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _require_audit_admin(request: HttpRequest) -> None:
    if AUDIT_ADMIN not in getattr(request.scope, "roles", ()):  # type: ignore[attr-defined]
        raise PermissionDenied("只有审计管理员可以查看审计日志")


def _filters(request: HttpRequest) -> tuple[FilterForm, dict[str, Any]]:
    form = FilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return form, filters


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_audit_admin(request)
    form, filters = _filters(request)
    page = Paginator(audit_entries(**filters), PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    labels = _role_labels()
    rows = [{"entry": e, "action": ACTIONS.get(e.action, e.action), "outcome": OUTCOMES.get(e.outcome, e.outcome),
             "role": "、".join(labels.get(r, r) for r in e.role.split(",") if r)} for e in page.object_list]
    return render(request, "audit/index.html", {"form": form, "page": page, "rows": rows,
                                                "pager_query": query.urlencode()})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The entries the filters select, as a workbook (the download is itself an audited export).
    Every text cell goes through ``safe_cell``: a summary typed as ``=HYPERLINK(…)`` stays text."""
    _require_audit_admin(request)
    _form, filters = _filters(request)
    labels = _role_labels()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志")
    ws.append(["编号", "时间", "操作人", "角色", "地址", "事件", "结果", "说明", "对象", "对象编号", "请求号"])
    for e in audit_entries(**filters)[:EXPORT_MAX].iterator(chunk_size=2000):
        ws.append([e.pk, timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), safe_cell(e.actor_label),
                   "、".join(labels.get(r, r) for r in e.role.split(",") if r), safe_cell(e.address),
                   ACTIONS.get(e.action, e.action), OUTCOMES.get(e.outcome, e.outcome), safe_cell(e.summary),
                   safe_cell(e.target), safe_cell(e.target_id), e.request_id])
    buf = io.BytesIO()
    wb.save(buf)
    resp = HttpResponse(buf.getvalue(), content_type=XLSX_TYPE)
    resp["Content-Disposition"] = attachment_header(f"审计日志-{timezone.localdate():%Y%m%d}.xlsx",
                                                    "audit-log.xlsx")
    return resp


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
