"""The office's review queue (待审核): submitted values, filtered and paged, verified or returned
in batches."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from jixiao.collection import forms
from jixiao.collection.selectors_review import (
    QueueFilter,
    indicator_name,
    review_queue,
    units_assessed,
    value_indicators,
)
from jixiao.collection.services import value_review_batch
from jixiao.core.refusals import message_refusals
from jixiao.org.scoping import scope_of
from jixiao.schemes.selectors import assessments_all, catalog_of, periods_of

QUEUE_PAGE = 50
FILTERS = ("assessment", "period", "unit", "indicator", "since", "until")


@login_required
def review_queue_view(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.verifies:
        raise PermissionDenied(_("待审核数据只对绩效办和单位负责人开放"))
    assessments = list(assessments_all(scope=scope))
    if not assessments:
        return render(request, "collection/review_queue.html", {"assessment": None})
    asked = request.GET.get("assessment") or ""
    a = next((x for x in assessments if x.code == asked), assessments[0])
    catalog = catalog_of(a)
    periods = list(periods_of(a))
    units = list(units_assessed(scope=scope, assessment=a, catalog=catalog))
    form = forms.QueueFilterForm(
        {**{k: request.GET.get(k, "") for k in FILTERS}, "assessment": a.code},
        assessments=[(x.code, x.name) for x in assessments], periods=[(p.code, p.name) for p in periods],
        units=[(str(u.pk), u.name) for u in units], indicators=value_indicators(catalog))
    form.is_valid()
    d = form.cleaned_data
    f = QueueFilter(assessment=a, period=next((p for p in periods if p.code == d.get("period")), None),
                    unit=next((u for u in units if str(u.pk) == d.get("unit")), None),
                    indicator=d.get("indicator") or "", since=d.get("since"), until=d.get("until"))
    query = urlencode({k: request.GET[k] for k in FILTERS if request.GET.get(k)})
    if request.method == "POST":
        batch = forms.BatchReviewForm(request.POST)
        batch.is_valid()
        approve = "approve" in request.POST
        with message_refusals(request) as outcome:
            n = value_review_batch(actor=request.user, scope=scope, value_ids=batch.cleaned_data.get("ids") or [],
                                   approve=approve, reason=batch.cleaned_data.get("reason") or "")
        if outcome.ok:
            messages.success(request, f"已审核通过 {n} 个数据" if approve else f"已退回 {n} 个数据")
        return redirect(f"{request.path}?{query}" if query else request.path)
    page = Paginator(review_queue(scope=scope, f=f), QUEUE_PAGE).get_page(request.GET.get("page"))
    rows: list[dict[str, Any]] = [{"v": v, "indicator": indicator_name(catalog, v)} for v in page.object_list]
    return render(request, "collection/review_queue.html", {
        "assessment": a, "form": form, "rows": rows, "page": page, "pager_query": query,
        "action_query": query})
