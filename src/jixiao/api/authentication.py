"""``Authorization: Token <key>`` against the hashed, expiring tokens of :class:`ApiToken`."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from jixiao.api.models import ApiToken


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class HashedTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
        if token is None or token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed("令牌无效或已过期")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("账号已停用")
        return token.user, token
