"""``manage.py pii_rekey [--dry-run]``: re-encrypt every SM4-encrypted column (personal data at
rest, jixiao.core.fields) under the active key — the first of ``JIXIAO_SM4_KEYS``.

Key rotation: put the new key first in ``JIXIAO_SM4_KEYS`` and keep the old one after it
(``JIXIAO_SM4_KEYS=k2:<new hex>,k1:<old hex>``), restart, run ``pii_rekey``; once it reports every
value under the new key, the old key can be dropped from the ring. Audited (no clear value)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from jixiao.audit.services import audit_event
from jixiao.core.fields import active_key_id, encrypted_fields, key_id_of, reencrypt_column


class Command(BaseCommand):
    help = "Re-encrypt personal data (SM4-GCM columns) under the active key of JIXIAO_SM4_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count the values by key, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        active = active_key_id()
        total = 0
        for field in encrypted_fields():
            model = field.model
            assert model._meta.pk is not None and field.column is not None and model._meta.pk.column is not None
            table, column, pk = model._meta.db_table, field.column, model._meta.pk.column
            if options["dry_run"]:
                with connection.cursor() as cur:
                    cur.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''")
                    keys = Counter(key_id_of(v) or "（未加密）" for (v,) in cur.fetchall())
                self.stdout.write(f"{model._meta.label}.{field.name}: " + (
                    "，".join(f"{k} {n} 条" for k, n in sorted(keys.items())) or "无数据"))
                continue
            with transaction.atomic():
                n = reencrypt_column(connection, table, column, field.aad(), pk=pk)
                audit_event(actor=None, system="pii_rekey", action="pii_rekey", target=model._meta.label_lower,
                            summary=f"{field.name}: {n} 条改用密钥 {active}", after={"field": field.name, "rows": n,
                                                                               "key": active})
            total += n
            self.stdout.write(f"{model._meta.label}.{field.name}: {n} 条已改用密钥 {active} 加密")
        if not options["dry_run"]:
            self.stdout.write(f"完成：共重新加密 {total} 条个人信息，当前密钥 {active}")
