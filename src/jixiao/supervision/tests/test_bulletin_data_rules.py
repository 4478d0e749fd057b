"""The pure snapshot rules (no database): days overdue follow the lights' clock, state groups and
lights are counted per unit, feedback counts only inside the window."""

from __future__ import annotations

import datetime as dt

from jixiao.supervision.bulletin_data import MatterRow, compute, overdue_days

D = dt.date
ON = D(2026, 3, 10)


def row(n: int, state: str, light: str, deadline: dt.date, unit: int = 1, **kw) -> MatterRow:
    return MatterRow(id=n, number=f"DB-2026-{n:04d}", title=f"事项{n}", kind=kw.pop("kind", "supervision"),
                     state=state, light=light, unit_id=unit, unit_code=f"u{unit}", unit_name=f"单位{unit}",
                     unit_order=(2, unit, f"u{unit}"), leader="", deadline=deadline, **kw)


def test_overdue_days_follow_the_clock_of_the_lights():
    assert overdue_days(row(1, "in_progress", "red", D(2026, 3, 7)), ON) == 3
    assert overdue_days(row(1, "signed", "yellow", D(2026, 3, 10)), ON) == 0  # due today is not late
    # A completion report stops the clock at its date.
    assert overdue_days(row(1, "reported", "red", D(2026, 3, 5), completed_on=D(2026, 3, 8)), ON) == 3
    assert overdue_days(row(1, "reported", "green", D(2026, 3, 9), completed_on=D(2026, 3, 8)), ON) == 0
    # Returned before its deadline: red, but not overdue. Closed late: nothing more to chase.
    assert overdue_days(row(1, "returned", "red", D(2026, 3, 20)), ON) == 0
    assert overdue_days(row(1, "closed", "done", D(2026, 3, 1)), ON) == 0


def test_units_in_tree_order_with_their_counts():
    rows = [row(1, "closed", "done", D(2026, 3, 1), unit=2), row(2, "returned", "red", D(2026, 3, 20), unit=2),
            row(3, "assigned", "red", D(2026, 3, 8), unit=1, kind="rectification"),
            row(4, "in_progress", "green", D(2026, 3, 30), unit=2)]
    data = compute(rows, {2: D(2026, 2, 27), 1: D(2026, 3, 1)}, date_from=D(2026, 3, 1), date_to=ON)
    u1, u2 = data["units"]
    assert (u1["name"], u1["total"], u1["red"], u1["overdue"], u1["fed_back"]) == ("单位1", 1, 1, 1, True)
    assert u2["states"] == {"unsigned": 0, "working": 1, "reported": 0, "returned": 1, "done": 1}
    assert (u2["green"], u2["yellow"], u2["red"], u2["overdue"]) == (1, 0, 1, 0)
    assert u2["fed_back"] is False and u2["last_feedback"] == "2026-02-27"  # before the window
    assert data["not_fed_back"] == [{"code": "u2", "name": "单位2", "open": 2, "last_feedback": "2026-02-27"}]
    assert [o["number"] for o in data["overdue"]] == ["DB-2026-0003"]
    assert data["rectification"][0]["items"][0]["light_label"] == "红灯"
    assert data["totals"]["total"] == 4 and data["totals"]["units"] == 2 and data["totals"]["fed_back"] == 1


def test_a_unit_with_nothing_open_is_not_listed_as_silent():
    data = compute([row(1, "closed", "done", D(2026, 3, 1))], {}, date_from=D(2026, 3, 1), date_to=ON)
    assert data["units"][0]["fed_back"] is False and data["not_fed_back"] == []
