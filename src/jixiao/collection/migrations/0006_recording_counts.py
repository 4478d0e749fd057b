"""Recording counts kept by the recompute: the existing ledger counted once here, its history taken
as counted; from then on new history lines are born pending (the database default)."""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def count_ledger(apps: Any, schema_editor: Any) -> None:
    Value = apps.get_model("collection", "Value")
    RecordingCount = apps.get_model("collection", "RecordingCount")
    qs = (Value.objects.filter(status__in=("submitted", "verified"), value__isnull=False)
          .values_list("period_id", "object__category__code", "object__group", "object__unit_id", "indicator",
                       "variable")
          .annotate(n=models.Count("id")).order_by())
    sql, params = qs.query.sql_with_params()
    q = schema_editor.connection.ops.quote_name
    cols = ", ".join(q(c) for c in ("period_id", "category", "group", "unit_id", "indicator", "variable", "n"))
    with schema_editor.connection.cursor() as cur:
        cur.execute(f"INSERT INTO {q(RecordingCount._meta.db_table)} ({cols}) {sql}", params)


class Migration(migrations.Migration):

    dependencies = [
        ('collection', '0005_value_fk_indexes_covered'),
        ('org', '0003_organisation_required'),
        ('schemes', '0003_organisation_required'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RecordingCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('category', models.CharField(max_length=40)),
                ('group', models.CharField(blank=True, max_length=40)),
                ('indicator', models.CharField(max_length=40)),
                ('variable', models.CharField(max_length=40)),
                ('n', models.IntegerField()),
            ],
        ),
        migrations.AddField(
            model_name='valuechange',
            name='pending',
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddIndex(
            model_name='valuechange',
            index=models.Index(condition=models.Q(('pending', True)), fields=['value'], name='valuechange_pending'),
        ),
        migrations.AddField(
            model_name='recordingcount',
            name='period',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schemes.period'),
        ),
        migrations.AddField(
            model_name='recordingcount',
            name='unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.unit'),
        ),
        migrations.AddConstraint(
            model_name='recordingcount',
            constraint=models.UniqueConstraint(fields=('period', 'category', 'group', 'unit', 'indicator', 'variable'), name='unique_recording_count'),
        ),
        migrations.RunPython(count_ledger, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='valuechange',
            name='pending',
            field=models.BooleanField(db_default=True, default=True),
        ),
    ]
