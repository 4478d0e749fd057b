"""Personal data at rest (items 20 and 25): the liaison's phone is stored SM4-GCM-encrypted (a key
id prefix, nonce + ciphertext + tag), read back clear by the application, masked on screens, never
clear in the audit log; a changed byte or another column refuses to decrypt; ``pii_rekey`` moves
every value to the active key; the key settings fail early when malformed or missing in production."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from jixiao.audit.models import AuditEntry
from jixiao.core.fields import DecryptionFailed, decrypt_text, reencrypt_column
from jixiao.core.sm import sm4_gcm_decrypt
from jixiao.project.env import env_keys
from jixiao.supervision.models import Matter

PHONE = "13800000000"
AAD = "supervision.matter.liaison_phone"


def _stored(pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT liaison_phone FROM supervision_matter WHERE id = %s", [pk])
        return str(cur.fetchone()[0])


@pytest.mark.django_db
def test_item_20_the_phone_is_sm4_gcm_encrypted_in_the_database(sv: Any, settings: Any) -> None:
    pk = sv.east_task.pk
    stored = _stored(pk)
    assert stored.startswith("sm4gcm:dev:") and PHONE not in stored
    blob = base64.b64decode(stored.split(":", 2)[2])
    assert len(blob) == 12 + len(PHONE) + 16  # nonce, ciphertext, tag
    assert sm4_gcm_decrypt(settings.JIXIAO_SM4_KEYS["dev"], blob, AAD.encode()).decode() == PHONE
    assert Matter.objects.get(pk=pk).liaison_phone == PHONE
    # The same clear value twice gives two different ciphertexts (a fresh nonce each time).
    Matter.objects.filter(pk=pk).update(liaison_phone=PHONE)
    assert _stored(pk) != stored and Matter.objects.get(pk=pk).liaison_phone == PHONE
    # A changed byte, or the ciphertext under another column's name, does not decrypt.
    raw = bytearray(blob)
    raw[14] ^= 1
    with pytest.raises(DecryptionFailed):
        decrypt_text("sm4gcm:dev:" + base64.b64encode(bytes(raw)).decode(), AAD)
    with pytest.raises(DecryptionFailed):
        decrypt_text(stored, "supervision.matter.liaison")


@pytest.mark.django_db
def test_item_25_the_phone_is_masked_on_screen_and_never_clear_in_the_audit_log(sv: Any, client: Any) -> None:
    client.force_login(sv.cast.office)
    html = client.get(reverse("supervision:matter", args=[sv.east_task.pk])).content.decode()
    assert "138****0000" in html and PHONE not in html
    entries = AuditEntry.objects.filter(target="supervision.matter").values_list("summary", "before", "after")
    assert entries and PHONE not in json.dumps(list(entries), ensure_ascii=False)


@pytest.mark.django_db
def test_item_20_rekey_moves_every_value_to_the_active_key_and_clear_legacy_values_get_encrypted(
        sv: Any, settings: Any) -> None:
    pk, other = sv.east_task.pk, sv.west_task.pk
    with connection.cursor() as cur:  # a value written before the column was encrypted
        cur.execute("UPDATE supervision_matter SET liaison_phone = %s WHERE id = %s", ["13912345678", other])
    assert Matter.objects.get(pk=other).liaison_phone == "13912345678"
    assert reencrypt_column(connection, "supervision_matter", "liaison_phone", AAD, only_clear=True) == 1
    assert _stored(other).startswith("sm4gcm:dev:")
    old = settings.JIXIAO_SM4_KEYS["dev"]
    settings.JIXIAO_SM4_KEYS = {"k2": bytes(range(16)), "dev": old}
    call_command("pii_rekey")
    assert _stored(pk).startswith("sm4gcm:k2:") and _stored(other).startswith("sm4gcm:k2:")
    settings.JIXIAO_SM4_KEYS = {"k2": bytes(range(16))}  # the old key retired
    assert Matter.objects.get(pk=pk).liaison_phone == PHONE
    assert Matter.objects.get(pk=other).liaison_phone == "13912345678"
    entry = AuditEntry.objects.filter(action="pii_rekey").get()
    assert entry.after["key"] == "k2" and entry.after["rows"] == Matter.objects.exclude(liaison_phone="").count()


def test_item_20_key_settings_are_typed_and_fail_early(monkeypatch: Any) -> None:
    monkeypatch.setenv("JIXIAO_T_KEYS", "a1:" + "00" * 16 + ",b2:" + "11" * 16)
    assert list(env_keys("JIXIAO_T_KEYS", None, sizes=(16,))) == ["a1", "b2"]
    for bad in ("a1:zz", "a1:" + "00" * 15, "no-colon", "a1:" + "00" * 16 + ",a1:" + "00" * 16):
        monkeypatch.setenv("JIXIAO_T_KEYS", bad)
        with pytest.raises(ImproperlyConfigured, match="JIXIAO_T_KEYS"):
            env_keys("JIXIAO_T_KEYS", None, sizes=(16,))
    monkeypatch.delenv("JIXIAO_T_KEYS")
    with pytest.raises(ImproperlyConfigured, match="required"):
        env_keys("JIXIAO_T_KEYS", None, sizes=(16,))
    # Production without keys, or with the development keys, does not start.
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    env |= {"JIXIAO_ENV": "production", "JIXIAO_SECRET_KEY": "x" * 50, "JIXIAO_ALLOWED_HOSTS": "example.org"}
    code = "import jixiao.project.settings"
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode != 0 and "JIXIAO_SM4_KEYS" in run.stderr
    import hashlib

    dev = hashlib.sha256(b"jixiao development sm4 key").digest()[:16].hex()
    env |= {"JIXIAO_SM4_KEYS": "dev:" + dev, "JIXIAO_SEAL_KEY": "s1:" + "ab" * 32}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode != 0 and "development keys" in run.stderr
    env |= {"JIXIAO_SM4_KEYS": "p1:" + "cd" * 16}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
