"""Response headers every page gets: the Content-Security-Policy, and ``Cache-Control: no-store``
on the pages of a signed-in user (they show personal data; no copy stays in a shared cache or
the browser's history cache)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Scripts come only from the site's own static files; styles allow inline style attributes
# (Pico and the templates use them; they cannot run code). JIXIAO_CSP_SCRIPT_INLINE: see settings.
CSP_BASE = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
            "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'")
CSP_STRICT = CSP_BASE + "; script-src 'self'"
CSP_INLINE = CSP_BASE + "; script-src 'self' 'unsafe-inline' 'unsafe-eval'"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        from django.conf import settings

        self.get_response = get_response
        self.strict = not getattr(settings, "JIXIAO_CSP_SCRIPT_INLINE", False)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.strict:
            response.setdefault("Content-Security-Policy", CSP_STRICT)
        else:
            # Until every template's inline script has moved to a static file: the strict
            # policy is reported, the inline one enforced.
            response.setdefault("Content-Security-Policy", CSP_INLINE)
            response.setdefault("Content-Security-Policy-Report-Only", CSP_STRICT)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
