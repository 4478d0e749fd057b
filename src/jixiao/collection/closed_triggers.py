"""Closed periods enforced by the database: triggers on the ledger tables (values, incidents,
ballots) refuse INSERT, UPDATE and DELETE of a row whose period is closed (an UPDATE checks the
row's period before and after, so a row cannot be moved into or out of a closed period either).

One write path is allowed into a closed period: the office's correction on a decided appeal
(``value_correct``). It opens the wall for that period inside its own transaction only, through
:func:`closed_period_write`: a row in ``collection_closed_override`` inserted and deleted again
before the transaction ends, so no other connection ever sees it (and a rollback removes it).

The application refuses first, in Chinese (``jixiao.schemes.services.period_require_open``); the
triggers are the second wall, whatever the client (a shell, raw SQL, a bug). Vendor-specific SQL
for SQLite and PostgreSQL; migration 0007 creates them; the test suite's flush drops and recreates
them around its emptying of the tables, like the audit triggers (never done in production)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

TABLES = ("collection_value", "collection_incident", "collection_ballot")
PERIODS = "schemes_period"
OVERRIDE = "collection_closed_override"
MESSAGE = "period is closed"
OVERRIDE_SQL = f"CREATE TABLE IF NOT EXISTS {OVERRIDE} (period_id bigint PRIMARY KEY)"


def _closed(ref: str) -> str:
    return (f"((SELECT status FROM {PERIODS} WHERE id = {ref}.period_id) = 'closed' "
            f"AND NOT EXISTS (SELECT 1 FROM {OVERRIDE} WHERE period_id = {ref}.period_id))")


@contextmanager
def closed_period_write(period_id: int) -> Iterator[None]:
    """Let the enclosed writes (in the caller's transaction) reach a closed period's rows. Only for
    the recorded corrections of ``jixiao.collection.services.corrections``."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("closed_period_write needs the caller's transaction")
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {OVERRIDE} (period_id) VALUES (%s)", [period_id])
    yield
    # Not in a ``finally``: on an exception the transaction (or its savepoint) rolls back, row and all.
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {OVERRIDE} WHERE period_id = %s", [period_id])


def create_sql(vendor: str) -> list[str]:
    out: list[str] = [OVERRIDE_SQL]
    if vendor == "sqlite":
        for t in TABLES:
            out.append(f"CREATE TRIGGER IF NOT EXISTS {t}_closed_insert BEFORE INSERT ON {t} "
                       f"WHEN {_closed('NEW')} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
            out.append(f"CREATE TRIGGER IF NOT EXISTS {t}_closed_update BEFORE UPDATE ON {t} "
                       f"WHEN {_closed('OLD')} OR {_closed('NEW')} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
            out.append(f"CREATE TRIGGER IF NOT EXISTS {t}_closed_delete BEFORE DELETE ON {t} "
                       f"WHEN {_closed('OLD')} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
    elif vendor == "postgresql":
        # Nested IFs: OLD is not assigned for an INSERT nor NEW for a DELETE.
        out.append(
            "CREATE OR REPLACE FUNCTION jixiao_closed_period_guard() RETURNS trigger AS $$ BEGIN "
            "IF TG_OP <> 'INSERT' THEN "
            f"  IF EXISTS (SELECT 1 FROM {PERIODS} WHERE id = OLD.period_id AND status = 'closed') "
            f"     AND NOT EXISTS (SELECT 1 FROM {OVERRIDE} WHERE period_id = OLD.period_id) THEN "
            f"    RAISE EXCEPTION '{MESSAGE}'; END IF; "
            "END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; "
            f"IF EXISTS (SELECT 1 FROM {PERIODS} WHERE id = NEW.period_id AND status = 'closed') "
            f"   AND NOT EXISTS (SELECT 1 FROM {OVERRIDE} WHERE period_id = NEW.period_id) THEN "
            f"  RAISE EXCEPTION '{MESSAGE}'; END IF; "
            "RETURN NEW; END; $$ LANGUAGE plpgsql")
        for t in TABLES:
            out.append(f"DROP TRIGGER IF EXISTS {t}_closed_period ON {t}")
            out.append(f"CREATE TRIGGER {t}_closed_period BEFORE INSERT OR UPDATE OR DELETE ON {t} "
                       "FOR EACH ROW EXECUTE FUNCTION jixiao_closed_period_guard()")
    return out


def drop_sql(vendor: str) -> list[str]:
    out: list[str] = []
    if vendor == "sqlite":
        for t in TABLES:
            out += [f"DROP TRIGGER IF EXISTS {t}_closed_{op}" for op in ("insert", "update", "delete")]
    elif vendor == "postgresql":
        out += [f"DROP TRIGGER IF EXISTS {t}_closed_period ON {t}" for t in TABLES]
    return out


def run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)
