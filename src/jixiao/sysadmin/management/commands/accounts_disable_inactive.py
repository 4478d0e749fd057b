"""Disable the accounts unused for JIXIAO_ACCOUNT_INACTIVE_DAYS (default 90) — what the scheduler's
sweep does every minute, for an installation that runs it from cron instead (daily is enough)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jixiao.org.services import accounts_inactive_disable


class Command(BaseCommand):
    help = "Disable (and audit) the accounts unused for JIXIAO_ACCOUNT_INACTIVE_DAYS days; their sessions end."

    def handle(self, *args: Any, **options: Any) -> None:
        done = accounts_inactive_disable()
        self.stdout.write(f"停用长期未使用账号 {len(done)} 个")
