"""Year archives (年度归档) and an object's years side by side (多年对比)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jixiao.core.refusals import message_refusals
from jixiao.org.scoping import scope_of
from jixiao.outcomes.selectors import archive_get, archives_for, object_visible, open_plans_of, years_of
from jixiao.outcomes.services import year_archive
from jixiao.schemes.selectors import assessment_in_scope, assessments_all


@login_required
@require_http_methods(["GET", "POST"])
def archives(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.office:
        raise PermissionDenied("只有绩效办可以管理年度归档")
    if request.method == "POST":
        a = assessment_in_scope(scope=scope, code=request.POST.get("assessment", ""))
        with message_refusals(request) as outcome:
            year_archive(actor=request.user, scope=scope, assessment=a)
        if outcome.ok:
            messages.success(request, "已生成归档包")
        return redirect("outcomes:archives")
    return render(request, "outcomes/archives.html", {"archives": archives_for(scope=scope)[:100],
                                                      "assessments": assessments_all(scope=scope)})


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    scope = scope_of(request)
    if not scope.office:
        raise PermissionDenied("只有绩效办可以下载归档")
    got = archive_get(scope=scope, pk=pk)
    return FileResponse(got.file.open("rb"), as_attachment=True, filename=f"{got.assessment.code}-归档.zip")


@login_required
@require_GET
def object_years(request: HttpRequest, code: str) -> HttpResponse:
    obj = object_visible(scope=scope_of(request), code=code)
    return render(request, "outcomes/object_years.html", {"obj": obj, "results": years_of(obj=obj),
                                                          "plans": open_plans_of(obj=obj)})
