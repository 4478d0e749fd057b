"""The second step of reopening a closed period: another office admin or a leadership-group member
approves (or refuses) the pending request. The requester may withdraw his own request but never
approve it (the service refuses)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.refusals import message_refusals
from jixiao.org.scoping import scope_of
from jixiao.schemes.selectors import period_get, reopenings_pending
from jixiao.schemes.services import can_approve_reopening, period_reopen_decide


def _require_approver(request: HttpRequest) -> None:
    if not can_approve_reopening(scope_of(request)):
        raise PermissionDenied(_("只有考核办管理员或考核领导小组成员可以审批重新开放"))


@login_required
@require_GET
def reopenings(request: HttpRequest) -> HttpResponse:
    """The requests waiting for a second person's approval."""
    _require_approver(request)
    rows = list(reopenings_pending(scope=scope_of(request)))
    return render(request, "schemes/reopenings.html", {"rows": rows})


@login_required
@require_POST
def reopen_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _require_approver(request)
    scope = scope_of(request)
    period = period_get(scope=scope, pk=pk)
    approve = request.POST.get("decision") == "approve"
    with message_refusals(request) as outcome:
        period_reopen_decide(actor=request.user, scope=scope, period=period, approve=approve)
    if outcome.ok:
        text = _("%(name)s 已重新开放") if approve else _("%(name)s 的重新开放申请已撤回或不予批准")
        messages.success(request, text % {"name": period.name})
    if request.POST.get("back") == "index" and scope.office:
        return redirect(reverse("schemes:index") + f"#assessment-{period.assessment_id}")
    return redirect("schemes:reopenings")
