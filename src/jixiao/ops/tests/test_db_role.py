"""Checklist item 13 on PostgreSQL: the application's role (as ``manage.py db_grants`` prints it)
reads and writes rows but cannot change the schema, nor update or delete audit entries."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from jixiao.audit.services import audit_event
from jixiao.ops.dbrole import grant_sql

pytestmark = pytest.mark.postgres


@pytest.mark.django_db
def test_item_13_the_application_role_has_least_privilege(cast: object) -> None:
    audit_event(actor=None, action="probe", summary="探测")
    with connection.cursor() as cur:
        cur.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jixiao_app_test') "
                    "THEN CREATE ROLE jixiao_app_test NOLOGIN; END IF; END $$")
        for sql in grant_sql("jixiao_app_test", connection.introspection.table_names(), connection):
            cur.execute(sql)

    def as_app(sql: str) -> None:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL ROLE jixiao_app_test")
            cur.execute(sql)

    as_app("SELECT count(*) FROM auth_user")
    as_app("UPDATE org_unit SET name = name WHERE code = 'east'")
    as_app("INSERT INTO audit_auditentry (at, actor_label, role, address, request_id, outcome, action, target, "
           "target_id, summary) VALUES (now(), 'x', '', '', '', 'success', 'probe', 'x', '1', '')")
    for refused in ("UPDATE audit_auditentry SET summary = 'x'", "DELETE FROM audit_auditentry",
                    "CREATE TABLE jixiao_probe (id int)", "ALTER TABLE org_unit ADD COLUMN probe int",
                    "DROP TABLE org_unit"):
        with pytest.raises(DatabaseError, match=r"permission denied|must be owner|append-only"):
            as_app(refused)
