"""The traffic-light rules, pure (no database): examples of each rule and properties over many."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from jixiao.supervision import lights

TODAY = dt.date(2026, 3, 10)


def one(state: str, deadline: dt.date, *, milestone: dt.date | None = None, completed: dt.date | None = None,
        warn: int = 3, today: dt.date = TODAY) -> str:
    cols = lights.Columns(state=np.array([state]), deadline=lights.days([deadline]),
                          next_milestone=lights.days([milestone]), completed_on=lights.days([completed]),
                          warn_days=np.array([warn], dtype=np.int64))
    return lights.names(lights.compute(cols, today))[0]


def test_green_when_far_from_the_deadline():
    assert one("in_progress", dt.date(2026, 3, 20)) == "green"


def test_yellow_within_the_warning_days_inclusive():
    assert one("signed", dt.date(2026, 3, 13)) == "yellow"
    assert one("signed", dt.date(2026, 3, 14)) == "green"
    assert one("signed", dt.date(2026, 3, 14), warn=4) == "yellow"


def test_due_today_is_yellow_not_red():
    assert one("signed", TODAY) == "yellow"


def test_red_the_day_after_the_deadline():
    assert one("in_progress", dt.date(2026, 3, 9)) == "red"


def test_returned_is_red_even_far_from_the_deadline():
    assert one("returned", dt.date(2026, 12, 31)) == "red"


def test_a_milestone_near_or_behind_is_yellow():
    assert one("in_progress", dt.date(2026, 6, 1), milestone=dt.date(2026, 3, 12)) == "yellow"
    assert one("in_progress", dt.date(2026, 6, 1), milestone=dt.date(2026, 3, 1)) == "yellow"
    assert one("in_progress", dt.date(2026, 6, 1), milestone=dt.date(2026, 4, 1)) == "green"


def test_a_report_on_time_stops_the_clock():
    assert one("reported", dt.date(2026, 3, 5), completed=dt.date(2026, 3, 5)) == "green"
    assert one("reported", dt.date(2026, 3, 5), completed=dt.date(2026, 3, 6)) == "red"
    # awaiting the office's check near the deadline is not the unit's warning any more
    assert one("reported", dt.date(2026, 3, 11), completed=dt.date(2026, 3, 9)) == "green"


def test_not_assigned_and_done_are_grey():
    assert one("registered", dt.date(2026, 3, 1)) == "waiting"
    assert one("reviewed", dt.date(2026, 3, 1)) == "waiting"
    assert one("closed", dt.date(2026, 3, 1)) == "done"
    assert one("checked", dt.date(2026, 3, 1)) == "done"


OPEN = ("assigned", "signed", "in_progress", "returned", "reported")
dates = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31))


@given(st.lists(st.tuples(st.sampled_from(OPEN), dates, st.none() | dates, st.integers(0, 30)), min_size=1,
                max_size=40), dates)
def test_column_result_equals_one_by_one(rows, today):
    """The vectorised computation gives each row what it would get alone (no cross-row leakage)."""
    states, deadlines, ms, warn = zip(*rows, strict=True)
    cols = lights.Columns(state=np.array(states), deadline=lights.days(deadlines), next_milestone=lights.days(ms),
                          completed_on=lights.days([None] * len(rows)), warn_days=np.array(warn, dtype=np.int64))
    got = lights.names(lights.compute(cols, today))
    assert got == [one(s, d, milestone=m, warn=w, today=today) for s, d, m, w in rows]


@given(st.sampled_from(("assigned", "signed", "in_progress")), dates, dates, st.integers(0, 30))
def test_lights_only_worsen_as_time_passes(state, deadline, today, warn):
    """For a matter nobody touches, green → yellow → red as days go by, never back."""
    order = {"green": 0, "yellow": 1, "red": 2}
    later = today + dt.timedelta(days=1)
    assert order[one(state, deadline, warn=warn, today=later)] >= order[one(state, deadline, warn=warn, today=today)]


@given(dates, dates, st.integers(0, 30))
def test_red_exactly_when_past_the_deadline(deadline, today, warn):
    assert (one("in_progress", deadline, warn=warn, today=today) == "red") == (today > deadline)
