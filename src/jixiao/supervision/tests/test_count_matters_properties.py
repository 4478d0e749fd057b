"""Properties of ``count_matters`` (pure): the counts add up, never go negative, a matter counts in
one period at most, counts only grow as the days pass and settle once a period has ended, and the
two kinds of matter add up to the blank-source count."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from jixiao.supervision.models import Matter
from jixiao.supervision.services.scores import Counts, MatterRow, count_matters

S = Matter.State
UNITS = (1, 2, 3)
KINDS = tuple(Matter.Kind.values)
YEAR_START = dt.date(2026, 1, 1)
YEAR_END = dt.date(2026, 12, 31)
# Quarters: disjoint periods covering the year.
QUARTERS = [(dt.date(2026, 1, 1), dt.date(2026, 3, 31)), (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
            (dt.date(2026, 7, 1), dt.date(2026, 9, 30)), (dt.date(2026, 10, 1), dt.date(2026, 12, 31))]

days = st.dates(min_value=dt.date(2025, 12, 1), max_value=dt.date(2027, 1, 31))


@st.composite
def matters(draw: st.DrawFn) -> MatterRow:
    """A matter as the chain can leave it: a completion date only while a completion report stands
    (reported, checked, closed); a check-return clears it."""
    state = draw(st.sampled_from(S.values))
    completed = draw(days) if state in (S.REPORTED, S.CHECKED, S.CLOSED) else None
    return MatterRow(unit=draw(st.sampled_from(UNITS)), kind=draw(st.sampled_from(KINDS)), state=state,
                     deadline=draw(days), completed_on=completed)


returns = st.lists(st.tuples(st.sampled_from(UNITS), st.sampled_from(KINDS), days), max_size=8)
kinds = st.sampled_from((None, *KINDS))
periods = st.sampled_from([*QUARTERS, (YEAR_START, YEAR_END)])


def counts(rows: list[MatterRow], rets: list[tuple[int, str, dt.date]], period: tuple[dt.date, dt.date],
           today: dt.date, kind: str | None) -> dict[int, Counts]:
    return count_matters(rows, rets, starts=period[0], ends=period[1], today=today, kind=kind)


@given(st.lists(matters(), max_size=25), returns, periods, days, kinds)
def test_due_is_on_time_plus_overdue_and_nothing_is_negative(rows, rets, period, today, kind):
    out = counts(rows, rets, period, today, kind)
    for c in out.values():
        assert c.due == c.on_time + c.overdue
        assert min(c.due, c.on_time, c.overdue, c.returned) >= 0
    assigned = Counter(m.unit for m in rows if m.state not in Matter.BEFORE_ASSIGNMENT
                       and period[0] <= m.deadline <= period[1] and (kind is None or m.kind == kind))
    for unit, c in out.items():
        assert c.due <= assigned[unit]  # only assigned matters with a deadline in the period count


@given(matters(), days, kinds)
def test_a_matter_counts_in_one_period_at_most(m, today, kind):
    total = sum(counts([m], [], q, today, kind).get(m.unit, Counts()).due for q in QUARTERS)
    assert total <= 1
    if m.state in (S.CHECKED, S.CLOSED) and YEAR_START <= m.deadline <= YEAR_END and kind in (None, m.kind):
        assert total == 1  # a settled matter is always counted, in the quarter of its deadline


@given(st.lists(matters(), max_size=25), returns, periods, days, days, kinds)
def test_counts_only_grow_as_the_days_pass(rows, rets, period, day1, day2, kind):
    early, late = sorted((day1, day2))
    before = counts(rows, rets, period, early, kind)
    after = counts(rows, rets, period, late, kind)
    for unit in UNITS:
        b, a = before.get(unit, Counts()), after.get(unit, Counts())
        assert a.due >= b.due and a.returned >= b.returned
        assert a.on_time == b.on_time  # settled on time does not depend on the day it is counted


@given(st.lists(matters(), max_size=25), returns, periods, st.integers(0, 400), kinds)
def test_counts_settle_once_the_period_has_ended(rows, rets, period, later, kind):
    ends = period[1]
    assert counts(rows, rets, period, ends, kind) == counts(rows, rets, period, ends + dt.timedelta(days=later), kind)


@given(st.lists(matters(), max_size=25), returns, periods, days)
def test_the_kinds_add_up_to_the_blank_source(rows, rets, period, today):
    both = counts(rows, rets, period, today, None)
    parts = [counts(rows, rets, period, today, k) for k in KINDS]
    for unit in UNITS:
        got = [p.get(unit, Counts()) for p in parts]
        whole = both.get(unit, Counts())
        for field in ("due", "on_time", "overdue", "returned"):
            assert getattr(whole, field) == sum(getattr(g, field) for g in got)
