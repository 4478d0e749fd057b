"""Delegated assessment (四级考核): the unit head files his rules, the office returns them, he
revises and files again, the office accepts; a scheme file is checked on saving and registered as
a draft scheme on acceptance; nobody else files, and another organisation never acts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.planning.models import DelegatedScheme
from jixiao.planning.services.delegated import delegated_decide, delegated_save
from jixiao.schemes.models import Scheme

from .world import section_rules

pytestmark = pytest.mark.django_db
YAML = (Path(__file__).parent / "plan.yaml").read_text(encoding="utf-8").replace("plan-2025", "dzb-2025")


def test_file_return_revise_accept_registers_the_scheme(pl: Any) -> None:
    d = section_rules(pl, state="filed")
    office = pl.scope(pl.cast.office)
    with pytest.raises(ServiceError) as e:
        delegated_decide(actor=pl.cast.office, scope=office, delegated=d, accept=False)
    assert e.value.field == "comment"
    delegated_decide(actor=pl.cast.office, scope=office, delegated=d, accept=False, comment="请补充计分办法")
    d = DelegatedScheme.objects.get(pk=d.pk)
    assert d.state == "returned"
    with pytest.raises(ServiceError) as e:
        delegated_save(actor=pl.head, scope=pl.scope(pl.head), unit=pl.section, year=2025, title=d.title,
                       content=d.content, scheme_text="categories: [", submit=True, delegated=d)
    assert e.value.field == "scheme_text" and "方案校验未通过" in e.value.message
    delegated_save(actor=pl.head, scope=pl.scope(pl.head), unit=pl.section, year=2025, title=d.title,
                   content=d.content + "计分办法：完成分值÷计划分值×100。", scheme_text=YAML, submit=True, delegated=d)
    d = delegated_decide(actor=pl.cast.office, scope=office, delegated=DelegatedScheme.objects.get(pk=d.pk),
                         accept=True)
    assert d.state == "accepted" and Scheme.objects.filter(code=d.scheme_code).exists()
    actions = list(d.steps.values_list("action", flat=True))
    assert actions == ["file", "file_return", "file", "accept"]


def test_only_the_unit_head_files(pl: Any, other_org: Any) -> None:
    c = pl.cast
    for user in (c.office, c.reporter, c.leader, pl.staff_user, other_org.office):
        with pytest.raises(NotAllowed):
            delegated_save(actor=user, scope=pl.scope(user), unit=pl.section, year=2025, title="细则",
                           content="考核对象：党政办全体干部职工，按月计分，季度汇总。")
    d = section_rules(pl, state="filed")
    with pytest.raises(NotAllowed):
        delegated_decide(actor=other_org.office, scope=pl.scope(other_org.office), delegated=d, accept=True)
    from jixiao.planning.selectors import delegated_for

    assert not delegated_for(scope=pl.scope(other_org.office)).exists()
