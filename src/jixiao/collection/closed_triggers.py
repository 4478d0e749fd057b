"""Closed periods enforced by the database: triggers on the ledger tables (values, incidents,
ballots) refuse INSERT, UPDATE and DELETE of a row whose period is closed (an UPDATE checks the
row's period before and after, so a row cannot be moved into or out of a closed period either).

The application refuses first, in Chinese (``jixiao.schemes.services.period_require_open``); the
triggers are the second wall, whatever the client (a shell, raw SQL, a bug). Vendor-specific SQL
for SQLite and PostgreSQL; migration 0007 creates them; the test suite's flush drops and recreates
them around its emptying of the tables, like the audit triggers (never done in production)."""

from __future__ import annotations

from typing import Any

TABLES = ("collection_value", "collection_incident", "collection_ballot")
PERIODS = "schemes_period"
MESSAGE = "period is closed"


def _closed(ref: str) -> str:
    return f"(SELECT status FROM {PERIODS} WHERE id = {ref}.period_id) = 'closed'"


def create_sql(vendor: str) -> list[str]:
    out: list[str] = []
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
            f"  IF EXISTS (SELECT 1 FROM {PERIODS} WHERE id = OLD.period_id AND status = 'closed') THEN "
            f"    RAISE EXCEPTION '{MESSAGE}'; END IF; "
            "END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; "
            f"IF EXISTS (SELECT 1 FROM {PERIODS} WHERE id = NEW.period_id AND status = 'closed') THEN "
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
