"""In a real browser, with two-step login required: the system administrator creates a unit, a
person and an account; the new user logs in, must change the password and set up two-step login;
the audit administrator sees those steps in the audit log and cannot open the administration pages."""

from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

import pytest
from conftest import browser_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixiao.sysadmin.mfa import mfa_secret_new

from .world import ADMIN_PASSWORD, admins

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIRST, CHOSEN = "Office-Start-2026", "Chosen-Anew-2026!"


def _code(key: bytes) -> str:
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _device(user: Any) -> bytes:
    key = mfa_secret_new()
    TOTPDevice.objects.create(user=user, key=key, name="验证器", confirmed=True)
    return bytes.fromhex(key)


def _login_with_code(page: Any, username: str, key: bytes) -> None:
    browser_login(page, username, ADMIN_PASSWORD)
    assert "/mfa/verify/" in page.url
    page.fill("input[name=token]", _code(key))
    page.click("article button[type=submit]")
    page.wait_for_url(lambda url: "/mfa/" not in url)


def test_admin_creates_an_account_whose_user_enrols_and_the_auditor_sees_it(cast: Any, page: Any,
                                                                            settings: Any) -> None:
    settings.JIXIAO_MFA_REQUIRED = True
    a = admins(cast)
    sys_key, audit_key = _device(a.sysadmin), _device(a.auditor)

    _login_with_code(page, "sysadm", sys_key)
    page.click("a[data-nav=system]")
    page.click("text=单位")
    page.click("summary:has-text('新建单位')")
    page.fill("input[name=code]", "north")
    page.fill("input[name=name]", "北镇")
    page.select_option("select[name=kind]", "town")
    page.select_option("select[name=parent]", label="测试县人民政府（county）")
    page.click("#admin-form button[type=submit]")
    page.wait_for_selector("text=已新建单位 北镇")
    page.goto(page.base + "/system/people/")
    page.click("summary:has-text('新建人员')")
    page.fill("input[name=code]", "p-zhao")
    page.fill("input[name=name]", "赵敏")
    page.select_option("select[name=unit]", label="北镇（north）")
    page.click("#admin-form button[type=submit]")
    page.wait_for_selector("text=已新建人员 赵敏")
    page.goto(page.base + "/system/accounts/")
    page.click("summary:has-text('新建账号')")
    page.fill("input[name=username]", "zhaomin")
    page.fill("input[name=display_name]", "赵敏")
    page.fill("input[name=password]", FIRST)
    page.select_option("select[name=person]", label="赵敏")
    page.select_option("select[name=role]", "office_admin")
    page.click("#admin-form button[type=submit]")
    page.wait_for_selector("text=已新建账号 zhaomin")
    assert "绩效办管理员" in page.locator("#grants").inner_text()
    page.click("header button:has-text('退出')")
    page.wait_for_url("**/login/")

    # The new user: the password first, then the authenticator, then the site.
    browser_login(page, "zhaomin", FIRST)
    assert page.url.endswith("/account/password/")
    page.fill("input[name=old_password]", FIRST)
    page.fill("input[name=new_password1]", CHOSEN)
    page.fill("input[name=new_password2]", CHOSEN)
    page.click("article button[type=submit]")
    page.wait_for_url("**/mfa/setup/**")
    assert page.locator(".mfa-qr svg").count() == 1
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    page.fill("input[name=token]", _code(b32decode(secret)))
    page.click("article button[type=submit]")
    page.wait_for_selector("text=两步验证已启用")
    assert "/mfa/" not in page.url and "/account/" not in page.url
    page.click("header button:has-text('退出')")
    page.wait_for_url("**/login/")

    # The audit administrator: the steps in the log, and no administration page.
    _login_with_code(page, "auditor", audit_key)
    nav = page.locator("header .mainnav").inner_text()
    assert "审计日志" in nav and "系统管理" not in nav and "安全管理" not in nav
    page.goto(page.base + "/audit/?actor=zhaomin")
    log = page.locator("#audit-entries").inner_text()
    for step in ("登录", "修改密码", "启用两步验证", "退出登录"):
        assert step in log, step
    page.goto(page.base + "/audit/?actor=sysadm")
    log = page.locator("#audit-entries").inner_text()
    assert log.count("新建") >= 3 and "授权" in log and "两步验证通过" in log
    for url in ("/system/accounts/", "/system/units/", "/system/security/"):
        response = page.goto(page.base + url)
        assert response is not None and response.status == 403
        assert "没有权限" in page.content()
