"""Matters for the supervision tests, on top of the shared cast (conftest.py at the root).

The clock is frozen at ``TODAY`` (2026-03-02) by ``time-machine`` for every test that uses ``sv``;
tests move it with ``sv.travel(date)``. Matters:

- ``east_task``: 东镇 leads, 西镇 co-handles, leader ``leader`` in charge, assigned 2026-03-02,
  deadline 2026-03-31, a milestone due 2026-03-15 — green today;
- ``west_task``: 西镇 leads, no leader, assigned, deadline 2026-03-04 — yellow today (within 3 days);
- ``draft``: 东镇, registered only (grey, ``waiting``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

TODAY = dt.date(2026, 3, 2)
CST = dt.timezone(dt.timedelta(hours=8))


@dataclass
class Sv:
    cast: Any
    east_task: Any
    west_task: Any
    draft: Any
    traveller: Any

    def travel(self, day: dt.date) -> None:
        """Move the frozen clock to 09:00 local time of ``day``."""
        self.traveller.move_to(dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=CST))

    def scope(self, user: Any) -> Any:
        from jixiao.org.selectors import scope_for_user

        return scope_for_user(user)


def make_input(cast: Any, *, title: str, lead: Any, deadline: dt.date, co: tuple[Any, ...] = (),
               leader: Any = None, milestones: tuple[tuple[str, dt.date], ...] = (), **kw: Any) -> Any:
    from jixiao.supervision.services import MatterInput, MilestoneInput

    return MatterInput(title=title, lead_unit=lead, deadline=deadline, co_units=co,
                       leader_id=leader.pk if leader else None,
                       milestones=tuple(MilestoneInput(title=t, due=d) for t, d in milestones), **kw)


def assigned(cast: Any, data: Any) -> Any:
    from jixiao.org.selectors import scope_for_user
    from jixiao.supervision.services import matter_assign, matter_register

    office = scope_for_user(cast.office)
    m = matter_register(actor=cast.office, scope=office, data=data)
    return matter_assign(actor=cast.office, scope=office, matter=m)


@pytest.fixture
def sv(cast: Any, settings: Any) -> Iterator[Sv]:
    # These tests move the clock by days within one login: the session timeouts (tested in
    # org/tests/test_authentication.py) would end the session at every step.
    settings.JIXIAO_SESSION_IDLE_SECONDS = settings.JIXIAO_SESSION_ABSOLUTE_SECONDS = 10 * 365 * 86400
    settings.SESSION_COOKIE_AGE = 10 * 365 * 86400
    from jixiao.org.selectors import scope_for_user
    from jixiao.supervision.services import matter_register

    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=CST),
                             tick=False) as traveller:
        east_task = assigned(cast, make_input(
            cast, title="推进老旧小区改造", lead=cast.east, co=(cast.west,), leader=cast.leader,
            deadline=dt.date(2026, 3, 31), milestones=(("完成摸底调查", dt.date(2026, 3, 15)),),
            content="完成东镇3个老旧小区改造", materials="改造方案\n验收报告", liaison="张三",
            liaison_phone="13800000000"))
        west_task = assigned(cast, make_input(cast, title="整治道路扬尘", lead=cast.west,
                                              deadline=dt.date(2026, 3, 4)))
        draft = matter_register(actor=cast.office, scope=scope_for_user(cast.office),
                                data=make_input(cast, title="筹备防汛演练", lead=cast.east,
                                                deadline=dt.date(2026, 6, 30)))
        yield Sv(cast=cast, east_task=east_task, west_task=west_task, draft=draft, traveller=traveller)
