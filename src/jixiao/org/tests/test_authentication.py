"""Checklist items 1–5 (SECURITY.md A): password policy on every path, case-insensitive usernames,
lockout per account and per address, session timeouts and server-side end, session rotation and
cookie flags. Plus the 密码修改 page and the forced change after a reset."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from jixiao.audit.models import AuditEntry
from jixiao.core.errors import ServiceError
from jixiao.core.passwords import check_password_policy, password_expired
from jixiao.org import services as org
from jixiao.org.middleware import LOGIN_AT_KEY, SEEN_AT_KEY
from jixiao.org.models import AccountSecurity

PASSWORD = "cast-password-1"
GOOD = "Neu-Passwort-2026"


def login(client: Client, username: str, password: str = PASSWORD, addr: str = "10.0.0.1") -> Any:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=addr)


# --- 1. Password policy ----------------------------------------------------------------------

@pytest.mark.parametrize("password", ["123456", "password1", "abcdefgh", "ABCDEFGH1", "Aa1!", "jixiao-demo",
                                      "Password1", "12345678"])
def test_item_01_weak_passwords_are_refused(password: str) -> None:
    assert check_password_policy(password, username="someone")


def test_item_01_administrators_need_twelve_and_the_username_is_not_a_password() -> None:
    assert not check_password_policy("Ab3-defgh", username="clerk")
    assert [p.code for p in check_password_policy("Ab3-defgh", username="clerk", administrator=True)] == ["too_short"]
    assert "username" in [p.code for p in check_password_policy("Office-2024x", username="office")]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-!@", max_size=20))
def test_item_01_policy_matches_the_plain_rules(pw: str) -> None:
    classes = sum(any(f(c) for c in pw) for f in (str.islower, str.isupper, str.isdigit,
                                                    lambda c: not c.isalnum()))
    ok = not check_password_policy(pw, username="")
    if ok:
        assert len(pw) >= 8 and classes >= 3


def test_item_01_expiry_is_ninety_days_by_default(settings: Any) -> None:
    assert settings.JIXIAO_PASSWORD_MAX_AGE_DAYS == 90
    assert password_expired(90, max_age_days=90) and not password_expired(89.9, max_age_days=90)
    assert not password_expired(10_000, max_age_days=0)


@pytest.mark.django_db
def test_item_01_every_path_that_sets_a_password_applies_the_policy(cast: Any) -> None:
    with pytest.raises(ServiceError, match="常见"):
        org.account_create(actor=None, username="weak", password="123456")
    assert not User.objects.filter(username="weak").exists()
    with pytest.raises(ServiceError):
        org.password_change(actor=cast.reporter, user=cast.reporter, old_password=PASSWORD, new_password="abcdefgh")
    with pytest.raises(ServiceError, match="12"):  # the office admin is an administrator
        org.password_reset(actor=None, user=cast.office, new_password="Ab3-defgh")
    with pytest.raises(ValidationError):  # Django's own paths (createsuperuser, changepassword)
        validate_password("123456")
    cast.reporter.refresh_from_db()
    assert cast.reporter.check_password(PASSWORD)


@pytest.mark.django_db
def test_item_01_an_expired_password_must_be_changed_at_login(cast: Any, client: Client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    AccountSecurity.objects.filter(user=cast.reporter).update(
        password_changed_at=timezone.now() - timedelta(days=91))
    login(client, "east_reporter")
    r = client.get("/ledger/")
    assert r.status_code == 302 and r["Location"] == "/account/password/"


# --- 2. Case-insensitive usernames -----------------------------------------------------------

@pytest.mark.django_db
def test_item_02_usernames_are_unique_whatever_their_case(cast: Any) -> None:
    with pytest.raises(ServiceError, match="已存在"):
        org.account_create(actor=None, username="OFFICE", password=GOOD)
    # The database refuses it too, whoever writes (a unique index on lower(username)).
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="East_Reporter")


# --- 3. Lockout ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_item_03_five_failures_lock_the_account_and_are_audited(cast: Any) -> None:
    client = Client()
    unknown = login(client, "nobody-at-all", "wrong-Pass-1")
    wrong = login(client, "east_reporter", "wrong-Pass-1")
    assert unknown.status_code == wrong.status_code == 200
    msg = "用户名或密码不正确"
    assert msg in unknown.content.decode() and msg in wrong.content.decode()  # the same answer for both
    for i in range(4):
        login(Client(), "east_reporter", "wrong-Pass-1", addr=f"10.0.1.{i}")
    locked = login(Client(), "east_reporter", addr="10.0.2.1")  # the right password, another address
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    assert AuditEntry.objects.filter(action="login_failed").count() >= 5
    entry = AuditEntry.objects.filter(action="lockout").first()
    assert entry is not None and entry.outcome == "denied"


@pytest.mark.django_db
def test_item_03_five_failures_from_one_address_lock_the_address(cast: Any) -> None:
    for name in ("a1", "a2", "a3", "a4", "a5"):
        login(Client(), name, "wrong-Pass-1", addr="10.9.9.9")
    assert login(Client(), "leader", addr="10.9.9.9").status_code == 429
    assert login(Client(), "leader", addr="10.9.9.10").status_code == 302


# --- 4. Session timeouts, logout, disablement ------------------------------------------------

def _age(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


@pytest.mark.django_db
def test_item_04_idle_and_absolute_timeouts(cast: Any, settings: Any) -> None:
    assert settings.JIXIAO_SESSION_IDLE_SECONDS <= 30 * 60
    assert settings.JIXIAO_SESSION_ABSOLUTE_SECONDS <= 12 * 3600
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    for key, seconds in ((SEEN_AT_KEY, 31 * 60), (LOGIN_AT_KEY, 12 * 3600 + 60)):
        client = Client()
        assert login(client, "leader").status_code == 302
        assert client.get("/").status_code == 200
        session_key = client.session.session_key
        _age(client, key, seconds)
        r = client.get("/")
        assert r.status_code == 302 and r["Location"].startswith("/login/")
        assert not Session.objects.filter(session_key=session_key).exists()
    assert AuditEntry.objects.filter(action="session_expired").count() == 2


@pytest.mark.django_db
def test_item_04_logout_and_disablement_end_sessions_server_side(cast: Any) -> None:
    client = Client()
    login(client, "leader")
    key = client.session.session_key
    client.post("/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    other = Client()
    login(other, "east_reporter")
    key = other.session.session_key
    org.account_disable(actor=cast.office, user=cast.reporter)
    assert not Session.objects.filter(session_key=key).exists()
    assert other.get("/").status_code == 302


# --- 5. Session id rotation and cookie flags -------------------------------------------------

@pytest.mark.django_db
def test_item_05_session_id_rotates_at_login_and_cookies_are_flagged(cast: Any, settings: Any) -> None:
    client = Client()
    client.get("/login/")
    session = client.session
    session["before"] = 1
    session.save()
    before = session.session_key
    r = login(client, "leader")
    after = client.session.session_key
    assert after != before
    cookie = r.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_item_05_cookies_are_secure_in_production() -> None:
    from jixiao.project.tests.test_hardening import production_settings

    values = production_settings("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY")
    assert values == ["True", "True", "True"]


# --- The 密码修改 page --------------------------------------------------------------------------

@pytest.mark.django_db
def test_password_change_page_changes_and_keeps_the_user_logged_in(cast: Any) -> None:
    client = Client()
    login(client, "leader")
    page = client.get("/account/password/")
    assert page.status_code == 200 and "密码修改" in page.content.decode()
    bad = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "123456",
                                              "new_password2": "123456"})
    assert bad.status_code == 200 and "常见" in bad.content.decode()
    ok = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200
    cast.leader.refresh_from_db()
    assert cast.leader.check_password(GOOD)
    assert AuditEntry.objects.filter(action="password_change", target_id=str(cast.leader.pk), outcome="success")


@pytest.mark.django_db
def test_after_a_reset_the_user_must_change_the_password_first(cast: Any) -> None:
    org.password_reset(actor=cast.office, user=cast.reporter, new_password="Reset-by-admin-1")
    client = Client()
    assert login(client, "east_reporter", "Reset-by-admin-1").status_code == 302
    r = client.get("/ledger/")
    assert r.status_code == 302 and r["Location"] == "/account/password/"
    client.post("/account/password/", {"old_password": "Reset-by-admin-1", "new_password1": GOOD,
                                       "new_password2": GOOD})
    assert client.get("/ledger/").status_code in (200, 302)
    assert client.get("/ledger/").get("Location") != "/account/password/"
