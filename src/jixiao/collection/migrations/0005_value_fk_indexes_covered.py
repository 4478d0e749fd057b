"""collection_value loses its single-column indexes on assessment_id and object_id: the unique
constraint (assessment_id, period_id, object_id, indicator, variable) starts with the first and the
(object_id, period_id) index with the second, so they served no query and slowed every write.

The indexes are dropped by name rather than by Django's AlterField, which on SQLite would copy the
whole table twice to drop two indexes."""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {"collection_value_assessment_id_4d5d1d2b": "assessment_id",
           "collection_value_object_id_0d624f7c": "object_id"}


class Migration(migrations.Migration):

    dependencies = [
        ('collection', '0004_importjob_heartbeat'),
        ('org', '0001_initial'),
        ('schemes', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{name}"',
                                  reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "collection_value" ("{column}")')
                for name, column in INDEXES.items()],
            state_operations=[
                migrations.AlterField(
                    model_name='value',
                    name='assessment',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                            related_name='values', to='schemes.assessment'),
                ),
                migrations.AlterField(
                    model_name='value',
                    name='object',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name='values', to='org.assessedobject'),
                ),
            ],
        ),
    ]
