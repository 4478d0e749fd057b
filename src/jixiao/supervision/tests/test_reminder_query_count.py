"""The reminder run issues its notices with a fixed number of queries, however many matters are
due (no per-matter query: lights, last notices and recipients are loaded column-wise)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.supervision.services.reminders import notices_issue
from jixiao.supervision.tests.conftest import assigned, make_input


def _count(today: date) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        summary = notices_issue(today=today)
    return summary.issued, len(ctx.captured_queries)


def _more(sv: Any, n: int) -> None:
    from datetime import timedelta

    from jixiao.core import clock

    deadline = clock.today() + timedelta(days=1)  # yellow at once
    for i in range(n):
        assigned(sv.cast, make_input(sv.cast, title=f"事项{i}", lead=sv.cast.east if i % 2 else sv.cast.west,
                                     leader=sv.cast.leader if i % 3 else None, deadline=deadline))


def test_queries_do_not_grow_with_matters(sv: Any, settings: Any) -> None:
    settings.JIXIAO_ESCALATE_AFTER = 1
    _more(sv, 2)
    few = _count(date(2026, 3, 2))
    sv.travel(date(2026, 3, 5))
    few_again = _count(date(2026, 3, 5))  # second notices, escalated
    _more(sv, 20)
    sv.travel(date(2026, 3, 10))
    many = _count(date(2026, 3, 10))  # old ones: third notices; new ones: first
    assert few[0] == 3 and many[0] == 23
    # The leaders' addresses are read only when a notice is escalated: one query more, once.
    assert few[1] + 1 == few_again[1] == many[1], (few, few_again, many)
