"""``manage.py restore <dir>``: into an empty database, after checking the manifest's seal and every
file's SM3 digest; success is reported only once the row counts, the audit log's hash chain and
the result and publication seals all verify (jixiao.ops.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.audit.services import audit_event
from jixiao.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database; verify counts, the audit chain and the seals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            got = restore(options["directory"], log=self.stdout.write)
        except BackupError as e:
            raise CommandError(str(e)) from None
        audit_event(actor=None, system="restore", action="restore", target="database",
                    summary=f"从 {options['directory']} 恢复（备份于 {got['created_at']}），校验通过",
                    after={"rows": got["rows"], "files": got["files"], "audit_checked": got["audit_checked"]})
        self.stdout.write(f"恢复完成并通过校验：{got['rows']} 行、{got['files']} 个上传文件，"
                          f"审计哈希链 {got['audit_checked']} 条完好，考核结果与公示封印完好")
