"""API tokens for data-source systems (``Authorization: Token <key>``), created and revoked with audit.

The audit entry names the account, never the key: a token's primary key *is* the secret.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from rest_framework.authtoken.models import Token

from jixiao.audit.services import Actor, audit_record
from jixiao.core.errors import NotAllowed, ServiceError


def _require_manager(actor: Actor) -> None:
    """Tokens are issued by the system (``manage.py api_token``) or by a superuser."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise NotAllowed("只有系统管理员可以签发接口令牌")


@transaction.atomic
def api_token_create(*, actor: Actor, user: AbstractBaseUser, system: str | None = None) -> str:
    """Issue a new token for ``user``, replacing (rotating) any previous one; returns the key."""
    _require_manager(actor)
    if not user.is_active:
        raise ServiceError(f"账号 {user.get_username()} 已停用", field="user")
    rotated = Token.objects.filter(user_id=user.pk).delete()[0] > 0
    token = Token.objects.create(user_id=user.pk)
    audit_record(actor=actor, action="api_token_rotate" if rotated else "api_token_create", instance=user,
                 after={"username": user.get_username(), "created": token.created.isoformat()},
                 summary=f"接口令牌 {user.get_username()}", system=system)
    return str(token.key)


@transaction.atomic
def api_token_revoke(*, actor: Actor, user: AbstractBaseUser, system: str | None = None) -> bool:
    """Delete ``user``'s token; returns whether there was one."""
    _require_manager(actor)
    revoked = Token.objects.filter(user_id=user.pk).delete()[0] > 0
    if revoked:
        audit_record(actor=actor, action="api_token_revoke", instance=user,
                     before={"username": user.get_username()}, summary=f"接口令牌 {user.get_username()}",
                     system=system)
    return revoked
