"""反馈意见书: a unit's feedback letter on its year's results (page and PDF); the office writes
the suggestions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods

from jixiao.core.exports import FontMissing, attachment_header, download_name, pdf_from_html
from jixiao.core.refusals import message_refusals
from jixiao.org.scoping import scope_of
from jixiao.outcomes.selectors import letter_of, object_visible
from jixiao.outcomes.services import feedback_save
from jixiao.schemes.selectors import assessment_in_scope


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, code: str, obj: str) -> HttpResponse:
    scope = scope_of(request)
    a = assessment_in_scope(scope=scope, code=code)
    o = object_visible(scope=scope, code=obj)
    if request.method == "POST":
        if not scope.office:
            raise PermissionDenied("只有绩效办可以填写反馈意见")
        with message_refusals(request) as outcome:
            feedback_save(actor=request.user, scope=scope, assessment=a, obj=o,
                          suggestions=request.POST.get("suggestions", ""))
        if outcome.ok:
            messages.success(request, "反馈意见已保存")
        return redirect("outcomes:feedback", a.code, o.code)
    return render(request, "outcomes/feedback.html", {**letter_of(assessment=a, obj=o), "office": scope.office})


@login_required
@require_GET
def letter_pdf(request: HttpRequest, code: str, obj: str) -> HttpResponse:
    scope = scope_of(request)
    a = assessment_in_scope(scope=scope, code=code)
    o = object_visible(scope=scope, code=obj)
    ctx = letter_of(assessment=a, obj=o)
    try:
        data = pdf_from_html(render_to_string("outcomes/letter_print.html", ctx))
    except FontMissing as e:
        return render(request, "reports/font_missing.html", {"message": str(e), "assessment": a}, status=503)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = attachment_header(download_name(f"{o.name}{a.name}考核结果反馈意见书", ".pdf"),
                                                        f"feedback-{a.code}-{o.code}.pdf")
    response["Cache-Control"] = "no-store"
    return response
