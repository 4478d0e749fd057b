"""The second step of a login: a session waiting for its two-step code (see jixiao.sysadmin.mfa)
reaches only the two-step pages, the password change (while it has still to enrol), and logout.
Reads the session only: the decision was taken once, at login."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from jixiao.sysadmin.mfa import ENROL, PENDING_KEY, VERIFY

_OPEN = ("/mfa/", "/logout/", "/static/", "/healthz")


class MfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        pending = session.get(PENDING_KEY) if session is not None else None
        if pending and request.user.is_authenticated and not request.path.startswith(_OPEN):
            if pending == ENROL and request.path.startswith("/account/password/"):
                return self.get_response(request)
            target = "/mfa/verify/" if pending == VERIFY else "/mfa/setup/"
            nxt = request.get_full_path()
            return redirect(f"{target}?next={quote(nxt)}" if nxt not in ("/", target) else target)
        return self.get_response(request)
