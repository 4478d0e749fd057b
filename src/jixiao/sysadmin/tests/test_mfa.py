"""Checklist item 6: two-step login (TOTP) for the office and the three administrators when
``JIXIAO_MFA_REQUIRED`` is on; a code cannot be used twice; enrolment, failures and a reset by the
security administrator are audited (item 14). The rest of the suite leaves the setting off (the
development default), so its casts log in with a password only."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import time_machine
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixiao.audit.models import AuditEntry
from jixiao.sysadmin.views_mfa import DEVICE_KEY

from .world import ADMIN_PASSWORD, admins

pytestmark = pytest.mark.django_db
PASSWORD = "cast-password-1"


def code(key_hex: str, at: float) -> str:
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = at
    return f"{totp.token():06d}"


def login(username: str, password: str = PASSWORD) -> Client:
    c = Client()
    assert c.post("/login/", {"username": username, "password": password}).status_code == 302
    return c


def test_item_06_office_and_administrators_enrol_then_give_a_code_at_each_login(cast: Any, settings: Any) -> None:
    settings.JIXIAO_MFA_REQUIRED = True
    start = time.time()
    with time_machine.travel(start, tick=False) as clock:
        office = login("office")
        r = office.get("/org/")
        assert r.status_code == 302 and r["Location"].startswith("/mfa/setup/")
        page = office.get("/mfa/setup/").content.decode()
        assert "<svg" in page and not re.search(r"<script(?![^>]*\bsrc=)", page) and "设置两步验证" in page
        key = office.session[DEVICE_KEY]
        assert not TOTPDevice.objects.filter(user=cast.office).exists()  # opening the page writes nothing
        r = office.post("/mfa/setup/", {"token": "000000" if code(key, start) != "000000" else "111111"})
        assert r.status_code == 400 and "验证码不正确" in r.content.decode()
        first = code(key, time.time())
        r = office.post("/mfa/setup/", {"token": first, "next": "/org/"})
        assert r.status_code == 302 and r["Location"] == "/org/"
        assert office.get("/org/").status_code == 200
        device = TOTPDevice.objects.get(user=cast.office)
        assert device.confirmed
        # A reporter (no administrator role) is not asked for a second step.
        assert login("east_reporter").get("/org/").status_code == 200
        # Next login: the password alone reaches only the second step.
        again = login("office")
        r = again.get("/ledger/")
        assert r.status_code == 302 and r["Location"].startswith("/mfa/verify/")
        # The code used to enrol is not accepted again (same time step): no replay.
        r = again.post("/mfa/verify/", {"token": first})
        assert r.status_code == 400 and "已使用过" in r.content.decode()
        assert again.get("/ledger/").status_code == 302
        clock.shift(31)
        fresh = code(key, time.time())
        r = again.post("/mfa/verify/", {"token": fresh, "next": "/ledger/"})
        assert r.status_code == 302 and r["Location"] == "/ledger/"
        assert again.get("/ledger/")["Location"] == "/ledger/mini-2024/"
        # Nor the one just used, in another login within the same step.
        third = login("office")
        assert third.post("/mfa/verify/", {"token": fresh}).status_code == 400
    outcomes = list(AuditEntry.objects.filter(action__in=("mfa_enrol", "mfa_verify"), actor_label="office")
                    .order_by("id").values_list("action", "outcome"))
    assert ("mfa_enrol", "failure") in outcomes and ("mfa_enrol", "success") in outcomes
    assert ("mfa_verify", "failure") in outcomes and ("mfa_verify", "success") in outcomes


def test_item_06_each_role_that_needs_it_and_the_setting(cast: Any, settings: Any) -> None:
    from jixiao.sysadmin.mfa import mfa_required

    a = admins(cast)
    settings.JIXIAO_MFA_REQUIRED = True
    assert all(mfa_required(u) for u in (cast.office, a.sysadmin, a.secadmin, a.auditor))
    assert not any(mfa_required(u) for u in (cast.reporter, cast.leader, cast.stats, cast.outsider))
    r = login("auditor", ADMIN_PASSWORD).get("/audit/")
    assert r.status_code == 302 and r["Location"].startswith("/mfa/setup/")
    # The password change stays open while enrolment is pending (a reset account changes it first).
    assert login("sysadm", ADMIN_PASSWORD).get("/account/password/").status_code == 200
    settings.JIXIAO_MFA_REQUIRED = False  # development and the demo: a password is enough
    assert login("office").get("/org/").status_code == 200


def test_item_06_the_security_administrator_resets_a_lost_authenticator(cast: Any, settings: Any) -> None:
    from jixiao.sysadmin.mfa import mfa_enrol, mfa_secret_new

    settings.JIXIAO_MFA_REQUIRED = True
    a = admins(cast)
    key = mfa_secret_new()
    mfa_enrol(actor=cast.office, user=cast.office, key=key, token=code(key, time.time()))
    office = login("office")
    assert office.get("/").status_code == 302
    settings.JIXIAO_MFA_REQUIRED = False  # the security administrator's own second step is not the point here
    sec = Client()
    sec.force_login(a.secadmin)
    settings.JIXIAO_MFA_REQUIRED = True
    page = sec.get("/system/security/").content.decode()
    assert "已启用" in page and "重置两步验证" in page
    r = sec.post(f"/system/security/{cast.office.pk}/mfa-reset", follow=True)
    assert "已重置 office 的两步验证" in r.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.office).exists()
    assert office.get("/").status_code == 302 and office.get("/")["Location"].startswith("/login/")
    r = login("office").get("/")
    assert r["Location"].startswith("/mfa/setup/")  # enrols again


def test_item_14_mfa_changes_lock_and_unlock_are_audited(cast: Any) -> None:
    from jixiao.sysadmin.mfa import mfa_enrol, mfa_secret_new

    a = admins(cast)
    key = mfa_secret_new()
    mfa_enrol(actor=cast.office, user=cast.office, key=key, token=code(key, time.time()))
    sec = Client()
    sec.force_login(a.secadmin)
    sec.post(f"/system/security/{cast.office.pk}/mfa-reset")
    sec.post(f"/system/security/{cast.leader.pk}/lock")
    bad = Client().post("/login/", {"username": "leader", "password": PASSWORD})
    assert bad.status_code == 200  # a locked account cannot log in
    sec.post(f"/system/security/{cast.leader.pk}/unlock")
    login("leader")
    rows = {(e.action, e.actor_label, e.role): e for e in AuditEntry.objects.filter(
        action__in=("mfa_enrol", "mfa_reset", "account_lock", "account_unlock"))}
    assert any(k[:2] == ("mfa_enrol", "office") for k in rows)
    for action in ("mfa_reset", "account_lock", "account_unlock"):
        entry = rows[(action, "secadm", "security_admin")]
        assert entry.target == "auth.user" and entry.after is not None and entry.request_id


def test_item_15_administration_entries_carry_every_element(cast: Any) -> None:
    a = admins(cast)
    sys = Client(REMOTE_ADDR="10.1.2.3")
    sys.force_login(a.sysadmin)
    sys.post(f"/system/accounts/{cast.leader.pk}/reset")
    entry = AuditEntry.objects.get(action="password_reset")
    assert entry.at is not None and entry.actor_id == a.sysadmin.pk and entry.actor_label == "sysadm"
    assert entry.role == "system_admin" and entry.address == "10.1.2.3" and entry.outcome == "success"
    assert entry.target == "auth.user" and entry.target_id == str(cast.leader.pk) and entry.request_id
    assert entry.after is not None and "sessions_ended" in entry.after
    assert cast.leader.password not in str(entry.after)  # no secret in the log
