"""``manage.py audit_verify [--no-seal]``: seal what is pending, then recompute the SM3 hash chain
of the audit log; names the first broken link and exits non-zero when there is one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.audit.chain import audit_seal, audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's SM3 hash chain; name the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-seal", action="store_true", help="check only, do not seal pending entries first")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_seal"]:
            audit_seal()
        verdict = audit_verify()
        if not verdict.ok:
            raise CommandError(f"审计日志哈希链断裂：第一个断点为审计记录 #{verdict.broken_entry}（{verdict.reason}），"
                               f"此前 {verdict.checked} 条完好")
        self.stdout.write(f"审计日志哈希链完好：已校验 {verdict.checked} 条，待封存 {verdict.unsealed} 条")
