"""Attach the user's resolved :class:`~jixiao.org.scoping.Scope` to each request, lazily."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from jixiao.org.scoping import ANONYMOUS, Scope
from jixiao.org.selectors import scope_for_user


class ScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def resolve() -> Scope:
            user = request.user
            return scope_for_user(user) if user.is_authenticated else ANONYMOUS

        request.scope = SimpleLazyObject(resolve)  # type: ignore[attr-defined]
        return self.get_response(request)
