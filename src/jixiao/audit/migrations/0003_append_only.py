"""Audit tables become append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL)."""

from typing import Any

from django.db import migrations

from jixiao.audit.triggers import create_sql, drop_sql, run


def forwards(apps: Any, schema_editor: Any) -> None:
    run(schema_editor.connection, create_sql(schema_editor.connection.vendor))


def backwards(apps: Any, schema_editor: Any) -> None:
    run(schema_editor.connection, drop_sql(schema_editor.connection.vendor))


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_level3")]
    operations = [migrations.RunPython(forwards, backwards)]
