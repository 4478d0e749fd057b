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


GCM_NONCE = 12
GCM_TAG = 16


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, aad: bytes = b"", nonce: bytes | None = None) -> bytes:
    """SM4-GCM: nonce (12 bytes, random unless given) + ciphertext + tag (16 bytes)."""
    import os

    nonce = nonce if nonce is not None else os.urandom(GCM_NONCE)
    enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad)
    body = enc.update(plaintext) + enc.finalize()
    return nonce + body + enc.tag


def sm4_gcm_decrypt(key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    """The plaintext of :func:`sm4_gcm_encrypt`'s output; ``cryptography``'s InvalidTag when the
    key, the associated data or any byte is wrong."""
    if len(blob) < GCM_NONCE + GCM_TAG:
        raise ValueError("SM4-GCM message too short")
    nonce, body, tag = blob[:GCM_NONCE], blob[GCM_NONCE:-GCM_TAG], blob[-GCM_TAG:]
    dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    dec.authenticate_additional_data(aad)
    return dec.update(body) + dec.finalize()
