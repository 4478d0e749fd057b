"""A campaign on the shared cast (conftest.py at the root): 测试县 rates its towns 东镇 and 西镇 for
领导评估 (``ldpg``, a 评分 indicator of 30 points) in 2024-Q1, on 优秀 100 / 称职 90 / 基本称职 80 /
不称职 60, by the public (群众, weight 1; tokens) and, by account, 东镇's people (下评上, weight 1).

People of 东镇 with accounts: ``head`` (中层正职), ``staff1``, ``staff2`` (一般人员).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

SCALE = "优秀 = 100\n称职 = 90\n基本称职 = 80\n不称职 = 60"


@dataclass
class Ev:
    cast: Any
    campaign: Any
    public: Any  # RaterGroup 群众 (tokens)
    staff_group: Any  # RaterGroup 下级评价 (accounts)
    head: Any  # users
    staff1: Any
    staff2: Any
    office_scope: Any

    def scope(self, user: Any) -> Any:
        from jixiao.org.selectors import scope_for_user

        return scope_for_user(user)


def make_campaign(cast: Any, *, name: str = "2024年一季度领导评估测评", min_group: int = 5,
                  trim_pct: Decimal = Decimal(0), feed: str = "score", indicator: str = "ldpg",
                  scale: str = SCALE, objects: Any = None) -> Any:
    from jixiao.evaluations import rules
    from jixiao.evaluations.services import campaign_create
    from jixiao.org.selectors import scope_for_user

    now = timezone.now()
    return campaign_create(
        actor=cast.office, scope=scope_for_user(cast.office), assessment=cast.assessment, period=cast.q1, name=name,
        indicator=indicator, feed=feed, scale=rules.parse_scale(scale),
        dimensions=rules.parse_weights("总体评价", what="测评维度"),
        objects=objects or [cast.east_obj, cast.west_obj], opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1), trim_pct=trim_pct, min_group=min_group)


@pytest.fixture
def ev(cast: Any) -> Ev:
    from jixiao.evaluations.services import rater_group_add
    from jixiao.org import services as org
    from jixiao.org.models import Person, RoleGrant
    from jixiao.org.selectors import scope_for_user

    def person(code: str, level: str) -> Any:
        user = org.account_create(actor=None, username=code, password="cast-password-1", display_name=code)
        org.grant_add(actor=None, user=user, role=RoleGrant.Role.STAFF, unit=cast.east)
        org.person_create(actor=None, code=code, name=code, unit=cast.east, level=level, user=user)
        return user

    head = person("head", Person.Level.HEAD)
    staff1 = person("staff1", Person.Level.STAFF)
    staff2 = person("staff2", Person.Level.STAFF)
    office = scope_for_user(cast.office)
    campaign = make_campaign(cast)
    public = rater_group_add(actor=cast.office, scope=office, campaign=campaign, kind="public", subtype="resident",
                             name="群众", weight=Decimal(1), paper_issued=10)
    staff_group = rater_group_add(actor=cast.office, scope=office, campaign=campaign, kind="subordinate",
                                  name="干部职工", weight=Decimal(1))
    return Ev(cast=cast, campaign=campaign, public=public, staff_group=staff_group, head=head, staff1=staff1,
              staff2=staff2, office_scope=office)


def opened(ev: Ev) -> Any:
    from jixiao.evaluations.services import campaign_open

    ev.campaign = campaign_open(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign)
    return ev.campaign
