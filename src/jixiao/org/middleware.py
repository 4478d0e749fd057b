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
