"""Security events of authentication into the audit trail: login, logout, a failed login and a
lockout (django-axes), each with time, actor, role, address, outcome and request id (the request
context). Receivers of Django's and axes' signals: they only record, they decide nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from jixiao.audit.services import audit_event
from jixiao.core.masking import mask_text


def _tried(credentials: dict[str, Any] | None) -> str:
    # Django cleans the credentials (the password is "********"); only the username is kept.
    return mask_text(str((credentials or {}).get("username", "")))[:150]


@receiver(user_logged_in, dispatch_uid="jixiao_audit_login")
def _login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        from django.utils import timezone

        from jixiao.org.middleware import LOGIN_AT_KEY, MUST_CHANGE_KEY, SEEN_AT_KEY
        from jixiao.org.services import password_state

        now = int(timezone.now().timestamp())
        request.session[LOGIN_AT_KEY] = request.session[SEEN_AT_KEY] = now
        must, expired = password_state(user)
        if (must or expired) and not getattr(user, "jixiao_ldap", False):  # the directory keeps its password
            request.session[MUST_CHANGE_KEY] = True
    audit_event(actor=user, action="login", target="auth.user", target_id=str(user.pk), summary="登录")


@receiver(user_logged_out, dispatch_uid="jixiao_audit_logout")
def _logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_event(actor=user, action="logout", target="auth.user", target_id=str(user.pk), summary="退出登录")


@receiver(user_login_failed, dispatch_uid="jixiao_audit_login_failed")
def _failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    name = _tried(credentials)
    audit_event(actor=None, action="login_failed", target="auth.user", summary="登录失败", outcome="failure",
                label=name)


def _locked_out(sender: Any, request: Any = None, username: str | None = None, ip_address: str | None = None,
                **kwargs: Any) -> None:
    audit_event(actor=None, action="lockout", target="auth.user", outcome="denied",
                summary=f"连续登录失败，已锁定（地址 {ip_address or '未知'}）", label=mask_text(username or "")[:150])


def connect() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="jixiao_audit_lockout")
