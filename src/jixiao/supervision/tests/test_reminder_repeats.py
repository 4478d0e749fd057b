"""A matter still yellow or red gets its next notice (sequence + 1) once the last one is
JIXIAO_REMIND_EVERY_DAYS old — or at once (the next day) when its light worsened to red."""

from __future__ import annotations

from datetime import date
from typing import Any

from jixiao.supervision.models import Notice
from jixiao.supervision.services.reminders import reminders_run


def _sequences(matter: Any) -> list[tuple[int, str, str]]:
    return [(n.sequence, n.issued_on.isoformat(), n.light) for n in Notice.objects.filter(matter=matter)
            .order_by("sequence")]


def test_next_notice_after_the_interval(sv: Any, settings: Any) -> None:
    settings.JIXIAO_REMIND_EVERY_DAYS = 3
    sv.travel(date(2026, 3, 2))
    reminders_run()  # west_task yellow (deadline 03-04)
    sv.travel(date(2026, 3, 3))
    assert reminders_run().issued == 0  # a day later, still yellow: too soon
    sv.travel(date(2026, 3, 5))  # now red (overdue): worsened, so due at once
    assert reminders_run().issued == 1
    sv.travel(date(2026, 3, 7))
    assert reminders_run().issued == 0  # red as before and only 2 days on
    sv.travel(date(2026, 3, 8))
    assert reminders_run().issued == 1
    assert _sequences(sv.west_task) == [(1, "2026-03-02", "yellow"), (2, "2026-03-05", "red"), (3, "2026-03-08", "red")]
    assert "第3次催办" in Notice.objects.get(matter=sv.west_task, sequence=3).message


def test_interval_follows_the_setting(sv: Any, settings: Any) -> None:
    settings.JIXIAO_REMIND_EVERY_DAYS = 1
    reminders_run()
    sv.travel(date(2026, 3, 3))
    reminders_run()
    assert [s for s, _, _ in _sequences(sv.west_task)] == [1, 2]
