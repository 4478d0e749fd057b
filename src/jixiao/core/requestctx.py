"""Who is asking, from where, under which request id: kept for the request's duration so the
audit trail can record it without every service taking the request as an argument."""

from __future__ import annotations

import contextvars
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass
class RequestContext:
    request_id: str
    address: str
    role: Callable[[], str]


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("jixiao_request", default=None)
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current() -> RequestContext | None:
    return _current.get()


def _roles_of(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    scope = getattr(request, "scope", None)
    roles = sorted(getattr(scope, "roles", ()) or ())
    if getattr(user, "is_superuser", False):
        roles.insert(0, "superuser")
    return ",".join(roles)[:100]


class RequestContextMiddleware:
    """Sets the request id (the proxy's X-Request-ID when well-formed, else a new one; echoed in
    the response), the client address and the role for the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        cache: list[str] = []

        def role() -> str:
            if not cache:
                cache.append(_roles_of(request))
            return cache[0]

        token = _current.set(RequestContext(request_id=rid, address=request.META.get("REMOTE_ADDR", "")[:45],
                                            role=role))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = rid
        return response
