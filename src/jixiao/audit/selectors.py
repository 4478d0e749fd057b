"""Reading the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from jixiao.audit.models import AuditEntry


def audit_for(*, target: str, target_id: str | int) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(target=target, target_id=str(target_id)).order_by("-at", "-id")
