"""What may go into a log or an audit entry: secrets removed, personal data masked, CR/LF
escaped (no forged log lines). Pure: no Django."""

from __future__ import annotations

import re
from typing import Any

SECRET_KEYS = re.compile(r"pass(word)?|secret|token|api_?key|otp|credential", re.I)
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
PHONE_KEYS = re.compile(r"phone|mobile|(^|_)tel($|_)|id_?number|id_?card|身份证|电话|手机", re.I)
MASK = "******"


def mask_phone(text: str) -> str:
    """Any phone or ID number of a field that holds one: every digit but the first 3 and last 4
    hidden (0311-****5678, 138****5678)."""
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    hide = set(digits[3:-4]) if len(digits) > 7 else set(digits)
    return "".join("*" if i in hide else ch for i, ch in enumerate(text))


def mask_text(text: str) -> str:
    """Mobile numbers as 138****5678, ID numbers as 110101********123X, CR/LF as \\r \\n."""
    text = ID_NUMBER.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    text = MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return text.replace("\r", "\\r").replace("\n", "\\n")


def mask_value(value: Any, key: str = "") -> Any:
    """A JSON-like value with secrets replaced and personal data masked, recursively."""
    if key and SECRET_KEYS.search(key) and value not in (None, "", [], {}):
        return MASK
    if isinstance(value, str):
        if key and PHONE_KEYS.search(key):
            return mask_text(mask_phone(value))
        return mask_text(value)
    if isinstance(value, dict):
        return {k: mask_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(v, key) for v in value]
    return value
