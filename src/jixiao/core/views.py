"""The site's error pages, in Chinese and inside its layout (wired in ``project.urls``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jixiao.core.refusals import _reason_of, _safe_referer, refusal_page


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = _reason_of(exception) if isinstance(exception, PermissionDenied) else None
    return refusal_page(request, reason=reason, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Django's own 404 text ("No AssessedObject matches the given query.") is English and names
    # a model: it is never shown. A record outside the user's scope is "not found" on purpose.
    if request.path.startswith("/api/"):  # an API client reads JSON, as the API's own 404s are
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return render(request, "404.html", {"back": _safe_referer(request)}, status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403.html", {
        "title": _("页面已过期"),
        "reason": _("表单已过期或来源无法验证（可能是页面打开太久或已重新登录）。请返回上一页，刷新后重新提交。"),
        "status": 403, "back": _safe_referer(request)}, status=403)
