"""Traffic lights (红黄绿灯) and overdue days of supervised matters: ONE pure rule, no Django.

Every page, notice, bulletin, export, the API and the home panel get a matter's light, its
reason and its overdue days from :func:`light_of` (or :func:`overdue_days`), never from a copy.

Conventions (``today`` is the supervision clock's date, ``warn`` the matter's warning days):

- **Calendar days**, whole dates: weekends and holidays count like any other day.
- **The deadline day is still on time.** A matter is overdue from the day after its deadline:
  deadline 3-05, today 3-06 → 逾期1天; ``overdue_days = max(0, (clock - deadline).days)``.
- **The clock** is ``today`` while the unit works on the matter; a standing completion report
  (办结报告, ``completed_on``) stops it at the report's date — for a report awaiting the check
  and for a checked or closed matter alike. A return for rework (退回重办) withdraws the report,
  so the clock runs again from the original deadline.
- **Done late** (checked or closed, reported after the deadline): the light is grey (``done``)
  but the overdue days stay what they were when the report came in, and the reason says so.
- **Not yet assigned** (registered, reviewed): no clock runs, 0 days, grey ``waiting``.

The lights, by priority:

- ``done`` (grey): checked or closed — nothing more to do;
- ``waiting`` (grey): registered or reviewed, not yet assigned;
- ``red``: returned for rework, or past the deadline by the clock above;
- ``yellow`` (not for a report awaiting its check): the deadline is within ``warn`` days
  (inclusive: 0 = due today), or the next milestone not done is within ``warn`` days or behind;
- ``green``: on track.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

LIGHTS = ("green", "yellow", "red", "waiting", "done")
GREEN, YELLOW, RED, WAITING, DONE = range(5)
LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "waiting": "未交办", "done": "已办结"}

# State codes, as stored in Matter.state.
OPEN_STATES = ("assigned", "signed", "in_progress", "returned", "reported")
DONE_STATES = ("checked", "closed")
WAITING_STATES = ("registered", "reviewed")
RETURNED = "returned"
REPORTED = "reported"


@dataclass(frozen=True)
class Facts:
    """What the rule needs to know of one matter."""

    state: str
    deadline: dt.date
    warn_days: int
    completed_on: dt.date | None = None  # the standing completion report's date
    next_milestone: dt.date | None = None  # earliest due date among milestones not done
    milestone_title: str = ""  # that milestone's title, when known (for the reason)
    return_reason: str = ""  # the check's reason for a return, when known
    closed_on: dt.date | None = None  # 办结销号 date


@dataclass(frozen=True)
class Light:
    """A matter's light, why (in a clerk's words, without the colour's name) and its overdue days."""

    colour: str
    reason: str
    overdue_days: int = 0

    @property
    def label(self) -> str:
        return LABELS[self.colour]

    @property
    def text(self) -> str:
        """The light with its reason, as every page and notice prints it: 红灯：已逾期4天."""
        return f"{self.label}：{self.reason}" if self.reason else self.label

    def __str__(self) -> str:
        return self.colour


def overdue_days(deadline: dt.date, done_at: dt.date | None, today: dt.date) -> int:
    """Calendar days past ``deadline``: counted to ``done_at`` (the completion report) when there is
    one, else to ``today``; the deadline day itself is on time, so never negative."""
    clock = done_at if done_at is not None else today
    return max((clock - deadline).days, 0)


def clock_stop(state: str, completed_on: dt.date | None) -> dt.date | None:
    """The date that stops a matter's clock: its completion report, while one stands."""
    if state == REPORTED or state in DONE_STATES:
        return completed_on
    return None


def _late(state: str, deadline: dt.date, completed_on: dt.date | None, today: dt.date) -> int:
    if state in WAITING_STATES or (state in DONE_STATES and completed_on is None):
        return 0  # no clock ran, or a done matter whose report date nobody knows: not late
    return overdue_days(deadline, clock_stop(state, completed_on), today)


def light_of(f: Facts, today: dt.date) -> Light:
    """The light of one matter as of ``today``, with its reason and overdue days (see the module)."""
    if f.state in WAITING_STATES:
        return Light("waiting", "尚未交办，不计时")
    done_at = clock_stop(f.state, f.completed_on)
    late = _late(f.state, f.deadline, f.completed_on, today)
    if f.state in DONE_STATES:
        done = f"于 {f.closed_on:%Y-%m-%d} 办结销号" if f.closed_on else "核查通过，待办结销号"
        return Light("done", done + (f"（逾期{late}天报送办结报告）" if late else ""), late)
    if f.state == RETURNED:
        why = f"核查退回重办（{f.return_reason}）" if f.return_reason else "核查退回重办"
        return Light("red", why + (f"，已逾期{late}天" if late else ""), late)
    if late:
        if done_at is not None:
            return Light("red", f"逾期{late}天报送办结报告，待核查", late)
        return Light("red", f"已逾期{late}天", late)
    if f.state == REPORTED:
        return Light("green", "已按期报送办结报告，待核查")
    left = (f.deadline - today).days
    parts = []
    if left <= f.warn_days:
        parts.append(("办结时限今天到期" if left == 0 else f"距办结时限还有{left}天") + f"（预警阈值{f.warn_days}天）")
    if f.next_milestone is not None:
        name = f"阶段节点“{f.milestone_title}”" if f.milestone_title else "阶段节点"
        ms_left = (f.next_milestone - today).days
        if ms_left < 0:
            parts.append(f"{name}已滞后{-ms_left}天")
        elif ms_left <= f.warn_days:
            parts.append((f"{name}今天到期" if ms_left == 0 else f"距{name}时限还有{ms_left}天")
                         + f"（预警阈值{f.warn_days}天）")
    if parts:
        return Light("yellow", "；".join(parts))
    return Light("green", f"按期推进，距办结时限还有{left}天")


def days_late(state: str, deadline: dt.date, completed_on: dt.date | None, on: dt.date) -> int:
    """Overdue days of a matter in ``state`` as of ``on`` (:func:`overdue_days` with its clock)."""
    return _late(state, deadline, completed_on, on)


# The column form, for callers holding whole columns: the same rule, row by row.

Days = npt.NDArray[np.datetime64]


@dataclass(frozen=True)
class Columns:
    """One row per matter."""

    state: npt.NDArray[np.str_]
    deadline: Days
    next_milestone: Days  # earliest due date among milestones not done (NaT: none)
    completed_on: Days  # date of the standing completion report (NaT: none)
    warn_days: npt.NDArray[np.int64]


def days(values: Sequence[dt.date | None]) -> Days:
    """A column of dates (``datetime.date`` or None) as ``datetime64[D]``."""
    return np.array(["NaT" if v is None else v.isoformat() for v in values], dtype="datetime64[D]")


def day(value: dt.date) -> np.datetime64:
    return np.datetime64(value.isoformat(), "D")


def _date(v: np.datetime64) -> dt.date | None:
    return None if np.isnat(v) else dt.date.fromisoformat(str(v))


def compute(cols: Columns, on: dt.date) -> npt.NDArray[np.int8]:
    """The light code (index into ``LIGHTS``) of every matter, as of the day ``on`` (:func:`light_of`)."""
    out = [LIGHTS.index(light_of(Facts(state=str(s), deadline=_date(d) or on, warn_days=int(w),
                                       completed_on=_date(c), next_milestone=_date(m)), on).colour)
           for s, d, m, c, w in zip(cols.state, cols.deadline, cols.next_milestone, cols.completed_on,
                                    cols.warn_days, strict=True)]
    return np.array(out, dtype=np.int8)


def names(codes: npt.NDArray[np.int8]) -> list[str]:
    """Light codes as their names (``"green"``…)."""
    table = np.array(LIGHTS)
    return [str(x) for x in table[codes]]
