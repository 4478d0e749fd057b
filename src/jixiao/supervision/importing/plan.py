"""What an import looks names up in: units by code or name, leaders by account or name.

Loaded once per template or upload (three queries), so reading 500 rows asks the database
nothing more per row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import User

from jixiao.org.models import RoleGrant, Unit
from jixiao.org.scoping import Scope, for_org

from .columns import LEADERS_SHEET, UNITS_SHEET, CellError


@dataclass(frozen=True)
class LeaderInfo:
    user: User
    name: str  # display name
    units: tuple[str, ...]  # names of the units overseen


@dataclass
class Lookups:
    units: list[Unit]
    leaders: list[LeaderInfo]
    _unit_codes: dict[str, Unit] = field(default_factory=dict)
    _unit_names: dict[str, list[Unit]] = field(default_factory=dict)
    _leader_accounts: dict[str, LeaderInfo] = field(default_factory=dict)
    _leader_names: dict[str, list[LeaderInfo]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names: defaultdict[str, list[Unit]] = defaultdict(list)
        for u in self.units:
            self._unit_codes[u.code.lower()] = u
            names[u.name.strip()].append(u)
        self._unit_names = dict(names)
        people: defaultdict[str, list[LeaderInfo]] = defaultdict(list)
        for info in self.leaders:
            self._leader_accounts[info.user.get_username().lower()] = info
            people[info.name].append(info)
        self._leader_names = dict(people)

    def unit(self, text: str) -> Unit:
        """A unit by its code (any case) or its exact name."""
        key = text.strip()
        by_code = self._unit_codes.get(key.lower())
        if by_code is not None:
            return by_code
        named = self._unit_names.get(key, [])
        if len(named) == 1:
            return named[0]
        if named:
            codes = "、".join(u.code for u in named)
            raise CellError(f"有 {len(named)} 个单位名为“{key}”，请改填单位编码（{codes}）")
        raise CellError(f"找不到单位“{key}”（请填写单位编码或全称，见“{UNITS_SHEET}”工作表）")

    def leader(self, text: str) -> User:
        """A user with the leader role, by account (any case) or display name."""
        key = text.strip()
        by_account = self._leader_accounts.get(key.lower())
        if by_account is not None:
            return by_account.user
        named = self._leader_names.get(key, [])
        if len(named) == 1:
            return named[0].user
        if named:
            accounts = "、".join(i.user.get_username() for i in named)
            raise CellError(f"有 {len(named)} 位领导名为“{key}”，请改填账号（{accounts}）")
        raise CellError(f"找不到领导“{key}”（须为具有领导角色的账号或姓名，见“{LEADERS_SHEET}”工作表）")


def lookups_load(scope: Scope | None = None) -> Lookups:
    """The names an import may use: those of the scope's organisation (all, without a scope)."""
    unit_qs = Unit.objects.order_by("level", "position", "code")
    grant_qs = RoleGrant.objects.filter(role=RoleGrant.Role.LEADER, user__is_active=True)
    if scope is not None:
        unit_qs, grant_qs = for_org(unit_qs, scope), for_org(grant_qs, scope)
    units = list(unit_qs)
    overseen: defaultdict[int, list[str]] = defaultdict(list)
    users: dict[int, User] = {}
    for g in (grant_qs.select_related("user", "unit").order_by("user__username", "unit__code")):
        users[g.user_id] = g.user
        if g.unit is not None:
            overseen[g.user_id].append(g.unit.name)
    leaders = [LeaderInfo(user=u, name=(u.get_full_name() or u.get_username()).strip(), units=tuple(overseen[pk]))
               for pk, u in users.items()]
    return Lookups(units=units, leaders=leaders)
