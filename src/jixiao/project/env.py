"""Typed readers for settings from the environment that fail early, naming the variable.

A misspelt boolean or a non-number port should stop the process at start-up with the name
of the variable, not surface later as odd behaviour.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"environment variable {name} is required")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        n = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer") from None
    if minimum is not None and n < minimum:
        raise ImproperlyConfigured(f"{name}={n} is below the minimum {minimum}")
    return n


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}")
    return value


def env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def env_keys(name: str, default: dict[str, bytes] | None, *, sizes: tuple[int, ...]) -> dict[str, bytes]:
    """A key ring ``id:hex,id:hex,...`` (the first is the active key; the others still decrypt or
    verify what they sealed before a rotation). Ids are short lowercase names; each key is hex of
    one of ``sizes`` bytes. Required when ``default`` is None (production)."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        if default is None:
            raise ImproperlyConfigured(f"environment variable {name} is required (id:hex,... — first is active)")
        return default
    ring: dict[str, bytes] = {}
    for part in value.split(","):
        kid, sep, hexkey = part.strip().partition(":")
        if not sep or not kid.isascii() or not kid.replace("-", "").isalnum() or len(kid) > 16:
            raise ImproperlyConfigured(f"{name}: {kid!r} is not a key id (letters and digits, up to 16)")
        try:
            key = bytes.fromhex(hexkey.strip())
        except ValueError:
            raise ImproperlyConfigured(f"{name}: the key {kid!r} is not hexadecimal") from None
        if len(key) not in sizes:
            raise ImproperlyConfigured(f"{name}: the key {kid!r} has {len(key)} bytes, not one of {sizes}")
        if kid in ring:
            raise ImproperlyConfigured(f"{name}: the key id {kid!r} appears twice")
        ring[kid] = key
    return ring


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate ``requests/seconds`` (``600/60``), both positive integers."""
    value = os.environ.get(name, default).strip()
    count, sep, seconds = value.partition("/")
    try:
        n, s = int(count), int(seconds)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a rate like 600/60 (requests/seconds)") from None
    if not sep or n < 1 or s < 1:
        raise ImproperlyConfigured(f"{name}={value!r} is not a rate like 600/60 (requests/seconds)")
    return n, s
