"""The administrators beside the test cast: one of each of the three (三员), in the cast's county."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixiao.org import services as org
from jixiao.org.models import RoleGrant

ADMIN_PASSWORD = "Three-Admins-2026!"
R = RoleGrant.Role


@dataclass
class Admins:
    sysadmin: Any
    secadmin: Any
    auditor: Any


def admins(cast: Any) -> Admins:
    def make(username: str, role: str) -> Any:
        user = org.account_create(actor=None, username=username, password=ADMIN_PASSWORD, administrator=True)
        org.grant_add(actor=None, user=user, role=role, organisation=cast.county.organisation)
        return user

    return Admins(sysadmin=make("sysadm", R.SYSTEM_ADMIN), secadmin=make("secadm", R.SECURITY_ADMIN),
                  auditor=make("auditor", R.AUDIT_ADMIN))
