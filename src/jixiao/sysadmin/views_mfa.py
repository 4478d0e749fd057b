"""两步验证 pages: enrolment (a QR code drawn by segno as SVG, and the secret in words for typing)
and the second step of a login. Open to every signed-in account; the middleware sends a session
waiting for its second step here."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from jixiao.core.refusals import form_refusals
from jixiao.sysadmin.forms import CodeForm
from jixiao.sysadmin.mfa import (
    ENROL,
    PENDING_KEY,
    VERIFY,
    mfa_device,
    mfa_device_preview,
    mfa_enrol,
    mfa_secret_new,
    mfa_verify,
)

DEVICE_KEY = "jixiao_mfa_setup_key"  # the secret the enrolment page shows, until confirmed


def _next(request: HttpRequest) -> str:
    nxt = request.GET.get("next") or request.POST.get("next") or "/"
    return nxt if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) else "/"


def _done(request: HttpRequest) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    request.session.pop(DEVICE_KEY, None)
    request.session.cycle_key()  # a new session id once the login is complete
    return redirect(_next(request))


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    pending = request.session.get(PENDING_KEY)
    if pending == VERIFY:
        return redirect("mfa:verify")
    key = request.session.get(DEVICE_KEY)
    if not isinstance(key, str):
        key = request.session[DEVICE_KEY] = mfa_secret_new()
    device = mfa_device_preview(user=user, key=key)  # type: ignore[arg-type]
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_refusals(form) as outcome:
            mfa_enrol(actor=user, user=user, key=key, token=form.cleaned_data["token"])  # type: ignore[arg-type]
        if outcome.ok:
            messages.success(request, "两步验证已启用，以后登录时须输入验证器中的验证码。")
            return _done(request)
    qr = segno.make(device.config_url, error="m")
    secret = b32encode(device.bin_key).decode()
    svg = mark_safe(qr.svg_inline(scale=4, light="#fff", title="两步验证二维码"))  # segno's own SVG, no user text
    return render(request, "sysadmin/mfa_setup.html", {
        "form": form, "qr": svg,
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)), "forced": pending == ENROL,
        "enrolled": mfa_device(user) is not None, "next": _next(request),  # type: ignore[arg-type]
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if request.session.get(PENDING_KEY) != VERIFY:
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_refusals(form) as outcome:
            mfa_verify(user=request.user, token=form.cleaned_data["token"])  # type: ignore[arg-type]
        if outcome.ok:
            return _done(request)
    return render(request, "sysadmin/mfa_verify.html", {"form": form, "next": _next(request)},
                  status=400 if request.method == "POST" else 200)
