"""``manage.py admin_create``: the first system administrator of an installation, with the
administrators' password policy, one of the three roles only, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from jixiao.audit.models import AuditEntry
from jixiao.org.models import RoleGrant

pytestmark = pytest.mark.django_db


def test_creates_an_administrator_from_the_environment(cast: Any, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", "Sys-Admin-Pass-2026!")
    call_command("admin_create", "xtgly", "--role", "system_admin", "--password-env", "FIRST_ADMIN_PASSWORD")
    user = User.objects.get(username="xtgly")
    assert user.check_password("Sys-Admin-Pass-2026!")
    assert list(user.grants.values_list("role", flat=True)) == [RoleGrant.Role.SYSTEM_ADMIN]
    assert AuditEntry.objects.filter(action="grant", after__user="xtgly", after__role="system_admin").exists()
    assert "已创建 xtgly" in capsys.readouterr().out


def test_refusals_are_explained(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEAK", "short")
    with pytest.raises(CommandError, match="密码"):
        call_command("admin_create", "aqgly", "--role", "security_admin", "--password-env", "WEAK")
    with pytest.raises(CommandError, match="环境变量 NOPE 未设置"):
        call_command("admin_create", "aqgly", "--role", "security_admin", "--password-env", "NOPE")
    with pytest.raises(CommandError, match="没有编码为 nowhere 的组织"):
        call_command("admin_create", "aqgly", "--role", "security_admin", "--organisation", "nowhere",
                     "--password-env", "WEAK")
    with pytest.raises(CommandError):
        call_command("admin_create", "aqgly", "--role", "office_admin", "--password-env", "WEAK")
    assert not User.objects.filter(username="aqgly").exists()
