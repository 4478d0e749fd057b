"""Password policy profile (密码策略): pure rules, no Django, so every path that sets a password
(account creation, change, reset) applies the same ones and they are testable without a database.

- at least 8 characters, 12 for administrators (office admins and system-level accounts);
- at least three of four character classes (lower case, upper case, digits, other);
- not the username (nor containing it, in any case);
- not in the common-password list (Django's list of 20 000 plus obvious local ones);
- expires after ``JIXIAO_PASSWORD_MAX_AGE_DAYS`` (default 90; 0: never), checked at login.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MIN_LENGTH = 8
MIN_LENGTH_ADMIN = 12
MIN_CLASSES = 3
DEFAULT_MAX_AGE_DAYS = 90
# Passwords seen in Chinese leaks that a foreign list may miss.
LOCAL_COMMON = frozenset({"123456", "12345678", "123456789", "1234567890", "111111", "000000", "88888888",
                          "666666", "a123456", "a12345678", "woaini1314", "qq123456", "abc123456",
                          "password", "password1", "admin123", "admin@123", "admin123456", "p@ssw0rd",
                          "passw0rd!", "qwerty123", "1qaz2wsx", "1qaz@wsx", "1qaz!qaz", "zxcvbnm123",
                          "jixiao-demo", "jixiao123", "jixiao@123", "Aa123456", "Aa123456!"})


@dataclass(frozen=True)
class PolicyProblem:
    code: str
    message: str


def _classes(password: str) -> int:
    return sum(bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]"))


@cache
def _django_common() -> frozenset[str]:
    try:
        import django.contrib.auth

        path = Path(django.contrib.auth.__file__).parent / "common-passwords.txt.gz"
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return frozenset(line.strip().lower() for line in f if line.strip())
    except OSError:  # pragma: no cover - Django ships the file
        return frozenset()


def is_common(password: str) -> bool:
    p = password.lower()
    return p in {c.lower() for c in LOCAL_COMMON} or p in _django_common()


def check_password_policy(password: str, *, username: str = "", administrator: bool = False) -> list[PolicyProblem]:
    """Every rule the password breaks, in Chinese; empty when it holds."""
    problems: list[PolicyProblem] = []
    minimum = MIN_LENGTH_ADMIN if administrator else MIN_LENGTH
    if len(password) < minimum:
        who = "管理员账号" if administrator else "密码"
        problems.append(PolicyProblem("too_short", f"{who}至少需要 {minimum} 个字符"))
    if _classes(password) < MIN_CLASSES:
        problems.append(PolicyProblem("classes", "密码须包含大写字母、小写字母、数字、符号中的至少三类"))
    name = username.strip().lower()
    if name and (password.lower() == name or (len(name) >= 3 and name in password.lower())):
        problems.append(PolicyProblem("username", "密码不能与用户名相同或包含用户名"))
    if is_common(password):
        problems.append(PolicyProblem("common", "密码过于常见，请换一个"))
    return problems


def password_expired(age_days: float, *, max_age_days: int) -> bool:
    """Whether a password set ``age_days`` ago has expired (``max_age_days`` 0: never)."""
    return max_age_days > 0 and age_days >= max_age_days
