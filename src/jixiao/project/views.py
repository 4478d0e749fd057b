"""Project-level views: health check and the home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from jixiao.collection.selectors import home_overview
from jixiao.org.scoping import scope_of


def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database state when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        db = {"status": "ok", "vendor": connection.vendor}
        status = 200
    except Exception as e:  # any database failure is reported, not raised
        db = {"status": "error", "error": type(e).__name__}
        status = 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": db}, status=status)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", home_overview(scope=scope_of(request)))
