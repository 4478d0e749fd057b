"""The office's reminder pages: 「立即催办」 and the deliveries list (送达记录) with failures and retries."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tasks.base import TaskResultStatus

from jixiao.core.refusals import message_refusals
from jixiao.supervision import lights
from jixiao.supervision.channels import REGISTRY
from jixiao.supervision.models import Delivery
from jixiao.supervision.selectors import deliveries_of, delivery_counts, delivery_get
from jixiao.supervision.services.reminders import deliveries_send, delivery_retry
from jixiao.supervision.tasks import remind_now
from jixiao.supervision.views_common import office_scope

PER_PAGE = 100



def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("supervision:deliveries")


@login_required
@require_POST
def remind_run(request: HttpRequest) -> HttpResponse:
    """「立即催办」: issue the notices due now and send them, through the task queue."""
    scope = office_scope(request)
    # The office reminds in the organisation it works in; the daily job covers every one.
    result = remind_now.enqueue(request.user.pk, scope.organisation_id)
    if result.status == TaskResultStatus.SUCCESSFUL:
        issued = (result.return_value or {}).get("issued", 0)
        failed = (result.return_value or {}).get("failed", 0)
        messages.success(request, _("已发出 %(n)s 份催办通知单") % {"n": issued})
        if failed:
            messages.warning(request, _("有 %(n)s 条送达失败，见送达记录") % {"n": failed})
    elif result.status == TaskResultStatus.FAILED:
        error = result.errors[-1].exception_class_path.rsplit(".", 1)[-1] if result.errors else ""
        messages.error(request, _("催办任务失败（%(e)s），请查看系统日志") % {"e": error})
    else:
        messages.success(request, _("催办任务已提交后台处理，稍后可在送达记录中查看结果"))
    return redirect(_back(request))


@login_required
@require_GET
def deliveries(request: HttpRequest) -> HttpResponse:
    """送达记录: every delivery of every notice, failed ones first, with attempts and errors."""
    scope = office_scope(request)
    status = request.GET.get("status", "")
    if status not in Delivery.Status.values:
        status = ""
    counts = delivery_counts(scope=scope)
    page = Paginator(deliveries_of(scope=scope, status=status), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "supervision/deliveries.html", {
        "page": page, "pager_query": f"status={status}" if status else "", "status": status,
        "statuses": Delivery.Status.choices,
        "counts": {k: counts.get(k, 0) for k in Delivery.Status.values}, "total": sum(counts.values()),
        "channels": {name: cls.label for name, cls in REGISTRY.items()}, "light_labels": lights.LABELS,
        "attempts_limit": settings.JIXIAO_NOTIFY_ATTEMPTS,
        "configured": [REGISTRY[n].label if n in REGISTRY else n for n in settings.JIXIAO_NOTIFY_CHANNELS]})


@login_required
@require_POST
def delivery_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    """「重试」: a failed delivery gets fresh attempts and is sent again now."""
    scope = office_scope(request)
    delivery = delivery_get(scope=scope, pk=pk)
    with message_refusals(request) as outcome:
        delivery_retry(actor=request.user, scope=scope, delivery=delivery)
    if not outcome.ok:
        return redirect(_back(request))
    sent, _failed = deliveries_send(ids=[delivery.pk])
    if sent:
        messages.success(request, _("已重新发送"))
    else:
        delivery.refresh_from_db()
        messages.error(request, _("重新发送失败：%(e)s") % {"e": delivery.last_error})
    return redirect(_back(request))
