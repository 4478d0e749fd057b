"""Login against a directory (LDAP, e.g. the government's unified directory) when
``JIXIAO_LDAP_URI`` is set: the password is checked by the directory (a bind as the user's DN from
``JIXIAO_LDAP_USER_DN_TEMPLATE``), and the account is the existing one of the same username
(whatever its case). The directory creates no account unless ``JIXIAO_LDAP_CREATE_USERS`` is on
(then audited, without a role: the system administrator grants one). A disabled account, or one
unused for ``JIXIAO_ACCOUNT_INACTIVE_DAYS``, is refused as by the password login; the lockout
(django-axes), two-step login and the audit of the login apply alike. Needs the ``ldap`` extra
(django-auth-ldap, python-ldap)."""

from __future__ import annotations

from typing import Any

from django_auth_ldap.backend import LDAPBackend


class LdapBackend(LDAPBackend):
    def get_or_build_user(self, username: str, ldap_user: Any) -> tuple[Any, bool]:
        user, built = super().get_or_build_user(username, ldap_user)
        ldap_user.jixiao_built = built
        return user, built

    def authenticate_ldap_user(self, ldap_user: Any, password: str) -> Any:
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        from jixiao.audit.services import audit_record
        from jixiao.org.services import account_disable, account_stale

        if getattr(ldap_user, "jixiao_built", False):
            audit_record(actor=None, action="create", instance=user, system="LDAP 目录登录",
                         after={"username": user.get_username(), "source": "ldap"})
        if not user.is_active:
            return None
        if account_stale(user):
            account_disable(actor=None, user=user, system="停用长期未使用账号")
            return None
        user.jixiao_ldap = True  # the login signal skips the local password's expiry for it
        return user
