"""The documented counting rules of ``count_matters``, one example each (README, scores.py):
a matter counts once due or settled, on time only when checked with a report by the deadline, a
report awaiting the check counts in neither, returns count by their date, the kind filters."""

from __future__ import annotations

import datetime as dt

from jixiao.supervision.models import Matter
from jixiao.supervision.services.scores import Counts, MatterRow, count_matters

S = Matter.State
SUP, RECT = Matter.Kind.SUPERVISION, Matter.Kind.RECTIFICATION
Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
DEADLINE = dt.date(2026, 3, 10)


def row(state: str, *, completed: dt.date | None = None, deadline: dt.date = DEADLINE, unit: int = 1,
        kind: str = SUP) -> MatterRow:
    return MatterRow(unit=unit, kind=kind, state=state, deadline=deadline, completed_on=completed)


def q1(rows: list[MatterRow], today: dt.date, *, returns: list[tuple[int, str, dt.date]] | None = None,
       kind: str | None = None) -> Counts:
    return count_matters(rows, returns or [], starts=Q1[0], ends=Q1[1], today=today, kind=kind).get(1, Counts())


def test_an_open_matter_counts_as_overdue_only_after_its_deadline_day():
    m = row(S.IN_PROGRESS)
    assert q1([m], DEADLINE - dt.timedelta(days=1)) == Counts()
    assert q1([m], DEADLINE) == Counts()  # the deadline day itself is still in time
    assert q1([m], DEADLINE + dt.timedelta(days=1)) == Counts(due=1, overdue=1)


def test_a_matter_not_yet_assigned_never_counts():
    for state in Matter.BEFORE_ASSIGNMENT:
        assert q1([row(state)], dt.date(2026, 5, 1)) == Counts()


def test_checked_or_closed_with_the_report_by_the_deadline_is_on_time_at_once():
    early = dt.date(2026, 3, 1)
    for state in (S.CHECKED, S.CLOSED):
        assert q1([row(state, completed=DEADLINE)], early) == Counts(due=1, on_time=1)
        late = row(state, completed=DEADLINE + dt.timedelta(days=1))
        assert q1([late], dt.date(2026, 3, 20)) == Counts(due=1, overdue=1)


def test_a_report_on_time_awaiting_the_check_counts_in_neither():
    waiting = row(S.REPORTED, completed=dt.date(2026, 3, 8))
    assert q1([waiting], dt.date(2026, 3, 25)) == Counts()
    late = row(S.REPORTED, completed=dt.date(2026, 3, 12))  # reported after the deadline: overdue already
    assert q1([late], dt.date(2026, 3, 25)) == Counts(due=1, overdue=1)


def test_a_returned_matter_past_its_deadline_is_overdue():
    assert q1([row(S.RETURNED)], dt.date(2026, 3, 9)) == Counts()
    assert q1([row(S.RETURNED)], dt.date(2026, 3, 11)) == Counts(due=1, overdue=1)


def test_a_matter_belongs_to_the_period_of_its_current_deadline():
    # An approved extension moved the deadline into April: Q1 no longer counts it, Q2 does.
    extended = row(S.CLOSED, completed=dt.date(2026, 4, 2), deadline=dt.date(2026, 4, 15))
    assert q1([extended], dt.date(2026, 6, 1)) == Counts()
    q2 = count_matters([extended], [], starts=dt.date(2026, 4, 1), ends=dt.date(2026, 6, 30),
                       today=dt.date(2026, 6, 1), kind=None)
    assert q2 == {1: Counts(due=1, on_time=1)}


def test_returns_count_by_their_date_up_to_today():
    returns = [(1, SUP, dt.date(2026, 2, 3)), (1, SUP, dt.date(2026, 3, 20)), (1, SUP, dt.date(2026, 4, 2))]
    # The matter behind the returns is due in Q2; the returns count where they happened.
    assert q1([], dt.date(2026, 3, 1), returns=returns) == Counts(returned=1)
    assert q1([], dt.date(2026, 3, 20), returns=returns) == Counts(returned=2)
    assert q1([], dt.date(2026, 7, 1), returns=returns) == Counts(returned=2)  # April's is Q2's


def test_the_kind_filter_keeps_its_own_kind():
    rows = [row(S.CLOSED, completed=dt.date(2026, 3, 1)), row(S.IN_PROGRESS, kind=RECT)]
    returns = [(1, RECT, dt.date(2026, 3, 2))]
    today = dt.date(2026, 3, 15)
    assert q1(rows, today, returns=returns, kind=SUP) == Counts(due=1, on_time=1)
    assert q1(rows, today, returns=returns, kind=RECT) == Counts(due=1, overdue=1, returned=1)
    assert q1(rows, today, returns=returns) == Counts(due=2, on_time=1, overdue=1, returned=1)


def test_each_unit_is_counted_apart():
    rows = [row(S.CLOSED, completed=DEADLINE, unit=1), row(S.SIGNED, unit=2), row(S.SIGNED, unit=3,
                                                                               deadline=dt.date(2026, 3, 30))]
    out = count_matters(rows, [], starts=Q1[0], ends=Q1[1], today=dt.date(2026, 3, 20), kind=None)
    assert out == {1: Counts(due=1, on_time=1), 2: Counts(due=1, overdue=1)}  # unit 3 not due yet
