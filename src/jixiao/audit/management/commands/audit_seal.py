"""``manage.py audit_seal``: append the pending audit entries to the SM3 hash chain (run it every
minute from cron or the scheduler; it is cheap when nothing is pending)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jixiao.audit.chain import audit_seal


class Command(BaseCommand):
    help = "Seal pending audit entries into the SM3 hash chain."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"已封存 {audit_seal()} 条审计记录")
