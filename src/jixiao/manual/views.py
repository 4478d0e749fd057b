"""使用说明: the manual in one page, opened at the section of the page the user came from."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from jixiao.manual.sections import ORDER, SHOT_NAME, section_for, sections


def shots_dir() -> Path:
    return Path(settings.DATA_DIR) / "manual"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    origin = request.GET.get("from")
    if origin and url_has_allowed_host_and_scheme(origin, allowed_hosts={request.get_host()}):
        try:
            namespace = resolve(origin.split("?")[0]).namespace
        except Resolver404:
            namespace = None
        return redirect(reverse("manual:index") + "#" + section_for(origin, namespace))
    folder = shots_dir()
    return render(request, "manual/index.html", {
        "sections": sections(lambda name: reverse("manual:shot", args=[name]),
                             lambda name: (folder / f"{name}.png").is_file()),
        "order": ORDER})


@login_required
def shot(request: HttpRequest, name: str) -> FileResponse:
    path = shots_dir() / f"{name}.png"
    if not SHOT_NAME.match(name) or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/png")
