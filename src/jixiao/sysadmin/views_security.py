"""安全管理: the security administrator's pages — the accounts of the organisation with their
lockout and two-step state, lock and unlock, reset of an authenticator, and the password and
session policy in force. Refused to everyone else (三员分立)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jixiao.core import passwords
from jixiao.core.refusals import message_refusals
from jixiao.org.models import RoleGrant
from jixiao.org.scoping import Scope, scope_of
from jixiao.org.selectors import organisation_of
from jixiao.org.services import account_lock, account_unlock
from jixiao.sysadmin.mfa import MFA_ROLES, mfa_reset
from jixiao.sysadmin.selectors import account_of_org_get, accounts_of_org, devices_of, locked_usernames

PAGE = 100


def _security_admin(request: HttpRequest) -> Scope:
    scope = scope_of(request)
    if RoleGrant.Role.SECURITY_ADMIN not in scope.roles:
        raise PermissionDenied("只有安全管理员可以管理账号锁定和两步验证")
    return scope


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    scope = _security_admin(request)
    page = Paginator(accounts_of_org(scope=scope), PAGE).get_page(request.GET.get("page"))
    users = list(page.object_list)
    locked = locked_usernames(usernames=[u.username for u in users])
    devices = devices_of(users=[u.pk for u in users])
    rows = [{"user": u, "locked": u.username in locked, "mfa": devices.get(u.pk, False),
             "roles": "、".join(g.get_role_display() for g in u.grants.all()),
             "self": u.pk == request.user.pk} for u in users]
    return render(request, "sysadmin/security.html", {"rows": rows, "page": page,
                                                      "organisation": organisation_of(scope=scope)})


@login_required
@require_GET
def policy(request: HttpRequest) -> HttpResponse:
    _security_admin(request)
    roles = "、".join(str(RoleGrant.Role(r).label) for r in MFA_ROLES)
    items = [
        ("密码最短长度", f"{passwords.MIN_LENGTH} 个字符；管理员 {passwords.MIN_LENGTH_ADMIN} 个字符"),
        ("字符类别", f"大写字母、小写字母、数字、符号中至少 {passwords.MIN_CLASSES} 类"),
        ("其他规则", "不得与用户名相同或包含用户名；不得是常见密码"),
        ("密码有效期", f"{settings.JIXIAO_PASSWORD_MAX_AGE_DAYS} 天（0 表示不过期），过期后登录须先修改"),
        ("登录失败锁定", f"30 分钟内连续失败 {settings.AXES_FAILURE_LIMIT} 次锁定账号和来源地址 "
                     f"{int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} 分钟"),
        ("会话超时", f"空闲 {settings.JIXIAO_SESSION_IDLE_SECONDS // 60} 分钟，最长 "
                 f"{settings.JIXIAO_SESSION_ABSOLUTE_SECONDS // 3600} 小时"),
        ("长期未使用账号", f"{settings.JIXIAO_ACCOUNT_INACTIVE_DAYS} 天未登录自动停用（0 表示不停用）"),
        ("两步验证", f"{'已强制' if settings.JIXIAO_MFA_REQUIRED else '未强制（JIXIAO_MFA_REQUIRED 关闭）'}："
                 f"{roles}须使用验证器动态验证码登录"),
    ]
    return render(request, "sysadmin/policy.html", {"items": items})


def _act(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    scope = _security_admin(request)
    user = account_of_org_get(scope=scope, pk=pk)
    with message_refusals(request):
        if what == "lock":
            account_lock(actor=request.user, user=user)
            messages.success(request, f"已锁定账号 {user.username}，其所有会话已结束。")
        elif what == "unlock":
            account_unlock(actor=request.user, user=user)
            messages.success(request, f"已解锁账号 {user.username}。")
        else:
            n = mfa_reset(actor=request.user, user=user)
            messages.success(request, f"已重置 {user.username} 的两步验证（移除 {n} 个验证器），下次登录须重新设置。")
    return redirect("system:security")


@login_required
@require_POST
def lock(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "lock")


@login_required
@require_POST
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "unlock")


@login_required
@require_POST
def mfa_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "mfa")
