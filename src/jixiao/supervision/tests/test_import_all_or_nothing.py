"""The service writes every row or none: a problem in any row (found by the checks, or raised while
writing) leaves the database as it was and lists the problems."""

from __future__ import annotations

import datetime as dt

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.core.errors import ServiceError
from jixiao.supervision.models import Matter, Step
from jixiao.supervision.services import imports
from jixiao.supervision.services.imports import ImportRefused, ImportRow, matters_import
from jixiao.supervision.tests.conftest import make_input

pytestmark = pytest.mark.django_db


def state(sv):
    return Matter.objects.count(), Step.objects.count(), AuditEntry.objects.count()


def rows(sv, *, bad: bool = False):
    c = sv.cast
    return [
        ImportRow(line=2, data=make_input(c, title="甲", lead=c.east, deadline=dt.date(2026, 4, 1)), assign=True),
        ImportRow(line=3, data=make_input(c, title="乙", lead=c.west, co=(c.west,) if bad else (c.east,),
                                          deadline=dt.date(2026, 4, 1))),
        ImportRow(line=4, data=make_input(c, title="丙", lead=c.west, deadline=dt.date(2026, 2, 1) if bad
                                          else dt.date(2026, 4, 1),
                                          milestones=() if bad else (("摸底", dt.date(2026, 3, 9)),))),
    ]


def test_a_bad_row_refuses_all_and_lists_every_problem(sv):
    before = state(sv)
    with pytest.raises(ImportRefused) as e:
        matters_import(actor=sv.cast.office, scope=sv.scope(sv.cast.office), rows=rows(sv, bad=True))
    assert [str(p) for p in e.value.problems] == [
        "第 3 行 协办单位：协办单位“西镇”与主办单位相同",
        "第 4 行 办结时限：办结时限 2026-02-01 已过",
    ]
    assert isinstance(e.value, ServiceError) and e.value.total == 2 and "2 处问题" in e.value.message
    assert state(sv) == before


def test_a_failure_while_writing_rolls_back_the_rows_already_written(sv, monkeypatch):
    before = state(sv)
    real = imports.matter_register

    def register(**kw):
        if kw["data"].title == "丙":
            raise ServiceError("办结时限 2026-04-01 已过", field="deadline")
        return real(**kw)

    monkeypatch.setattr(imports, "matter_register", register)
    with pytest.raises(ImportRefused) as e:
        matters_import(actor=sv.cast.office, scope=sv.scope(sv.cast.office), rows=rows(sv))
    assert [str(p) for p in e.value.problems] == ["第 4 行 办结时限：办结时限 2026-04-01 已过"]
    assert state(sv) == before


def test_all_good_rows_are_written_with_steps_and_audit(sv):
    office = sv.cast.office
    summary = matters_import(actor=office, scope=sv.scope(office), rows=rows(sv), source_name="三月.xlsx")
    assert [m.title for m in summary.matters] == ["甲", "乙", "丙"]
    assert (summary.count, summary.assigned, summary.registered_only) == (3, 1, 2)
    assert [m.state for m in summary.matters] == ["assigned", "registered", "registered"]
    step = Step.objects.get(matter=summary.matters[2], action="import")
    assert step.note == "Excel 导入：三月.xlsx 第 4 行" and step.actor == office
    entries = AuditEntry.objects.filter(action="matter_import").order_by("id")
    assert [e.after["row"] for e in entries] == [2, 3, 4] and entries[0].actor == office


def test_assign_false_overrides_rows_and_changes_the_rules(sv):
    c = sv.cast
    early = [ImportRow(line=2, assign=True, data=make_input(c, title="甲", lead=c.east, deadline=dt.date(2026, 4, 1),
                                                            milestones=(("摸底", dt.date(2026, 3, 1)),)))]
    office = sv.scope(c.office)
    with pytest.raises(ImportRefused, match="1 处问题") as e:
        matters_import(actor=c.office, scope=office, rows=early)
    assert "早于交办日期 2026-03-02" in str(e.value.problems[0])
    summary = matters_import(actor=c.office, scope=office, rows=early, assign=False)
    assert summary.matters[0].state == "registered" and summary.assigned == 0


def test_an_empty_import_is_refused(sv):
    with pytest.raises(ServiceError, match="没有可导入的事项"):
        matters_import(actor=sv.cast.office, scope=sv.scope(sv.cast.office), rows=[])
