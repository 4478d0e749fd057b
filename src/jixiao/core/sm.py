"""Chinese commercial cryptography (商用密码) primitives, through ``cryptography``'s OpenSSL:
SM3 hashes (the audit hash chain), HMAC-SM3, and the SM4 block cipher. Pure: no Django."""

from __future__ import annotations

import hmac as _hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def sm3(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def sm3_hex(data: bytes) -> str:
    return sm3(data).hex()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    h = crypto_hmac.HMAC(key, hashes.SM3())
    h.update(data)
    return h.finalize()


def hmac_sm3_verify(key: bytes, data: bytes, mac: bytes) -> bool:
    return _hmac.compare_digest(hmac_sm3(key, data), mac)


def sm4_encrypt_block(key: bytes, block: bytes) -> bytes:
    """One 16-byte block under SM4 (the known-answer test; data is encrypted with SM4-GCM)."""
    enc = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()
