"""The reporting calendar with a frozen clock: units behind are reminded N days before the due
date and chased N days after, once each; the rates page marks them late; the lateness deduction is
an approved incident whose note carries the dates, and it flows into the total."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.models import Incident, Reminder
from jixiao.collection.services import ValueInput, values_bulk_upsert
from jixiao.core.errors import ServiceError
from jixiao.planning.services.calendar import calendar_run
from jixiao.planning.services.settings import calendar_save, settings_save
from jixiao.scoring.models import Result

pytestmark = pytest.mark.django_db
D = Decimal
DUE = dt.date(2025, 4, 5)


def setup(pl: Any, **conf: Any) -> None:
    c = pl.cast
    office = pl.scope(c.office)
    settings_save(actor=c.office, scope=office, assessment=pl.assessment,
                  data={"remind_before": 3, "remind_after": 1, **conf})
    calendar_save(actor=c.office, scope=office, period=pl.q1, report_due=DUE, self_due=dt.date(2025, 4, 10),
                  review_due=dt.date(2025, 4, 15))
    # 西镇 reports everything it owes for Q1 (the gdp and invest values; targets are the office's).
    rows = [ValueInput("west", ind, "value", D(100)) for ind in ("gdp", "invest")]
    values_bulk_upsert(actor=c.office, scope=office, period=pl.q1, via="form", rows=rows)


def reminders(unit: Any) -> list[str]:
    return list(Reminder.objects.filter(unit=unit).order_by("sent_at", "id").values_list("message", flat=True))


def test_reminders_before_and_after_once_each(pl: Any) -> None:
    setup(pl)
    c = pl.cast
    pl.travel(dt.date(2025, 4, 1))
    assert calendar_run().reminded == 0  # four days ahead: not yet
    pl.travel(dt.date(2025, 4, 2))
    s = calendar_run()
    assert s.reminded >= 1 and reminders(c.west) == []
    assert "3 天后（2025-04-05）截止" in reminders(c.east)[0]
    assert calendar_run().reminded == 0  # the same day again: nothing more
    pl.travel(dt.date(2025, 4, 5))
    assert calendar_run().reminded == 0  # reminded once before the due date
    pl.travel(dt.date(2025, 4, 6))
    s = calendar_run()
    assert s.chased >= 1 and "已逾期 1 天" in reminders(c.east)[-1]
    pl.travel(dt.date(2025, 4, 8))
    assert calendar_run().chased == 0
    reporting = [m for m in reminders(c.east) if "数据报送" in m]
    assert len(reporting) == 2 and not [m for m in reminders(c.west) if "数据报送" in m]


def test_the_calendar_page_marks_late_units(pl: Any, client: Any) -> None:
    setup(pl)
    pl.travel(dt.date(2025, 4, 7))
    calendar_run()
    client.force_login(pl.cast.office)
    page = client.get("/planning/plan-2025/calendar/?period=2025-Q1").content.decode()
    east = page[page.index("<td>东镇</td>"):][:600]
    assert "逾期未报齐" in east and "逾期催报 04-07" in east
    west = page[page.index("<td>西镇</td>"):][:600]
    assert "逾期未报齐" not in west


def test_lateness_deduction_flows_into_the_total(pl: Any) -> None:
    setup(pl, late_indicator="jianfen", late_item="late", late_per_day=True)
    c = pl.cast
    office = pl.scope(c.office)
    rows = [ValueInput("east", "gdp", "value", D(100)),
            ValueInput("east", "gdp", "target", D(100)), ValueInput("east", "invest", "target", D(100)),
            ValueInput("west", "gdp", "target", D(100)), ValueInput("west", "invest", "target", D(100))]
    values_bulk_upsert(actor=c.office, scope=office, period=pl.q1, via="form", rows=rows)
    # 东镇 still owes its invest value: behind.
    before = Result.objects.get(assessment=pl.assessment, object=c.east_obj).periods["2025-Q1"]["total"]
    pl.travel(dt.date(2025, 4, 8))
    s = calendar_run()
    assert s.deducted == 1
    inc = Incident.objects.get()
    assert (inc.object_id, inc.status, inc.count) == (c.east_obj.pk, "approved", D(3))
    assert "截止 2025-04-05" in inc.note and "截至 2025-04-08" in inc.note and "逾期 3 天" in inc.note
    after = Result.objects.get(assessment=pl.assessment, object=c.east_obj).periods["2025-Q1"]["total"]
    assert after == pytest.approx(before - 1.5)  # 3 days × 0.5
    pl.travel(dt.date(2025, 4, 9))
    assert calendar_run().deducted == 0  # once per period


def test_due_dates_are_checked(pl: Any) -> None:
    c = pl.cast
    with pytest.raises(ServiceError) as e:
        calendar_save(actor=c.office, scope=pl.scope(c.office), period=pl.q2, report_due=dt.date(2025, 3, 1),
                      self_due=None, review_due=None)
    assert e.value.field == "report_due" and "早于考核期开始" in e.value.message


def test_self_assessment_reminders_until_the_report_is_in(pl: Any) -> None:
    from jixiao.planning.services.selfcheck import self_report_save

    setup(pl)
    c = pl.cast
    self_report_save(actor=c.reporter, scope=pl.scope(c.reporter), period=pl.q1, obj=c.east_obj,
                     text="东镇一季度自查自评报告：各项指标按进度推进。")
    pl.travel(dt.date(2025, 4, 8))  # two days before the self-assessment due date (04-10)
    calendar_run()
    assert any("自查自评报告须于 2025-04-10 前提交" in m for m in reminders(c.west))
    assert not any("自查自评" in m for m in reminders(c.east))
    pl.travel(dt.date(2025, 4, 12))
    calendar_run()
    calendar_run()
    assert sum("自查自评报告已于 2025-04-10 截止，贵单位已逾期 2 天" in m for m in reminders(c.west)) == 1
