"""Django's hooks onto the policy: the password validator (createsuperuser, changepassword) and
the username axes counts failures under (case-insensitive, like the accounts)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from jixiao.core.passwords import check_password_policy


class PolicyValidator:
    """The password policy profile of jixiao.core.passwords as a Django validator."""

    def validate(self, password: str, user: Any = None) -> None:
        username = user.get_username() if user is not None else ""
        administrator = bool(getattr(user, "is_superuser", False) or getattr(user, "is_staff", False))
        problems = check_password_policy(password, username=username or "", administrator=administrator)
        if problems:
            raise ValidationError([p.message for p in problems], code=problems[0].code)

    def get_help_text(self) -> str:
        return ("至少 8 个字符（管理员 12 个），包含大写字母、小写字母、数字、符号中的至少三类，"
                "不含用户名，不是常见密码。")


def axes_username(request: Any, credentials: dict[str, Any] | None) -> str:
    raw = (credentials or {}).get("username") or (request.POST.get("username", "") if request is not None else "")
    return str(raw).strip().lower()
