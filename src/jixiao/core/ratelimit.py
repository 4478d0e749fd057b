"""Rate limits (checklist item 30) on the API, imports, exports and the public evaluation links
(login has its own lockout, django-axes): a fixed window per user — or per API token, or per
address when nobody is signed in — counted in a cache, answered with 429 (a Chinese page, or JSON
for the API) and a ``Retry-After`` header.

The limits are settings (``JIXIAO_RATE_LIMITS``: kind → (requests, seconds); ``JIXIAO_RATE_*`` in
the environment; ``JIXIAO_RATE_LIMITS_ENABLED=0`` turns them off, as the benchmarks do for their
deliberate floods). The counters live in the ``ratelimit`` cache: per process with the default
local-memory cache, so with N web workers a client may get up to N× the limit; with
``JIXIAO_CACHE_URL`` (Redis) every process counts in one place and the limit is exact.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse

log = logging.getLogger("jixiao.security")
CACHE = "ratelimit"
EXPORT_SUFFIXES = ("xlsx", "pdf", "csv", "zip", "yaml", "docx")
EXPORT_FORMATS = ("xlsx", "pdf", "csv")
WORDS = {"api": "接口调用", "import": "导入", "export": "导出和下载", "evaluation": "测评提交"}


def kind_of(request: HttpRequest) -> str | None:
    """Which limit a request counts against, from its resolved URL (None: not limited here)."""
    match = request.resolver_match
    if match is None:
        return None
    namespace, name = match.namespace or "", match.url_name or ""
    if namespace == "api" or namespace.startswith("api:"):
        return "api"
    if namespace == "evaluate":
        return "evaluation"
    if request.method == "POST" and "import" in name:
        return "import"
    path_suffix = request.path.rsplit(".", 1)[-1].lower() if "." in request.path.rsplit("/", 1)[-1] else ""
    if (path_suffix in EXPORT_SUFFIXES or name.endswith("download") or "export" in name
            or match.kwargs.get("fmt") in EXPORT_FORMATS or request.GET.get("fmt") in EXPORT_FORMATS):
        return "export"
    return None


def who(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if auth:
        return "t" + hashlib.sha256(auth.encode("utf-8", "replace")).hexdigest()[:24]
    return "a" + str(request.META.get("REMOTE_ADDR", ""))[:45]


def hit(kind: str, ident: str, limit: int, seconds: int, now: float | None = None) -> tuple[bool, int]:
    """Count one request in the current fixed window: (allowed, seconds until the window ends)."""
    now = time.time() if now is None else now
    window = int(now // seconds)
    key = f"rl:{kind}:{ident}:{window}"
    cache = caches[CACHE]
    cache.add(key, 0, timeout=seconds + 1)
    try:
        n = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        n = 1
    retry = max(1, int((window + 1) * seconds - now))
    return n <= limit, retry


def too_many(request: HttpRequest, kind: str, retry: int) -> HttpResponse:
    from jixiao.core.refusals import refusal_page

    text = f"{WORDS.get(kind, '请求')}过于频繁，请 {retry} 秒后再试"
    if kind == "api":
        resp: HttpResponse = JsonResponse({"detail": text}, status=429)
    else:
        resp = refusal_page(request, reason=text, status=429, title="请求过于频繁")
    resp["Retry-After"] = str(retry)
    return resp


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        if not getattr(settings, "JIXIAO_RATE_LIMITS_ENABLED", True):
            return None
        kind = kind_of(request)
        rule = settings.JIXIAO_RATE_LIMITS.get(kind) if kind else None
        if kind is None or rule is None:
            return None
        limit, seconds = rule
        ident = who(request)
        ok, retry = hit(kind, ident, limit, seconds)
        if ok:
            return None
        log.warning("rate limit %s exceeded by %s on %s", kind, ident, request.path[:200])
        return too_many(request, kind, retry)
