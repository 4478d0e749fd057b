"""Deployment check (``manage.py check --deploy``): no demo account with its published password in
production (no default accounts). ``demo_load`` itself is refused in production; this catches a
database loaded before the switch, or copied from a demo machine. A dozen password checks, once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def no_demo_accounts_in_production(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    from django.contrib.auth.models import User

    from jixiao.demo.builder import ACCOUNTS, PASSWORD

    try:
        users = list(User.objects.filter(is_active=True, username__in=[a.username for a in ACCOUNTS]))
    except DatabaseError:  # no database yet (before the first migrate): nothing to check
        return []
    open_ = sorted(u.username for u in users if u.check_password(PASSWORD))
    if not open_:
        return []
    return [Warning(f"生产环境存在使用公开演示密码的账号：{'、'.join(open_)}。请停用这些账号或由系统管理员重置密码。",
                    id="jixiao.W002")]
