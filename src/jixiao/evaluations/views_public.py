"""Public rating pages (no account): a one-time token's page /e/<token>, the page to type a token's
short code, the thanks page, and a service window's open link /e/w/<key>. A used, forged or
expired token gets the refusal page; nothing about the rater is recorded."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from jixiao.core.errors import ServiceError
from jixiao.evaluations import forms, selectors, services
from jixiao.evaluations.models import Campaign

COOKIE_SALT = "jixiao.evaluations.window"
FIELD = re.compile(r"^o(\d+)d(\d+)$")


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "evaluations/public_refused.html", {"message": message}, status=403)


def _objects(campaign: Campaign, post: dict[str, str] | None = None) -> list[dict[str, object]]:
    dims = [d for d, _ in campaign.dims]
    return [{"object": o, "fields": [(f"o{o.pk}d{i}", d, (post or {}).get(f"o{o.pk}d{i}", ""))
                                     for i, d in enumerate(dims)]}
            for o in selectors.objects_of(campaign)]


@never_cache
def enter(request: HttpRequest) -> HttpResponse:
    """Type the short code printed under the QR code."""
    code = "".join(request.GET.get("code", "").split())
    if code:
        return redirect("evaluate:rate", code)
    return render(request, "evaluations/public_enter.html")


def _posted_ratings(post: Any) -> dict[int, dict[int, str]]:
    """{object id: {dimension index: rating}} from fields ``o<object id>d<dimension index>``."""
    out: dict[int, dict[int, str]] = {}
    for key, value in post.items():
        m = FIELD.match(key)
        if m and str(value).strip():
            out.setdefault(int(m[1]), {})[int(m[2])] = str(value)
    return out


@never_cache
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """The rating page of a one-time token. A POST goes straight to the redemption, which checks
    the token once and atomically (the page is not read again for it)."""
    error = ""
    if request.method == "POST":
        try:
            services.token_redeem(token=token, ratings=_posted_ratings(request.POST))
        except services.TokenRefused as e:
            return _refused(request, e.message)
        except ServiceError as e:
            error = e.message
        else:
            return redirect("evaluate:thanks")
    try:
        t = services.token_check(token=token)
    except ServiceError as e:
        return _refused(request, e.message)
    campaign = t.campaign
    posted = {k: str(v) for k, v in request.POST.items()} if request.method == "POST" else {}
    return render(request, "evaluations/public_rate.html", {
        "campaign": campaign, "group": t.group, "scale": campaign.the_scale, "rows": _objects(campaign, posted),
        "error": error})


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluations/public_thanks.html")


@never_cache
def window(request: HttpRequest, key: str) -> HttpResponse:
    try:
        link = services.window_get(key=key)
    except ServiceError as e:
        return _refused(request, e.message)
    campaign = link.campaign
    dims = [d for d, _ in campaign.dims]
    cookie = f"jxw{link.pk}"
    error = ""
    if request.method == "POST":
        raw = request.get_signed_cookie(cookie, default=None, salt=COOKIE_SALT)
        last = dt.datetime.fromisoformat(raw) if raw else None
        try:
            services.window_ballot_submit(key=key, ratings=forms.ratings_from(request.POST, dims), last_rated=last)
        except services.TokenRefused as e:
            return _refused(request, e.message)
        except ServiceError as e:
            error = e.message
        else:
            response = redirect("evaluate:thanks")
            response.set_signed_cookie(cookie, timezone.now().isoformat(), salt=COOKIE_SALT,
                                       max_age=campaign.window_cooldown_hours * 3600, httponly=True, samesite="Lax")
            return response
    return render(request, "evaluations/public_window.html", {
        "campaign": campaign, "link": link, "scale": campaign.the_scale,
        "fields": [(f"d{i}", d) for i, d in enumerate(dims)], "error": error})
