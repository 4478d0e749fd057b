"""Personal data encrypted at rest with SM4-GCM (商用密码, checklist item 20).

:class:`SM4EncryptedField` holds text that is encrypted in the database and clear in Python:
the column stores ``sm4gcm:<key id>:<base64 of nonce + ciphertext + tag>``, under the active key
of ``settings.JIXIAO_SM4_KEYS`` (the first of the ring); older keys of the ring still decrypt, and
``manage.py pii_rekey`` re-encrypts every such column under the active key. The model and field
name are bound in as associated data, so a ciphertext copied to another column does not decrypt.
An empty value is stored empty. A value without the prefix (written before the field was
encrypted) is read as it is, and encrypted when next saved (the data migration encrypts them all).

Encrypted columns cannot be searched or ordered by their clear value; none of them is.
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.db import models

from jixiao.core.sm import sm4_gcm_decrypt, sm4_gcm_encrypt

PREFIX = "sm4gcm:"


class DecryptionFailed(Exception):
    """A stored value that no key of the ring decrypts (a wrong key or a changed byte)."""


def keyring() -> dict[str, bytes]:
    ring: dict[str, bytes] = settings.JIXIAO_SM4_KEYS
    return ring


def active_key_id() -> str:
    return next(iter(keyring()))


def encrypt_text(clear: str, aad: str) -> str:
    kid, key = next(iter(keyring().items()))
    blob = sm4_gcm_encrypt(key, clear.encode("utf-8"), aad.encode("utf-8"))
    return f"{PREFIX}{kid}:{base64.b64encode(blob).decode('ascii')}"


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def key_id_of(stored: str) -> str | None:
    return stored[len(PREFIX):].split(":", 1)[0] if is_encrypted(stored) else None


def decrypt_text(stored: str, aad: str) -> str:
    if not is_encrypted(stored):
        return stored
    kid, _, b64 = stored[len(PREFIX):].partition(":")
    key = keyring().get(kid)
    if key is None:
        raise DecryptionFailed(f"no SM4 key {kid!r} in JIXIAO_SM4_KEYS")
    try:
        return sm4_gcm_decrypt(key, base64.b64decode(b64), aad.encode("utf-8")).decode("utf-8")
    except Exception as e:  # InvalidTag, bad base64, bad UTF-8: all mean the same here
        raise DecryptionFailed(f"SM4-GCM value does not decrypt under key {kid!r}") from e


class SM4EncryptedField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted with SM4-GCM in the database (see the module docstring)."""

    description = "Text encrypted with SM4-GCM"

    def aad(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt_text(value, self.aad())

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        # Always encrypted, even a value that looks encrypted (stored values are rewritten under a
        # new key by raw SQL: reencrypt_column).
        if value is None or value == "":
            return value
        return encrypt_text(str(value), self.aad())


def encrypted_fields() -> list[SM4EncryptedField]:
    """Every SM4-encrypted field of the installed models."""
    from django.apps import apps

    return [f for m in apps.get_models() for f in m._meta.concrete_fields if isinstance(f, SM4EncryptedField)]


def reencrypt_column(connection: Any, table: str, column: str, aad: str, *, only_clear: bool = False,
                     pk: str = "id") -> int:
    """Rewrite one column's stored values under the active key (clear legacy values included, or
    only those with ``only_clear``), by raw SQL in batches; the number of rows rewritten."""
    qn = connection.ops.quote_name
    active = active_key_id()
    done = 0
    with connection.cursor() as cur:
        cur.execute(f"SELECT {qn(pk)}, {qn(column)} FROM {qn(table)} WHERE {qn(column)} IS NOT NULL "
                    f"AND {qn(column)} <> '' ORDER BY {qn(pk)}")
        rows = cur.fetchall()
        updates = []
        for row_id, stored in rows:
            if is_encrypted(stored) and (only_clear or key_id_of(stored) == active):
                continue
            updates.append((encrypt_text(decrypt_text(stored, aad), aad), row_id))
        for i in range(0, len(updates), 500):
            cur.executemany(f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn(pk)} = %s", updates[i:i + 500])
        done = len(updates)
    return done
