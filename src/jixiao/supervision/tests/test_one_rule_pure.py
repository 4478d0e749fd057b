"""The one rule of overdue days and lights (``lights.overdue_days`` / ``lights.light_of``, also
``rules.*``), pure: no database. Its conventions are the module's docstring; each is pinned here."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from jixiao.supervision import lights, rules
from jixiao.supervision.lights import Facts, light_of, overdue_days

D = dt.date
TODAY = D(2026, 3, 10)
dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))
RUNNING = ("assigned", "signed", "in_progress")


def test_rules_exports_the_same_function():
    assert rules.light_of is lights.light_of and rules.overdue_days is lights.overdue_days


def test_the_deadline_day_is_on_time_and_the_next_day_is_one_day_late():
    assert overdue_days(D(2026, 3, 10), None, D(2026, 3, 10)) == 0
    assert overdue_days(D(2026, 3, 10), None, D(2026, 3, 11)) == 1
    # calendar days: a weekend counts (2026-03-14/15 are a Saturday and a Sunday)
    assert overdue_days(D(2026, 3, 13), None, D(2026, 3, 16)) == 3


def test_a_completion_report_stops_the_clock():
    assert overdue_days(D(2026, 3, 4), D(2026, 3, 8), D(2026, 3, 10)) == 4
    assert overdue_days(D(2026, 3, 4), D(2026, 3, 3), D(2026, 3, 10)) == 0


@given(dates, st.none() | dates, dates)
def test_overdue_days_are_never_negative(deadline, done_at, today):
    assert overdue_days(deadline, done_at, today) >= 0


@given(dates, dates, st.integers(1, 400))
def test_overdue_days_grow_one_a_day_until_the_report(deadline, today, step):
    later = today + dt.timedelta(days=step)
    a, b = overdue_days(deadline, None, today), overdue_days(deadline, None, later)
    assert b >= a and (a == 0 or b - a == step)


@given(dates, dates, dates, dates)
def test_a_report_freezes_the_days_whatever_today_is(deadline, done_at, today, other):
    assert overdue_days(deadline, done_at, today) == overdue_days(deadline, done_at, other)


def test_red_says_how_many_days_late():
    got = light_of(Facts(state="in_progress", deadline=D(2026, 3, 6), warn_days=3), TODAY)
    assert (got.colour, got.overdue_days, got.text) == ("red", 4, "红灯：已逾期4天")


def test_yellow_names_the_days_left_and_the_threshold():
    got = light_of(Facts(state="signed", deadline=D(2026, 3, 12), warn_days=3), TODAY)
    assert got.text == "黄灯：距办结时限还有2天（预警阈值3天）" and got.overdue_days == 0
    got = light_of(Facts(state="signed", deadline=TODAY, warn_days=5), TODAY)
    assert got.text == "黄灯：办结时限今天到期（预警阈值5天）"


def test_yellow_for_a_milestone_names_it():
    f = Facts(state="in_progress", deadline=D(2026, 6, 1), warn_days=3, next_milestone=D(2026, 3, 7),
              milestone_title="完成摸底")
    assert light_of(f, TODAY).text == "黄灯：阶段节点“完成摸底”已滞后3天"


def test_reported_late_is_red_with_the_days_at_the_report_not_today():
    # The bug of issue 12: the notice counted to today (6), the list to the report (4).
    f = Facts(state="reported", deadline=D(2026, 3, 4), warn_days=3, completed_on=D(2026, 3, 8))
    got = light_of(f, TODAY)
    assert (got.colour, got.overdue_days) == ("red", 4)
    assert got.text == "红灯：逾期4天报送办结报告，待核查"


def test_done_late_is_grey_but_keeps_its_days_and_says_so():
    f = Facts(state="closed", deadline=D(2026, 3, 4), warn_days=3, completed_on=D(2026, 3, 6),
              closed_on=D(2026, 3, 9))
    got = light_of(f, TODAY)
    assert (got.colour, got.overdue_days) == ("done", 2)
    assert got.reason == "于 2026-03-09 办结销号（逾期2天报送办结报告）"


def test_returned_is_red_with_the_check_reason_and_the_days():
    f = Facts(state="returned", deadline=D(2026, 3, 8), warn_days=3, return_reason="缺验收报告")
    assert light_of(f, TODAY).text == "红灯：核查退回重办（缺验收报告），已逾期2天"


def test_not_assigned_runs_no_clock():
    got = light_of(Facts(state="registered", deadline=D(2026, 1, 1), warn_days=3), TODAY)
    assert (got.colour, got.overdue_days) == ("waiting", 0)


@given(st.sampled_from(lights.OPEN_STATES + lights.DONE_STATES + lights.WAITING_STATES), dates,
       st.none() | dates, st.none() | dates, st.integers(0, 30), dates)
def test_every_yellow_or_red_light_has_a_reason_and_red_days_match(state, deadline, completed, milestone, warn,
                                                                   today):
    f = Facts(state=state, deadline=deadline, warn_days=warn, completed_on=completed if state != "returned" else None,
              next_milestone=milestone)
    got = light_of(f, today)
    assert got.text.startswith(lights.LABELS[got.colour])
    if got.colour in ("yellow", "red"):
        assert got.reason
    if got.colour == "red" and got.overdue_days:
        assert f"逾期{got.overdue_days}天" in got.reason
    if got.colour == "yellow":
        assert f"预警阈值{warn}天" in got.reason or "滞后" in got.reason
    # the days are the same function every caller uses
    assert got.overdue_days == lights.days_late(state, deadline, f.completed_on, today)


@given(st.sampled_from(RUNNING), dates, dates, st.integers(0, 30))
def test_red_exactly_when_overdue(state, deadline, today, warn):
    got = light_of(Facts(state=state, deadline=deadline, warn_days=warn), today)
    assert (got.colour == "red") == (overdue_days(deadline, None, today) > 0)
