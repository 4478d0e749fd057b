"""Closed periods enforced by the database: triggers on values, incidents and ballots refuse every
write to a row of a closed period, but for a recorded correction's own transaction (the override
table); jixiao.collection.closed_triggers."""

from typing import Any

from django.db import migrations

from jixiao.collection.closed_triggers import OVERRIDE, create_sql, drop_sql, run


def forwards(apps: Any, schema_editor: Any) -> None:
    run(schema_editor.connection, create_sql(schema_editor.connection.vendor))


def backwards(apps: Any, schema_editor: Any) -> None:
    run(schema_editor.connection, drop_sql(schema_editor.connection.vendor) + [f"DROP TABLE IF EXISTS {OVERRIDE}"])


class Migration(migrations.Migration):
    dependencies = [("collection", "0006_recording_counts"), ("schemes", "0003_organisation_required")]
    operations = [migrations.RunPython(forwards, backwards)]
