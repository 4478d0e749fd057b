"""Reading the audit log."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from jixiao.audit.models import AuditEntry

# Event names in words, for the audit viewer (审计日志查看).
ACTIONS = {
    "login": "登录", "logout": "退出登录", "login_failed": "登录失败", "lockout": "锁定", "session_expired": "会话超时",
    "password_change": "修改密码", "password_reset": "重置密码", "account_disable": "停用账号", "grant": "授权",
    "refusal": "越权访问被拒绝", "export": "导出/下载", "create": "新建", "update": "修改", "delete": "删除",
    "move": "移动", "api_token_create": "签发接口令牌", "api_token_rotate": "更换接口令牌",
    "api_token_revoke": "吊销接口令牌",
    "account_enable": "启用账号", "account_lock": "锁定账号", "account_unlock": "解锁账号", "grant_remove": "撤销授权",
    "mfa_enrol": "启用两步验证", "mfa_reset": "重置两步验证", "mfa_verify": "两步验证", "import": "导入",
}
OUTCOMES = {"success": "成功", "failure": "失败", "denied": "拒绝"}


def audit_for(*, target: str, target_id: str | int) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(target=target, target_id=str(target_id)).order_by("-at", "-id")


def audit_entries(*, action: str = "", actor: str = "", outcome: str = "", day_from: dt.date | None = None,
                  day_to: dt.date | None = None) -> QuerySet[AuditEntry]:
    """The audit log for the audit administrator, newest first, filtered; one query per page."""
    qs = AuditEntry.objects.all()
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_label__iexact=actor)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if day_from:
        qs = qs.filter(at__date__gte=day_from)
    if day_to:
        qs = qs.filter(at__date__lte=day_to)
    return qs.order_by("-id")
