"""Traffic lights (红黄绿灯) of supervised matters. Pure NumPy, no Django: whole columns at once.

The rules, with ``today`` the supervision clock's date and ``warn`` a matter's warning days:

- ``done`` (grey): closed or checked — nothing more to do;
- ``waiting`` (grey): registered or reviewed, not yet assigned, so no clock runs;
- ``red``: returned for rework, or past its deadline while open (a completion report awaiting
  the check stops the clock: it is red only if it was reported after the deadline);
- ``yellow``: the deadline, or the next milestone not yet done, is within ``warn`` days, or a
  milestone is behind (past its due date and not done);
- ``green``: on track.

Dates are whole days (``numpy.datetime64[D]`` or day numbers); a missing date is ``NaT``.
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


def compute(cols: Columns, on: dt.date) -> npt.NDArray[np.int8]:
    """The light code (index into ``LIGHTS``) of every matter, as of the day ``on``."""
    today = day(on)
    n = len(cols.state)
    out = np.full(n, GREEN, dtype=np.int8)
    state = cols.state
    warn = cols.warn_days.astype("timedelta64[D]")
    deadline = cols.deadline
    milestone = cols.next_milestone
    reported = state == REPORTED
    # A completion report stops the clock at its date; otherwise the clock is today.
    clock = np.where(reported & ~np.isnat(cols.completed_on), cols.completed_on, today)
    overdue = clock > deadline
    near = (deadline - today) <= warn
    has_ms = ~np.isnat(milestone)
    ms_behind = has_ms & (milestone < today)
    ms_near = has_ms & ((milestone - today) <= warn)
    yellow = (near | ms_near | ms_behind) & ~reported
    out[yellow] = YELLOW
    out[overdue] = RED
    out[state == RETURNED] = RED
    out[np.isin(state, WAITING_STATES)] = WAITING
    out[np.isin(state, DONE_STATES)] = DONE
    return out


def names(codes: npt.NDArray[np.int8]) -> list[str]:
    """Light codes as their names (``"green"``…)."""
    table = np.array(LIGHTS)
    return [str(x) for x in table[codes]]


def days_late(state: str, deadline: dt.date, completed_on: dt.date | None, on: dt.date) -> int:
    """Days past the deadline as of ``on`` for an open matter (0 otherwise); a completion report
    awaiting the check stops the clock at its date, as it does for the light."""
    if state not in OPEN_STATES:
        return 0
    clock = completed_on if state == REPORTED and completed_on else on
    return max((clock - deadline).days, 0)
