"""Append-only in the database: BEFORE UPDATE / DELETE triggers on the audit tables that raise,
whatever the client (the application, a shell, raw SQL). Vendor-specific SQL for SQLite and
PostgreSQL; the migration creates them, the test suite's flush drops and recreates them around
its own emptying of the tables (never done in production)."""

from __future__ import annotations

from typing import Any

TABLES = ("audit_auditentry", "audit_auditseal")
MESSAGE = "audit tables are append-only"


def create_sql(vendor: str) -> list[str]:
    out: list[str] = []
    if vendor == "sqlite":
        for t in TABLES:
            for op in ("UPDATE", "DELETE"):
                out.append(f"CREATE TRIGGER IF NOT EXISTS {t}_no_{op.lower()} BEFORE {op} ON {t} "
                           f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
    elif vendor == "postgresql":
        out.append("CREATE OR REPLACE FUNCTION jixiao_audit_append_only() RETURNS trigger AS $$ "
                   f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql")
        for t in TABLES:
            out.append(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}")
            out.append(f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
                       "FOR EACH ROW EXECUTE FUNCTION jixiao_audit_append_only()")
            out.append(f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t}")
            out.append(f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION jixiao_audit_append_only()")
    return out


def drop_sql(vendor: str) -> list[str]:
    out: list[str] = []
    if vendor == "sqlite":
        for t in TABLES:
            out += [f"DROP TRIGGER IF EXISTS {t}_no_update", f"DROP TRIGGER IF EXISTS {t}_no_delete"]
    elif vendor == "postgresql":
        for t in TABLES:
            out += [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}", f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t}"]
    return out


def run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)
