"""API tokens for data-source systems, stored hashed with an expiry."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """接口令牌: the credential a data-source system sends as ``Authorization: Token <key>``.

    Only the SHA-256 of the key is stored (the key has 160 random bits, so a plain hash suffices
    and lookups stay one indexed query); ``prefix`` (its first 6 characters) lets an administrator
    recognise it. One per account: issuing again rotates it. Refused after ``expires_at``.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"
