"""Who the API is talking to: the request's scope, resolved after DRF has authenticated.

The scope middleware resolves ``request.scope`` lazily from ``request.user``. DRF authenticates
tokens inside the view (and then sets the user on the underlying request), so the scope is
re-resolved here whenever it was built for another user than the one DRF authenticated.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from jixiao.api.authentication import HashedTokenAuthentication
from jixiao.org.models import Organisation
from jixiao.org.scoping import ANONYMOUS, Scope
from jixiao.org.selectors import scope_for_user

# Token first so that an unauthenticated call gets 401 with ``WWW-Authenticate: Token``.
AUTHENTICATION = [HashedTokenAuthentication, SessionAuthentication]
PERMISSIONS = [IsAuthenticated]


# A client of several organisations (an office admin's token) names the one it works in; without
# the header it works in the user's first (as a session does until he switches).
ORGANISATION_HEADER = "X-Jixiao-Organisation"


def scope_of(request: Request) -> Scope:
    """The scope of the user DRF authenticated (session or token), in the organisation the
    ``X-Jixiao-Organisation`` header names by code, if any (refused when the user has no role there)."""
    user = request.user
    user_id = int(user.pk) if user is not None and user.is_authenticated else None
    if user_id is None:
        return ANONYMOUS
    raw: Any = request._request
    wanted = (request.headers.get(ORGANISATION_HEADER) or "").strip()
    scope: Scope | None = getattr(raw, "scope", None)
    if wanted:
        org_id = Organisation.objects.filter(code=wanted).values_list("id", flat=True).first()
        if scope is None or scope.user_id != user_id or scope.organisation_id != org_id:
            scope = scope_for_user(user, organisation_id=org_id)
        if org_id is None or scope.organisation_id != org_id:
            raise exceptions.PermissionDenied(f"您在组织“{wanted}”没有任何角色（{ORGANISATION_HEADER}）")
        raw.scope = scope
        return scope
    if scope is None or scope.user_id != user_id:
        scope = scope_for_user(user)
        raw.scope = scope
    return scope


def sees_reference(scope: Scope) -> bool:
    """Categories, schemes, assessments and periods are visible to anyone the organisation knows:
    a role or a person record. An account with neither sees nothing."""
    return scope.office or bool(scope.roles) or scope.person_id is not None
