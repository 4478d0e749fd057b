"""兑现 page: the office turns a category's results into amounts (pool or fixed per grade) and
downloads the 兑现金额表 as XLSX or PDF."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jixiao.core.exports import XLSX_TYPE, FontMissing, attachment_header, download_name
from jixiao.org.scoping import scope_of
from jixiao.outcomes.paid import MODES, amounts, coefficients, paid_table
from jixiao.outcomes.rewards import RewardError, fixed_amounts, highest_applies, money
from jixiao.reports import pdf, xlsx
from jixiao.reports.selectors import categories_of, context_for, entries_for, period_names
from jixiao.schemes.selectors import assessments_all, catalog_of


@login_required
@require_GET
def rewards(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.office:
        raise PermissionDenied("只有绩效办可以测算奖金兑现")
    assessments = list(assessments_all(scope=scope))
    choices = [(a, categories_of(catalog_of(a))) for a in assessments]
    ctx_periods = [(a, period_names(a)) for a in assessments]
    ctx: dict[str, Any] = {"choices": choices, "modes": MODES, "periods": ctx_periods}
    code, category = request.GET.get("assessment", ""), request.GET.get("category", "")
    if not code:
        return render(request, "outcomes/rewards.html", ctx)
    a = next((x for x in assessments if x.code == code), None)
    if a is None:
        raise Http404("没有这个考核")
    catalog = catalog_of(a)
    ref = next((r for r in categories_of(catalog) if r.code == category), None)
    if ref is None:
        raise Http404("该考核没有这个类别")
    mode = request.GET.get("mode", "pool")
    if mode not in MODES:
        mode = "pool"
    entries = entries_for(scope=scope, assessment=a, catalog=catalog, category=ref.code)
    tctx = context_for(a, catalog, ref)
    periods = dict(period_names(a))
    period = request.GET.get("period", "")
    try:
        if mode == "period" and period not in periods:
            raise RewardError("请选择按哪个考核期（月度）的得分分配")
        amount = money(request.GET.get("amount", ""))
        got = amounts(tctx, entries, mode, amount, period)
        # A second reward of the same objects (专项奖励, fixed per grade): not cumulative, the higher applies.
        other = request.GET.get("other", "").strip()
        second = fixed_amounts(money(other), coefficients(tctx, entries)) if other else {}
    except RewardError as e:
        ctx.update(error=str(e), picked=(code, category, mode))
        return render(request, "outcomes/rewards.html", ctx)
    first = got
    applies: dict[str, str] = {}
    if second:
        best = highest_applies({e.object_code: [("本项奖励", first.get(e.object_code, Decimal("0.00"))),
                                                ("其他奖励", second.get(e.object_code, Decimal("0.00")))]
                                for e in entries})
        got = {c: amt for c, (_, amt) in best.items()}
        applies = {c: name for c, (name, _) in best.items()}
    table = paid_table(tctx, entries, got, mode, amount, periods.get(period, "") if mode == "period" else "")
    fmt = request.GET.get("fmt", "")
    if fmt in ("xlsx", "pdf"):
        stem = f"{table.title}（{ref.name}）"
        if fmt == "xlsx":
            data, content_type = xlsx.tables_xlsx([table]), XLSX_TYPE
        else:
            try:
                data, content_type = pdf.tables_pdf([table], title=stem), "application/pdf"
            except FontMissing as e:
                return render(request, "reports/font_missing.html", {"message": str(e), "assessment": a},
                              status=503)
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = attachment_header(download_name(stem, f".{fmt}"),
                                                            f"{a.code}-paid-{ref.code}.{fmt}")
        response["Cache-Control"] = "no-store"
        return response
    rows = [(e, got.get(e.object_code, Decimal("0.00")), first.get(e.object_code), second.get(e.object_code),
             applies.get(e.object_code, "")) for e in entries]
    ctx.update(assessment=a, category=ref, rows=rows, total=sum(got.values(), Decimal("0.00")), mode=mode,
               amount=amount, picked=(code, category, mode), query=request.GET.urlencode(), combined=bool(second))
    return render(request, "outcomes/rewards.html", ctx)
