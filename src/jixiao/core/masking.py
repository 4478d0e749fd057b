"""What may go into a log or an audit entry: secrets removed, personal data masked, CR/LF
escaped (no forged log lines). Pure: no Django."""

from __future__ import annotations

import re
from typing import Any

SECRET_KEYS = re.compile(r"pass(word)?|secret|token|api_?key|otp|credential", re.I)
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
MASK = "******"


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
        return mask_text(value)
    if isinstance(value, dict):
        return {k: mask_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(v, key) for v in value]
    return value
