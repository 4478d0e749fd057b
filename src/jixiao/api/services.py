"""API tokens for data-source systems (``Authorization: Token <key>``), created and revoked with audit.

Only the key's SHA-256 is stored; the key is returned once. The audit entry names the account and
the key's prefix, never the key.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from jixiao.api.authentication import key_hash
from jixiao.api.models import ApiToken
from jixiao.audit.services import Actor, audit_record
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.models import RoleGrant


def _require_manager(actor: Actor) -> None:
    """Tokens are issued by the system (``manage.py api_token``), a system administrator (系统管理员)
    or a superuser."""
    if actor is None or getattr(actor, "is_superuser", False):
        return
    if not RoleGrant.objects.filter(user_id=actor.pk or 0, role=RoleGrant.Role.SYSTEM_ADMIN).exists():
        raise NotAllowed("只有系统管理员可以签发接口令牌")


@transaction.atomic
def api_token_create(*, actor: Actor, user: AbstractBaseUser, system: str | None = None, days: int | None = None,
                     key: str | None = None) -> str:
    """Issue a new token for ``user``, replacing (rotating) any previous one; returns the key.
    Valid ``days`` (default ``JIXIAO_API_TOKEN_DAYS``). ``key``: a given key (benchmarks only)."""
    _require_manager(actor)
    if not user.is_active:
        raise ServiceError(f"账号 {user.get_username()} 已停用", field="user")
    key = key or secrets.token_hex(20)
    rotated = ApiToken.objects.filter(user_id=user.pk).delete()[0] > 0
    token = ApiToken.objects.create(user_id=user.pk, key_hash=key_hash(key), prefix=key[:6],
                                    expires_at=timezone.now() + timedelta(days=days or settings.JIXIAO_API_TOKEN_DAYS))
    audit_record(actor=actor, action="api_token_rotate" if rotated else "api_token_create", instance=user,
                 after={"username": user.get_username(), "prefix": token.prefix,
                        "expires": token.expires_at.isoformat()},
                 summary=f"接口令牌 {user.get_username()}", system=system)
    return key


@transaction.atomic
def api_token_revoke(*, actor: Actor, user: AbstractBaseUser, system: str | None = None) -> bool:
    """Delete ``user``'s token; returns whether there was one."""
    _require_manager(actor)
    revoked = ApiToken.objects.filter(user_id=user.pk).delete()[0] > 0
    if revoked:
        audit_record(actor=actor, action="api_token_revoke", instance=user,
                     before={"username": user.get_username()}, summary=f"接口令牌 {user.get_username()}",
                     system=system)
    return revoked
