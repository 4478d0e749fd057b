"""Deployment checks of the accounts (``manage.py check --deploy``): no superuser and no demo
account in production (三员分立: administration goes through the three administrators' roles)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

DEMO_ACCOUNTS = ("office", "demo")


@register(Tags.security, deploy=True)
def no_superuser_in_production(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    from django.contrib.auth.models import User

    try:
        superusers = list(User.objects.filter(is_superuser=True, is_active=True).values_list("username", flat=True)[:5])
    except DatabaseError:  # no database yet (before the first migrate): nothing to check
        return []
    if not superusers:
        return []
    names = "、".join(superusers)
    return [Warning(f"生产环境存在超级用户：{names}。请改用系统管理员、安全管理员、审计管理员角色并停用超级用户。",
                    id="jixiao.W001")]
