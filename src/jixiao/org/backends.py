"""Password login that also refuses an account unused for ``JIXIAO_ACCOUNT_INACTIVE_DAYS``: the
scheduler's sweep disables such accounts every minute, and this check closes the gap between
two sweeps (or a machine without the scheduler) — the account is disabled, audited, and the
login fails like any other."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class InactivityModelBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        from jixiao.org.services import account_disable, account_stale

        if account_stale(user):
            account_disable(actor=None, user=user, system="停用长期未使用账号")
            return False
        return True
