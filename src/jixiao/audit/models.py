"""The audit log: one row per write or security event, written by the same transaction as the
write; append-only (database triggers) and sealed into an SM3 hash chain."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """审计记录: one write by one actor (a user or a system job) to one record, with before/after,
    or one security event (登录、登出、登录失败、锁定、越权、导出…).

    ``target`` is ``app_label.model`` and ``target_id`` the primary key as text, so every table is
    covered without a generic foreign key. ``role``, ``address`` and ``request_id`` come from the
    request being served (empty for system jobs); ``outcome`` is success, failure or denied.
    Rows are never updated or deleted: database triggers refuse it (migration 0003), and
    :class:`AuditSeal` chains them.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(max_length=150, blank=True, help_text="username or system job name")
    role = models.CharField(max_length=100, blank=True, default="")
    address = models.CharField(max_length=45, blank=True, default="")
    request_id = models.CharField(max_length=64, blank=True, default="")
    outcome = models.CharField(max_length=12, default="success")
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


class AuditSeal(models.Model):
    """审计封印: the link of the hash chain for one audit entry, appended by the sealing step
    (``jixiao.audit.chain.audit_seal``) in the order of ``id``:
    ``hash = SM3(previous hash ‖ canonical JSON of the entry)``. Writers never touch it, so sealing
    does not serialise them; ``manage.py audit_verify`` recomputes the chain."""

    entry_id = models.BigIntegerField(unique=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.hash[:12]}"
