"""``manage.py archive_verify <zip>``: check a year archive against its manifest."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.outcomes.manifest import verify


class Command(BaseCommand):
    help = "校验年度归档包：清单中每个文件的 SHA-256、缺少或多出的文件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("zip")
        parser.add_argument("--sha256", default="", help="归档时记录的整个文件的 SHA-256（可选）")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify(options["zip"], options["sha256"])
        if problems:
            raise CommandError("归档校验未通过：\n" + "\n".join(problems))
        self.stdout.write("归档完整：清单中的每个文件校验一致")
