"""全局搜索: one box in the top bar, one page of hits grouped by kind."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.org.scoping import scope_of
from jixiao.search.selectors import search


@login_required
def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    found = search(scope=scope_of(request), query=query)
    return render(request, "search/index.html", {"found": found, "q": found.query})
