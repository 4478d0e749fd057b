"""The application's least-privilege PostgreSQL role: read and write rows of the application's
tables, only SELECT and INSERT on the audit tables, no schema changes (migrations run as the
owner). ``manage.py db_grants <role>`` prints the statements for the installed tables."""

from __future__ import annotations

from typing import Any

APPEND_ONLY = ("audit_auditentry", "audit_auditseal")


def grant_sql(role: str, tables: list[str], connection: Any) -> list[str]:
    q = connection.ops.quote_name
    r = q(role)
    out = ["REVOKE CREATE ON SCHEMA public FROM PUBLIC", f"REVOKE CREATE ON SCHEMA public FROM {r}",
           f"GRANT USAGE ON SCHEMA public TO {r}"]
    for t in sorted(tables):
        rights = "SELECT, INSERT" if t in APPEND_ONLY else "SELECT, INSERT, UPDATE, DELETE"
        out.append(f"GRANT {rights} ON {q(t)} TO {r}")
    out.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}")
    return out
