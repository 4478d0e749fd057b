"""The ledger's pages for the full recompute (see jixiao.scoring.ledger_pages)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def store_uncompressed(apps: Any, schema_editor: Any) -> None:
    """PostgreSQL compresses every value over 2 kB (pglz) before storing it: for the megabytes of
    node scores and ledger pages (the latter already lz4-compressed) that cost most of a full
    recompute's writing. Stored as they are instead."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ("scoring_categoryscores", "scoring_categoryscorespage", "scoring_ledgerpage"):
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN data SET STORAGE EXTERNAL")


class Migration(migrations.Migration):

    dependencies = [
        ('schemes', '0003_organisation_required'),
        ('scoring', '0004_categoryscorespage'),
    ]

    operations = [
        migrations.CreateModel(
            name='LedgerPages',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('built_at', models.DateTimeField()),
                ('assessment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schemes.assessment')),
            ],
        ),
        migrations.CreateModel(
            name='LedgerPage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('page', models.PositiveIntegerField()),
                ('rows', models.PositiveIntegerField(default=0)),
                ('data', models.BinaryField()),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schemes.assessment')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('assessment', 'page'), name='unique_ledger_page')],
            },
        ),
        migrations.RunPython(store_uncompressed, migrations.RunPython.noop),
    ]
