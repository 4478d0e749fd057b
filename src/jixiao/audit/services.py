"""Writing audit entries; called from inside every other service's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from jixiao.audit.models import AuditEntry

# Who did it: a signed-in user, or None/anonymous for system jobs (named by ``system``).
Actor = User | AnonymousUser | None


def user_of(actor: Actor) -> User | None:
    """The user to store in a ``*_by`` column, None for system jobs."""
    return actor if isinstance(actor, User) else None


def _label(actor: Actor, system: str | None) -> tuple[User | None, str]:
    user = user_of(actor)
    if user is not None:
        return user, user.get_username()
    return None, system or "system"


def audit_record(*, actor: Actor, action: str, instance: models.Model, before: dict[str, Any] | None = None,
                 after: dict[str, Any] | None = None, summary: str = "", system: str | None = None) -> AuditEntry:
    """Record one write. Call inside the writing transaction so both land or neither does."""
    user, label = _label(actor, system)
    return AuditEntry.objects.create(
        actor=user, actor_label=label, action=action, target=instance._meta.label_lower,
        target_id=str(instance.pk), summary=summary[:300], before=before, after=after)


def audit_record_many(*, actor: Actor, action: str, target: str, rows: Iterable[tuple[str, dict[str, Any] | None,
                      dict[str, Any] | None]], summary: str = "", system: str | None = None) -> int:
    """Record a bulk write (imports, API upserts) as one entry per changed record, in one insert."""
    user, label = _label(actor, system)
    entries = [AuditEntry(actor=user, actor_label=label, action=action, target=target, target_id=tid,
                          summary=summary[:300], before=b, after=a) for tid, b, a in rows]
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)
