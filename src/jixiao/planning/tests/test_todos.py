"""The planning page's 待办: each role sees what waits for its step."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.planning.selectors import todos_for

from .world import east_proposal, section_rules, staff_plan

pytestmark = pytest.mark.django_db


def labels(pl: Any, user: Any) -> dict[str, int]:
    return {t.label: t.count for t in todos_for(scope=pl.scope(user))}


def test_each_role_sees_its_own_step(pl: Any, client: Any) -> None:
    c = pl.cast
    east_proposal(pl, state="submitted")
    east_proposal(pl, state="negotiated", indicator="invest")
    staff_plan(pl, state="submitted")
    section_rules(pl, state="filed")
    assert labels(pl, c.office) == {"待初审的目标申报": 1, "待审批的工作计划": 1, "待备案的考评细则": 1}
    assert labels(pl, c.leader) == {"待审定的目标": 1}
    assert labels(pl, pl.head) == {"待审批的工作计划": 1}
    assert labels(pl, pl.staff_user) == {}
    assert labels(pl, c.reporter) == {}
    client.force_login(c.leader)
    assert "待审定的目标" in client.get("/planning/").content.decode()
