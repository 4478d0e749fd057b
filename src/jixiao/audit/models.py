"""The audit log: one row per write, written by the same transaction as the write."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """审计记录: one write by one actor (a user or a system job) to one record, with before/after.

    ``target`` is ``app_label.model`` and ``target_id`` the primary key as text, so every table is
    covered without a generic foreign key. Later (MLPS level 3) each row will also carry the hash
    of the previous one; rows are never updated or deleted.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(max_length=150, blank=True, help_text="username or system job name")
    action = models.CharField(max_length=40)
    target = models.CharField(max_length=60)
    target_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["target", "target_id", "at"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target}#{self.target_id}"
