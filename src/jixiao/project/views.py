"""Project-level views: health check and the home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from jixiao.collection.selectors_home import home_overview
from jixiao.org.scoping import scope_of
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.selectors import results_for


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
    """The home page per role (see ``home_overview``). How many objects have results is read
    here: the ledger's selectors may not read scoring's results (the layers run one way)."""
    scope = scope_of(request)
    context = home_overview(scope=scope)
    for progress in context.get("progress", []):
        progress.scored = sum(results_for(scope=scope, assessment=progress.assessment, category=c).count()
                              for c in catalog_of(progress.assessment).categories)
    return render(request, "home.html", context)
