"""The SM3 hash chain over the audit log (审计日志完整性).

Design: writers only INSERT their entry (no lock, no read of the previous hash), so hundreds of
writes per second never queue behind each other for the chain. A sealing step
(:func:`audit_seal`, run by ``manage.py audit_seal`` from the scheduler/worker, and by
``audit_verify`` before it checks) takes the entries not yet sealed, in id order, and appends one
:class:`~jixiao.audit.models.AuditSeal` per entry:

    hash = SM3(previous hash ‖ canonical JSON of the entry)      (the first link starts from 64 × "0")

The chain's order is the seals' order, so an entry whose transaction commits after a later id was
already sealed is simply sealed in the next batch. One sealer at a time: a PostgreSQL advisory
lock (SQLite's write lock serialises anyway). Both tables are append-only (triggers), so changing
an entry — or deleting it — shows as a broken link, which :func:`audit_verify` names.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import connection, transaction

from jixiao.audit.models import AuditEntry, AuditSeal
from jixiao.core.sm import sm3_hex

GENESIS = "0" * 64
BATCH = 2000
_LOCK_KEY = 0x6A697861  # "jixa"
FIELDS = ("id", "at", "actor_id", "actor_label", "role", "address", "request_id", "outcome", "action", "target",
          "target_id", "summary", "before", "after")


def canonical(row: dict[str, Any]) -> bytes:
    """The entry as canonical JSON: sorted keys, no spaces, UTC time in ISO 8601 to microseconds."""
    data = {k: row[k] for k in FIELDS}
    at = row["at"]
    data["at"] = (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def link(previous: str, row: dict[str, Any]) -> str:
    return sm3_hex(previous.encode("ascii") + canonical(row))


def _rows(ids: list[int]) -> dict[int, dict[str, Any]]:
    return {r["id"]: r for r in AuditEntry.objects.filter(pk__in=ids).values(*FIELDS)}


def audit_seal(*, limit: int | None = None) -> int:
    """Seal the entries not yet in the chain, in batches; returns how many were sealed."""
    done = 0
    while limit is None or done < limit:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
            last = AuditSeal.objects.order_by("-id").values_list("entry_id", "hash").first()
            previous = last[1] if last else GENESIS
            start = last[0] if last else 0
            # Entries above the last sealed id first (the common case: an index range), then any
            # older one whose transaction committed late.
            ids = list(AuditEntry.objects.filter(pk__gt=start).order_by("pk").values_list("pk", flat=True)[:BATCH])
            late = list(AuditEntry.objects.filter(pk__lt=start).exclude(
                pk__in=AuditSeal.objects.values("entry_id")).order_by("pk").values_list("pk", flat=True)[:BATCH]) \
                if start else []
            batch = late + ids
            if not batch:
                break
            rows = _rows(batch)
            seals = []
            for pk in batch:
                previous = link(previous, rows[pk])
                seals.append(AuditSeal(entry_id=pk, hash=previous))
            AuditSeal.objects.bulk_create(seals)
            done += len(seals)
            if len(ids) < BATCH and not late:
                break
    return done


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    unsealed: int
    broken_entry: int | None = None  # the first entry whose link does not match
    reason: str = ""


def _seals() -> Iterator[list[tuple[int, str]]]:
    last = 0
    while True:
        chunk = list(AuditSeal.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "entry_id", "hash")[:BATCH])
        if not chunk:
            return
        last = chunk[-1][0]
        yield [(e, h) for _, e, h in chunk]


def audit_verify() -> Verdict:
    """Recompute the chain from the first link; name the first entry that was changed or deleted."""
    previous, checked = GENESIS, 0
    for chunk in _seals():
        rows = _rows([e for e, _ in chunk])
        for entry_id, stored in chunk:
            row = rows.get(entry_id)
            if row is None:
                return Verdict(False, checked, 0, entry_id, "记录已被删除")
            expected = link(previous, row)
            if expected != stored:
                return Verdict(False, checked, 0, entry_id, "记录内容与哈希链不符（已被篡改）")
            previous, checked = stored, checked + 1
    unsealed = AuditEntry.objects.exclude(pk__in=AuditSeal.objects.values("entry_id")).count()
    return Verdict(True, checked, unsealed)
