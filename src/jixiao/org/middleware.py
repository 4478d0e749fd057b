"""Attach the user's resolved :class:`~jixiao.org.scoping.Scope` to each request, lazily, in the
organisation he chose with the switcher (kept in his session) or else his first."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from jixiao.org.scoping import ANONYMOUS, Scope
from jixiao.org.selectors import scope_for_user

SESSION_KEY = "jixiao_organisation"  # the id of the organisation the user works in


def chosen_organisation(request: HttpRequest) -> int | None:
    session = getattr(request, "session", None)
    raw = session.get(SESSION_KEY) if session is not None else None
    return raw if isinstance(raw, int) else None


class ScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def resolve() -> Scope:
            user = request.user
            if not user.is_authenticated:
                return ANONYMOUS
            return scope_for_user(user, organisation_id=chosen_organisation(request))

        request.scope = SimpleLazyObject(resolve)  # type: ignore[attr-defined]
        return self.get_response(request)


LOGIN_AT_KEY = "jixiao_login_at"  # epoch seconds of the login (absolute timeout)
SEEN_AT_KEY = "jixiao_seen_at"  # epoch seconds of the last request (idle timeout), to the minute
MUST_CHANGE_KEY = "jixiao_must_change_password"  # set at login: reset by an administrator, or expired
_SEEN_GRANULARITY = 60  # the session is written at most once a minute for the idle clock
_OPEN_WHEN_FORCED = ("/account/password/", "/mfa/", "/logout/", "/static/", "/healthz")


class SessionPolicyMiddleware:
    """Idle timeout (``JIXIAO_SESSION_IDLE_MINUTES``, ≤30) and absolute timeout
    (``JIXIAO_SESSION_ABSOLUTE_HOURS``, ≤12): past either the session is deleted server-side and
    the user sent to log in again. An account that must change its password (after a reset, or
    expired) reaches only the password change page until it has."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            answer = self._check(request)
            if answer is not None:
                return answer
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        import time

        from django.conf import settings
        from django.contrib.auth import logout
        from django.shortcuts import redirect

        from jixiao.audit.services import audit_event

        session, now = request.session, int(time.time())
        login_at = session.get(LOGIN_AT_KEY)
        if not isinstance(login_at, int):
            session[LOGIN_AT_KEY] = login_at = now
        seen = session.get(SEEN_AT_KEY)
        seen = seen if isinstance(seen, int) else login_at
        idle = now - seen > settings.JIXIAO_SESSION_IDLE_SECONDS
        if idle or now - login_at > settings.JIXIAO_SESSION_ABSOLUTE_SECONDS:
            user = request.user
            audit_event(actor=user, action="session_expired", target="auth.user", target_id=str(user.pk),
                        summary="会话空闲超时" if idle else "会话超过最长时限")
            logout(request)
            return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
        if now - seen >= _SEEN_GRANULARITY:
            session[SEEN_AT_KEY] = now
        if session.get(MUST_CHANGE_KEY) and not request.path.startswith(_OPEN_WHEN_FORCED):
            return redirect("/account/password/")
        return None
