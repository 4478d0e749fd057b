"""The planning tests' world, on top of the shared cast: a 2025 assessment (plan.yaml) with
targets to negotiate for the towns and work plans for staff; a section 党政办 under 东镇 with its
head and one member of staff (张三) who has an account. The clock is frozen at ``TODAY``
(2025-01-06, before Q1 ends, after the plans' deadline for Q1 and before Q2 starts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import time_machine

TODAY = dt.date(2025, 1, 6)
CST = dt.timezone(dt.timedelta(hours=8))
SCHEME = (Path(__file__).parent / "plan.yaml").read_text(encoding="utf-8")
PASSWORD = "cast-password-1"


@dataclass
class Pl:
    cast: Any
    assessment: Any
    q1: Any
    q2: Any
    section: Any
    head: Any  # 党政办 unit head (科室负责人)
    staff_user: Any
    staff_obj: Any
    traveller: Any

    def travel(self, day: dt.date) -> None:
        self.traveller.move_to(dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=CST))

    def scope(self, user: Any) -> Any:
        from jixiao.org.selectors import scope_for_user

        return scope_for_user(user)


@pytest.fixture
def pl(cast: Any) -> Iterator[Pl]:
    from jixiao.org import services as org
    from jixiao.org.models import Category, RoleGrant, Unit
    from jixiao.schemes import services as sch

    with time_machine.travel(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=CST), tick=False) as t:
        staff_cat = org.category_create(actor=None, code="staff", name="一般人员", subject=Category.Subject.PERSON)
        section = org.unit_create(actor=None, code="east-dzb", name="东镇党政办", kind=Unit.Kind.SECTION,
                                  parent=cast.east)
        head = org.account_create(actor=None, username="dzb_head", password=PASSWORD, display_name="党政办主任")
        org.grant_add(actor=None, user=head, role=RoleGrant.Role.UNIT_HEAD, unit=section)
        staff_user = org.account_create(actor=None, username="zhangsan", password=PASSWORD, display_name="张三")
        person = org.person_create(actor=None, code="zhangsan", name="张三", unit=section, user=staff_user)
        org.grant_add(actor=None, user=staff_user, role=RoleGrant.Role.STAFF, unit=section)
        staff_obj = org.object_create(actor=None, code="zhangsan", name="张三", category=staff_cat, unit=section,
                                      person=person)
        version = sch.scheme_create(actor=None, code="plan-2025", name="目标与计划测试方案", text=SCHEME)
        sch.scheme_version_adopt(actor=None, version=version)
        a = sch.assessment_create(actor=None, code="plan-2025", name="测试县2025年度考核", year=2025, version=version)
        yield Pl(cast=cast, assessment=a, q1=a.periods.get(code="2025-Q1"), q2=a.periods.get(code="2025-Q2"),
                 section=section, head=head, staff_user=staff_user, staff_obj=staff_obj, traveller=t)
