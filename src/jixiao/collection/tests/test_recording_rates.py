"""Recording rates (录入率) per responsible unit: the towns answer for their own indicators, the
statistics bureau for the tax cells of every town; only submitted or verified values count."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.selectors import recording_rates
from jixiao.collection.services import reminders_send, value_review, value_save


def _rates(period: Any) -> dict[str, tuple[int, int, float, int]]:
    return {r.unit.code: (r.expected, r.reported, r.percent, r.reminders) for r in recording_rates(period=period)}


@pytest.mark.django_db
def test_responsibility_and_percentages(cast: Any, scope: Any) -> None:
    # Before anything: east and west each owe gdp; the bureau owes tax for both towns.
    assert _rates(cast.q1) == {"east": (1, 0, 0.0, 0), "west": (1, 0, 0.0, 0), "tjj": (2, 0, 0.0, 0)}

    rep, stats = scope(cast.reporter), scope(cast.stats)
    value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("80"))
    assert _rates(cast.q1)["east"] == (1, 0, 0.0, 0)  # a draft is not reported yet
    value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("80"), submit=True)
    tax = value_save(actor=cast.stats, scope=stats, period=cast.q1, obj=cast.west_obj, indicator="tax",
                     variable="value", value=Decimal("300"), submit=True)
    assert _rates(cast.q1) == {"east": (1, 1, 100.0, 0), "west": (1, 0, 0.0, 0), "tjj": (2, 1, 50.0, 0)}

    # Worst first, so the office sees who to chase.
    assert [r.unit.code for r in recording_rates(period=cast.q1)] == ["west", "tjj", "east"]

    # A returned value no longer counts; other periods are untouched.
    value_review(actor=cast.office, scope=scope(cast.office), value=tax, approve=False, reason="请核对")
    assert _rates(cast.q1)["tjj"] == (2, 0, 0.0, 0)
    assert _rates(cast.q2) == {"east": (1, 0, 0.0, 0), "west": (1, 0, 0.0, 0), "tjj": (2, 0, 0.0, 0)}


@pytest.mark.django_db
def test_reminders_are_counted_per_unit_and_period(cast: Any, scope: Any) -> None:
    office = scope(cast.office)
    reminders_send(actor=cast.office, scope=office, period=cast.q1, units=[cast.west, cast.stats_unit], message="")
    reminders_send(actor=cast.office, scope=office, period=cast.q1, units=[cast.west], message="第二次催报")
    q1 = _rates(cast.q1)
    assert (q1["west"][3], q1["tjj"][3], q1["east"][3]) == (2, 1, 0)
    assert all(r[3] == 0 for r in _rates(cast.q2).values())


@pytest.mark.django_db
def test_a_blank_submitted_value_is_not_reported(cast: Any, scope: Any) -> None:
    value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=None)
    assert _rates(cast.q1)["east"] == (1, 0, 0.0, 0)
