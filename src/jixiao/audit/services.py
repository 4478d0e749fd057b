"""Writing audit entries; called from inside every other service's transaction."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, models
from django.utils import timezone

from jixiao.audit.models import AuditEntry
from jixiao.core.bulk import now_for_db, rows_insert

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


_COLUMNS = ("at", "actor_id", "actor_label", "action", "target", "target_id", "summary", "before", "after")


@functools.cache
def _insert_sql(returning: bool) -> str:
    q = connection.ops.quote_name
    sql = (f"INSERT INTO {q(AuditEntry._meta.db_table)} ({', '.join(q(c) for c in _COLUMNS)}) "
           f"VALUES ({', '.join(['%s'] * len(_COLUMNS))})")
    return f"{sql} RETURNING {q('id')}" if returning else sql


def audit_record(*, actor: Actor, action: str, instance: models.Model, before: dict[str, Any] | None = None,
                 after: dict[str, Any] | None = None, summary: str = "", system: str | None = None) -> AuditEntry:
    """Record one write. Call inside the writing transaction so both land or neither does.

    One INSERT and nothing else: every write of the application passes here, and the model's save
    machinery would cost several times the statement."""
    user, label = _label(actor, system)
    entry = AuditEntry(at=timezone.now(), actor=user, actor_label=label, action=action,
                       target=instance._meta.label_lower, target_id=str(instance.pk), summary=summary[:300],
                       before=before, after=after)
    returning = connection.features.can_return_columns_from_insert
    with connection.cursor() as cur:
        cur.execute(_insert_sql(returning), [
            connection.ops.adapt_datetimefield_value(entry.at), user.pk if user is not None else None, label, action,
            entry.target, entry.target_id, entry.summary, None if before is None else json.dumps(before),
            None if after is None else json.dumps(after)])
        entry.pk = cur.fetchone()[0] if returning else cur.lastrowid
    entry._state.adding, entry._state.db = False, connection.alias
    return entry


def audit_record_many(*, actor: Actor, action: str, target: str, rows: Iterable[tuple[str, dict[str, Any] | None,
                      dict[str, Any] | None]], summary: str = "", system: str | None = None) -> int:
    """Record a bulk write (imports, API upserts) as one entry per changed record, in one
    executemany (tens of thousands of entries for a large import)."""
    user, label = _label(actor, system)
    at, uid, text = now_for_db(), user.pk if user is not None else None, summary[:300]
    data = [(at, uid, label, action, target, tid, text, None if b is None else json.dumps(b),
             None if a is None else json.dumps(a)) for tid, b, a in rows]
    rows_insert(AuditEntry, ["at", "actor_id", "actor_label", "action", "target", "target_id", "summary", "before",
                             "after"], data)
    return len(data)
