"""``manage.py archive_year <assessment code> [--out file]``: close a year into one ZIP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.core.errors import ServiceError
from jixiao.org.scoping import Scope
from jixiao.outcomes.services import year_archive
from jixiao.schemes.models import Assessment


class Command(BaseCommand):
    help = "年度归档：把一个考核年度打包为一个 ZIP（附每个文件的 SHA-256 清单）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("assessment")
        parser.add_argument("--out", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        a = Assessment.objects.filter(code=options["assessment"]).first()
        if a is None:
            raise CommandError(f"没有考核 {options['assessment']}")
        scope = Scope(user_id=None, office=True, every_organisation=True)
        try:
            archive = year_archive(actor=None, scope=scope, assessment=a)
        except ServiceError as e:
            raise CommandError(e.message) from None
        if options["out"]:
            with archive.file.open("rb") as fh:
                Path(options["out"]).write_bytes(fh.read())
        self.stdout.write(f"已归档：{archive.file.name}（{archive.files} 个文件，SHA-256 {archive.sha256}）")
