"""Checklist item 8 (三员分立): the system, security and audit administrators are separate roles
that one account cannot combine; a superuser is no office admin. And the audit viewer, for the
audit administrator only."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jixiao.core.errors import ServiceError
from jixiao.org import services as org
from jixiao.org.models import RoleGrant
from jixiao.org.selectors import scope_for_user

R = RoleGrant.Role
ADMIN_PASSWORD = "Three-Admins-2026!"


def _admin(username: str, role: str) -> User:
    user = org.account_create(actor=None, username=username, password=ADMIN_PASSWORD, administrator=True)
    org.grant_add(actor=None, user=user, role=role)
    return user


@pytest.mark.django_db
def test_item_08_one_account_cannot_combine_the_three_administrators(cast: Any) -> None:
    sysadm = _admin("sysadm", R.SYSTEM_ADMIN)
    for other in (R.SECURITY_ADMIN, R.AUDIT_ADMIN):
        with pytest.raises(ServiceError, match="三员分立"):
            org.grant_add(actor=None, user=sysadm, role=other)
    secadm = _admin("secadm", R.SECURITY_ADMIN)
    auditor = _admin("auditor", R.AUDIT_ADMIN)
    assert {g.role for g in RoleGrant.objects.filter(user__in=[sysadm, secadm, auditor])} == {
        R.SYSTEM_ADMIN, R.SECURITY_ADMIN, R.AUDIT_ADMIN}
    with pytest.raises(ServiceError):  # organisation-wide, never per unit
        org.grant_add(actor=None, user=cast.outsider, role=R.AUDIT_ADMIN, unit=cast.east)


@pytest.mark.django_db
def test_item_08_a_superuser_is_no_office_admin(cast: Any) -> None:
    root = User.objects.create_superuser("root", password=ADMIN_PASSWORD)
    scope = scope_for_user(root)
    assert not scope.office and scope.organisation_id is None


@pytest.mark.django_db
def test_the_audit_viewer_is_for_the_audit_administrator_only(cast: Any) -> None:
    auditor = _admin("auditor", R.AUDIT_ADMIN)
    sysadm = _admin("sysadm", R.SYSTEM_ADMIN)
    client = Client()
    client.post("/login/", {"username": "leader", "password": "wrong-Pass-1"})
    for user in (cast.office, sysadm):
        client.force_login(user)
        assert client.get("/audit/").status_code == 403
    client.force_login(auditor)
    page = client.get("/audit/?action=login_failed").content.decode()
    assert "审计日志" in page and "登录失败" in page and "leader" in page
    refused = client.get("/audit/?action=refusal").content.decode()  # the two refusals above, roles in words
    assert "绩效办管理员" in refused and "系统管理员" in refused and "越权访问被拒绝" in refused
    r = client.post("/audit/verify/", follow=True)
    assert "哈希链完好" in r.content.decode()


@pytest.mark.django_db
def test_item_08_check_deploy_warns_of_a_superuser_in_production(cast: Any, settings: Any) -> None:
    from jixiao.org.checks import no_superuser_in_production

    User.objects.create_superuser("root", password=ADMIN_PASSWORD)
    assert no_superuser_in_production() == []  # development
    settings.PRODUCTION = True
    [warning] = no_superuser_in_production()
    assert warning.id == "jixiao.W001" and "root" in warning.msg


@pytest.mark.django_db
def test_item_12_no_default_accounts_and_unused_accounts_are_disabled(cast: Any, settings: Any) -> None:
    from datetime import timedelta

    from django.core.management import CommandError, call_command
    from django.utils import timezone

    from jixiao.audit.models import AuditEntry

    now = timezone.now()
    User.objects.filter(pk=cast.leader.pk).update(last_login=now - timedelta(days=91))
    User.objects.filter(pk=cast.reporter.pk).update(last_login=now - timedelta(days=89))
    User.objects.filter(pk=cast.stats.pk).update(last_login=None, date_joined=now - timedelta(days=120))
    api_only = org.account_create(actor=None, username="tax-system", password="!")
    User.objects.filter(pk=api_only.pk).update(date_joined=now - timedelta(days=400))
    assert sorted(org.accounts_inactive_disable()) == sorted([cast.leader.pk, cast.stats.pk])
    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == {"leader", "stats"}
    assert AuditEntry.objects.filter(action="account_disable").count() == 2
    assert org.accounts_inactive_disable() == []
    # No default accounts: the demo (a published password) is refused in production, and a
    # superuser is reported by check --deploy (test_item_08 above).
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产模式"):
        call_command("demo_load")


@pytest.mark.django_db
def test_the_audit_administrator_exports_the_filtered_log(cast: Any) -> None:
    """The export takes the viewer's filters, neutralises formulas, and is itself audited; nobody
    else gets it."""
    import io

    from openpyxl import load_workbook

    from jixiao.audit.models import AuditEntry

    auditor = _admin("auditor", R.AUDIT_ADMIN)
    client = Client()
    client.post("/login/", {"username": "=cmd|' /C calc'!A0", "password": "wrong-Pass-1"})
    client.post("/login/", {"username": "leader", "password": "wrong-Pass-1"})
    client.force_login(cast.office)
    assert client.get("/audit/export.xlsx").status_code == 403
    client.force_login(auditor)
    assert 'id="audit-export"' in client.get("/audit/?action=login_failed").content.decode()
    resp = client.get("/audit/export.xlsx?action=login_failed")
    assert resp.status_code == 200 and resp["Content-Disposition"].startswith("attachment")
    rows = list(load_workbook(io.BytesIO(resp.content), read_only=True)["审计日志"].values)
    assert rows[0][:3] == ("编号", "时间", "操作人") and len(rows) == 3
    assert {r[5] for r in rows[1:]} == {"登录失败"}
    assert not any(isinstance(c, str) and c.startswith("=") for r in rows for c in r)  # formulas neutralised
    assert AuditEntry.objects.filter(action="export", actor=auditor).exists()
