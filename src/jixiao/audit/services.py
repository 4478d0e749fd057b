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
from jixiao.core.masking import mask_text, mask_value
from jixiao.core.requestctx import current

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


_COLUMNS = ("at", "actor_id", "actor_label", "role", "address", "request_id", "outcome", "action", "target",
            "target_id", "summary", "before", "after")
OUTCOMES = ("success", "failure", "denied")


def _context() -> tuple[str, str, str]:
    """(role, address, request id) of the request being served; empty for system jobs."""
    ctx = current()
    if ctx is None:
        return "", "", ""
    return ctx.role(), ctx.address, ctx.request_id


def _dump(value: dict[str, Any] | None) -> str | None:
    """Before/after as stored: secrets removed, phone and ID numbers masked."""
    return None if value is None else json.dumps(mask_value(value), ensure_ascii=False)


@functools.cache
def _insert_sql(returning: bool) -> str:
    q = connection.ops.quote_name
    sql = (f"INSERT INTO {q(AuditEntry._meta.db_table)} ({', '.join(q(c) for c in _COLUMNS)}) "
           f"VALUES ({', '.join(['%s'] * len(_COLUMNS))})")
    return f"{sql} RETURNING {q('id')}" if returning else sql


def _insert(*, user: User | None, label: str, action: str, target: str, target_id: str, summary: str,
            before: dict[str, Any] | None, after: dict[str, Any] | None, outcome: str) -> AuditEntry:
    role, address, request_id = _context()
    entry = AuditEntry(at=timezone.now(), actor=user, actor_label=mask_text(label)[:150], role=role, address=address,
                       request_id=request_id, outcome=outcome, action=action, target=target,
                       target_id=target_id[:64], summary=mask_text(summary)[:300])
    returning = connection.features.can_return_columns_from_insert
    with connection.cursor() as cur:
        cur.execute(_insert_sql(returning), [
            connection.ops.adapt_datetimefield_value(entry.at), user.pk if user is not None else None,
            entry.actor_label, role, address, request_id, outcome, action, target, entry.target_id, entry.summary,
            _dump(before), _dump(after)])
        entry.pk = cur.fetchone()[0] if returning else cur.lastrowid
    entry._state.adding, entry._state.db = False, connection.alias
    return entry


def audit_record(*, actor: Actor, action: str, instance: models.Model, before: dict[str, Any] | None = None,
                 after: dict[str, Any] | None = None, summary: str = "", system: str | None = None,
                 outcome: str = "success") -> AuditEntry:
    """Record one write. Call inside the writing transaction so both land or neither does (if the
    entry cannot be written, the write fails with it: the audit fails closed).

    One INSERT and nothing else: every write of the application passes here, and the model's save
    machinery would cost several times the statement. The hash chain is computed later by the
    sealing step (jixiao.audit.chain), so writers never wait on each other for it."""
    user, label = _label(actor, system)
    return _insert(user=user, label=label, action=action, target=instance._meta.label_lower,
                   target_id=str(instance.pk), summary=summary, before=before, after=after, outcome=outcome)


def audit_event(*, actor: Actor, action: str, target: str = "security", target_id: str = "", summary: str = "",
                outcome: str = "success", after: dict[str, Any] | None = None,
                system: str | None = None, label: str | None = None) -> AuditEntry:
    """Record a security event that changes no record: login, logout, a failed login (``label``:
    the username that was tried), a lockout, a refusal, an export or a download."""
    user, default_label = _label(actor, system)
    return _insert(user=user, label=label if label is not None else default_label, action=action, target=target,
                   target_id=target_id, summary=summary, before=None, after=after, outcome=outcome)


def audit_record_many(*, actor: Actor, action: str, target: str, rows: Iterable[tuple[str, dict[str, Any] | None,
                      dict[str, Any] | None]], summary: str = "", system: str | None = None) -> int:
    """Record a bulk write (imports, API upserts) as one entry per changed record, in one
    executemany (tens of thousands of entries for a large import)."""
    user, label = _label(actor, system)
    role, address, request_id = _context()
    at, uid, text = now_for_db(), user.pk if user is not None else None, mask_text(summary)[:300]
    data = [(at, uid, label, role, address, request_id, "success", action, target, tid, text, _dump(b), _dump(a))
            for tid, b, a in rows]
    rows_insert(AuditEntry, list(_COLUMNS), data)
    return len(data)
