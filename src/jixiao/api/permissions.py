"""Who the API is talking to: the request's scope, resolved after DRF has authenticated.

The scope middleware resolves ``request.scope`` lazily from ``request.user``. DRF authenticates
tokens inside the view (and then sets the user on the underlying request), so the scope is
re-resolved here whenever it was built for another user than the one DRF authenticated.
"""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from jixiao.org.scoping import ANONYMOUS, Scope
from jixiao.org.selectors import scope_for_user

# Token first so that an unauthenticated call gets 401 with ``WWW-Authenticate: Token``.
AUTHENTICATION = [TokenAuthentication, SessionAuthentication]
PERMISSIONS = [IsAuthenticated]


def scope_of(request: Request) -> Scope:
    """The scope of the user DRF authenticated (session or token)."""
    user = request.user
    user_id = int(user.pk) if user is not None and user.is_authenticated else None
    if user_id is None:
        return ANONYMOUS
    raw: Any = request._request
    scope: Scope | None = getattr(raw, "scope", None)
    if scope is None or scope.user_id != user_id:
        scope = scope_for_user(user)
        raw.scope = scope
    return scope


def sees_reference(scope: Scope) -> bool:
    """Categories, schemes, assessments and periods are visible to anyone the organisation knows:
    a role or a person record. An account with neither sees nothing."""
    return scope.office or bool(scope.roles) or scope.person_id is not None
