"""Two-step login (两步验证, TOTP by django-otp): a one-time code from an authenticator app after
the password, for the office administrators and the three administrators (三员) when
``JIXIAO_MFA_REQUIRED`` is on (the default in production), and for anyone who enrolled a device.

At login (the ``user_logged_in`` signal) the session is marked as waiting for the second step:
``verify`` (the account has a confirmed device) or ``enrol`` (it must set one up). While it waits,
:class:`jixiao.sysadmin.middleware.MfaMiddleware` lets it reach only the two-step pages, the
password change and logout. A code is accepted once: the device keeps the last time step used
(``last_t``) and refuses it and earlier ones; failures slow further attempts (django-otp's throttle).
Enrolment, a reset by the security administrator and every failed code are audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from jixiao.audit.services import Actor, audit_event, audit_record
from jixiao.core.errors import ServiceError
from jixiao.org.models import RoleGrant
from jixiao.org.services import sessions_end

R = RoleGrant.Role
MFA_ROLES = (R.OFFICE_ADMIN, R.SYSTEM_ADMIN, R.SECURITY_ADMIN, R.AUDIT_ADMIN)
PENDING_KEY = "jixiao_mfa_pending"  # "verify" or "enrol" until the second step is done
VERIFY, ENROL = "verify", "enrol"
BAD_CODE = "验证码不正确或已使用过，请输入验证器中新的 6 位验证码"


def mfa_required(user: User) -> bool:
    """Whether the account must use two-step login: the setting is on and it holds a role that needs it."""
    if not getattr(settings, "JIXIAO_MFA_REQUIRED", False):
        return False
    return bool(user.is_superuser) or RoleGrant.objects.filter(user=user, role__in=MFA_ROLES).exists()


def mfa_device(user: User) -> TOTPDevice | None:
    """The account's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def mfa_pending(user: User) -> str | None:
    """What the login still asks of the account: ``verify``, ``enrol`` or nothing."""
    if mfa_device(user) is not None:
        return VERIFY
    return ENROL if mfa_required(user) else None


def mfa_secret_new() -> str:
    """A new authenticator secret (160 bits, hex) for the enrolment page; kept in the session
    until confirmed, so merely opening the page writes nothing."""
    return random_hex(20)


def mfa_device_preview(*, user: User, key: str) -> TOTPDevice:
    """An unsaved device for the enrolment page's QR code (its ``config_url``)."""
    return TOTPDevice(user=user, key=key, name="验证器", confirmed=False)


def mfa_enrol(*, actor: Actor, user: User, key: str, token: str) -> TOTPDevice:
    """Confirm an authenticator with its first code (启用两步验证); the account's other devices go.
    The code's time step is remembered, so it cannot be used again to log in. A wrong code is
    audited outside the confirming transaction, so a refusal does not roll it back."""
    device = mfa_device_preview(user=user, key=key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    try:
        ok = totp.verify(int(token.strip()), device.tolerance)
    except ValueError:
        ok = False
    if not ok:
        audit_event(actor=actor, action="mfa_enrol", target="auth.user", target_id=str(user.pk),
                    summary="设置两步验证：验证码不正确", outcome="failure")
        raise ServiceError(BAD_CODE, field="token")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.last_t = totp.t()
        device.save()
        audit_event(actor=actor, action="mfa_enrol", target="auth.user", target_id=str(user.pk),
                    summary="启用两步验证", after={"device": device.pk, "confirmed": True})
    return device


def mfa_verify(*, user: User, token: str) -> TOTPDevice:
    """The second step of a login: the code of the account's device, once (no replay). Not one
    transaction with the audit of a failure on purpose: the throttle's count must stay."""
    device = mfa_device(user)
    if device is None:
        raise ServiceError("该账号尚未设置两步验证", field="token")
    if not device.verify_token(token.strip()):
        audit_event(actor=user, action="mfa_verify", target="auth.user", target_id=str(user.pk),
                    summary="两步验证失败", outcome="failure")
        raise ServiceError(BAD_CODE, field="token")
    audit_event(actor=user, action="mfa_verify", target="auth.user", target_id=str(user.pk), summary="两步验证通过")
    return device


@transaction.atomic
def mfa_reset(*, actor: Actor, user: User) -> int:
    """The security administrator removes an account's authenticators (重置两步验证, e.g. a lost
    phone): its sessions end; at the next login it enrols again if its role needs it."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    ended = sessions_end(user)
    audit_record(actor=actor, action="mfa_reset", instance=user, before={"devices": removed},
                 after={"devices": 0, "sessions_ended": ended}, summary="重置两步验证")
    return removed


def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    pending = mfa_pending(user)
    if pending:
        request.session[PENDING_KEY] = pending
    else:
        request.session.pop(PENDING_KEY, None)


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="jixiao_mfa_login")
