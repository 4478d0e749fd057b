"""The liaison's phone (联系电话) is encrypted at rest with SM4-GCM (jixiao.core.fields): the column
becomes text, and the phones already stored are encrypted in place under the active key."""

from typing import Any

from django.db import migrations

import jixiao.core.fields

AAD = "supervision.matter.liaison_phone"


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    jixiao.core.fields.reencrypt_column(schema_editor.connection, "supervision_matter", "liaison_phone", AAD,
                                       only_clear=True)


def decrypt_existing(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cur:
        cur.execute("SELECT id, liaison_phone FROM supervision_matter WHERE liaison_phone LIKE 'sm4gcm:%%'")
        rows = [(jixiao.core.fields.decrypt_text(v, AAD)[:30], pk) for pk, v in cur.fetchall()]
        cur.executemany("UPDATE supervision_matter SET liaison_phone = %s WHERE id = %s", rows)


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0003_organisation_required'),
    ]

    operations = [
        migrations.AlterField(
            model_name='matter',
            name='liaison_phone',
            field=jixiao.core.fields.SM4EncryptedField(blank=True, help_text='联系电话, SM4-GCM encrypted at rest; masked on screens'),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
