"""Checklist items 14–17, 19 and 22 (SECURITY.md C and D): security events audited with their
context, no secrets or unmasked personal data, append-only by database triggers, the SM3 hash
chain and its verification, the audit failing closed, and the SM3/SM4 known answers."""

from __future__ import annotations

import time
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from jixiao.audit import services as audit
from jixiao.audit.chain import audit_seal, audit_verify
from jixiao.audit.models import AuditEntry, AuditSeal
from jixiao.audit.triggers import create_sql, drop_sql, run
from jixiao.core.masking import mask_text, mask_value
from jixiao.core.sm import sm3_hex, sm4_encrypt_block
from jixiao.org import services as org
from jixiao.org.models import RoleGrant

PASSWORD = "cast-password-1"


def _login(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR="192.0.2.7")


@pytest.mark.django_db
def test_item_14_security_events_are_audited(cast: Any) -> None:
    client = Client()
    _login(client, "leader", "wrong-Pass-1")
    _login(client, "leader")
    client.get("/ledger/review/", REMOTE_ADDR="192.0.2.7")  # the office's queue: refused to a leader
    client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "Brand-new-2026",
                                       "new_password2": "Brand-new-2026"}, REMOTE_ADDR="192.0.2.7")
    client.post("/logout/", REMOTE_ADDR="192.0.2.7")
    org.grant_add(actor=cast.office, user=cast.outsider, role=RoleGrant.Role.LEADER, unit=cast.east)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"login_failed", "login", "refusal", "password_change", "logout", "grant"} <= actions
    refusal = AuditEntry.objects.get(action="refusal")
    assert refusal.outcome == "denied" and refusal.target_id == "/ledger/review/"
    assert refusal.actor_id == cast.leader.pk


@pytest.mark.django_db
def test_item_14_exports_and_downloads_are_audited(cast: Any) -> None:
    client = Client()
    client.force_login(cast.office)
    r = client.get("/reports/")
    assert r.status_code in (200, 302)
    from django.http import HttpResponse

    from jixiao.audit.middleware import SecurityAuditMiddleware

    def view(request: Any) -> HttpResponse:
        response = HttpResponse(b"x")
        response["Content-Disposition"] = "attachment; filename=\"a.xlsx\"; filename*=UTF-8''%E6%8A%A5%E8%A1%A8.xlsx"
        return response

    from django.test import RequestFactory

    request = RequestFactory().get("/reports/export.xlsx")
    request.user = cast.office
    SecurityAuditMiddleware(view)(request)
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor_id == cast.office.pk and "报表.xlsx" in entry.summary


@pytest.mark.django_db
def test_item_15_each_entry_has_time_actor_role_address_outcome_and_request_id(cast: Any) -> None:
    client = Client()
    client.force_login(cast.office)
    r = client.get("/account/password/", REMOTE_ADDR="192.0.2.8", HTTP_X_REQUEST_ID="req-0123456789")
    assert r["X-Request-ID"] == "req-0123456789"
    client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "Brand-new-2026-x",
                                       "new_password2": "Brand-new-2026-x"}, REMOTE_ADDR="192.0.2.8",
                HTTP_X_REQUEST_ID="req-abcdefghij")
    entry = AuditEntry.objects.get(action="password_change")
    assert entry.at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]  # stored in UTC
    assert (entry.actor_id, entry.actor_label, entry.address, entry.request_id, entry.outcome) == (
        cast.office.pk, "office", "192.0.2.8", "req-abcdefghij", "success")
    assert "office_admin" in entry.role
    assert (entry.target, entry.target_id) == ("auth.user", str(cast.office.pk))


@pytest.mark.django_db
def test_item_16_no_secrets_or_unmasked_personal_data(cast: Any) -> None:
    entry = audit.audit_record(actor=None, action="update", instance=cast.east,
                               before={"liaison_phone": "13812345678", "password": "Secret-1"},
                               after={"liaison_phone": "0311-87654321", "note": "请联系 13912345678",
                                      "id_number": "110101199003071234", "api_token": "abcdef"},
                               summary="line one\r\nforged line")
    entry.refresh_from_db()
    assert entry.before == {"liaison_phone": "138****5678", "password": "******"}
    assert entry.after["liaison_phone"] == "031*-****4321"
    assert entry.after["note"] == "请联系 139****5678"
    assert entry.after["id_number"].startswith("110") and "19900307" not in entry.after["id_number"]
    assert entry.after["api_token"] == "******"
    assert "\n" not in entry.summary and "\\n" in entry.summary
    assert mask_text("11位13812345678") == "11位138****5678"
    assert mask_value({"items": [{"phone": "13812345678"}]}) == {"items": [{"phone": "138****5678"}]}
    # A failed login records the name tried, never the password.
    _login(Client(), "leader", "Typed-secret-9")
    assert not AuditEntry.objects.filter(after__icontains="Typed-secret-9").exists()
    assert not any("Typed-secret-9" in str(v) for v in AuditEntry.objects.values_list("summary", "before", "after"))


@pytest.mark.django_db
def test_item_17_the_audit_tables_refuse_update_and_delete_in_the_database(cast: Any) -> None:
    table = AuditEntry._meta.db_table
    for sql in (f"UPDATE {table} SET summary = 'changed'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    audit_seal()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditSeal._meta.db_table}")
    assert AuditEntry.objects.exists()


@pytest.mark.django_db
def test_item_17_the_hash_chain_names_the_first_broken_link(cast: Any) -> None:
    sealed = audit_seal()
    assert sealed == AuditEntry.objects.count() > 5
    assert audit_verify().ok
    org.account_create(actor=None, username="later", password="Brand-new-2026")
    assert audit_verify().unsealed > 0
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "完好" in out.getvalue()
    victims = list(AuditEntry.objects.order_by("id").values_list("id", flat=True)[3:5])
    table = AuditEntry._meta.db_table
    run(connection, drop_sql(connection.vendor))
    try:
        with connection.cursor() as cur:
            for pk in victims:
                cur.execute(f"UPDATE {table} SET summary = 'rewritten' WHERE id = %s", [pk])
    finally:
        run(connection, create_sql(connection.vendor))
    verdict = audit_verify()
    assert not verdict.ok and verdict.broken_entry == victims[0] and verdict.checked == 3
    with pytest.raises(CommandError, match=f"#{victims[0]}"):
        call_command("audit_verify", stdout=StringIO())


@pytest.mark.django_db
def test_item_17_a_deleted_entry_breaks_the_chain(cast: Any) -> None:
    audit_seal()
    victim = AuditEntry.objects.order_by("id").values_list("id", flat=True)[2]
    run(connection, drop_sql(connection.vendor))
    try:
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [victim])
    finally:
        run(connection, create_sql(connection.vendor))
    verdict = audit_verify()
    assert not verdict.ok and verdict.broken_entry == victim


@pytest.mark.django_db
def test_item_19_the_write_does_not_happen_when_its_audit_entry_cannot_be_written(cast: Any) -> None:
    with mock.patch.object(audit, "_insert", side_effect=DatabaseError("disk full")), pytest.raises(DatabaseError):
        org.account_create(actor=None, username="ghost", password="Brand-new-2026")
    assert not User.objects.filter(username="ghost").exists()


def test_item_22_sm3_and_sm4_known_answers() -> None:
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    assert sm4_encrypt_block(key, key).hex() == "681edf34d206965e86b3e94f536e4246"


@pytest.mark.django_db
def test_audit_record_stays_cheap(cast: Any) -> None:
    """Writers only INSERT (the chain is sealed later): a few hundred microseconds each here."""
    n = 2000
    t0 = time.perf_counter()
    with transaction.atomic():
        for i in range(n):
            audit.audit_record(actor=cast.office, action="update", instance=cast.east, before={"v": i},
                               after={"v": i + 1, "liaison_phone": "13812345678"})
    per = (time.perf_counter() - t0) / n
    print(f"audit_record: {per * 1e6:.0f} µs each")
    assert per < 0.004, f"{per * 1e6:.0f} µs per audit_record"
    t1 = time.perf_counter()
    audit_seal()
    seal_per = (time.perf_counter() - t1) / AuditEntry.objects.count()
    print(f"audit_seal: {seal_per * 1e6:.0f} µs per entry")
    assert seal_per < 0.002, f"{seal_per * 1e6:.0f} µs per sealed entry"


def test_item_18_retention_is_documented_and_nothing_purges_the_log() -> None:
    import re
    from pathlib import Path

    repo = Path(__file__).resolve().parents[4]
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert re.search(r"at least\s+180 days", readme)
    deleting = re.compile(r"Audit(Entry|Seal)\.objects[^\n]*\.delete\(|DELETE FROM audit_")
    offenders = [str(p) for p in (repo / "src" / "jixiao").rglob("*.py")
                 if "tests" not in p.parts and deleting.search(p.read_text(encoding="utf-8"))]
    assert offenders == []  # and the database refuses it anyway (test_item_17)
