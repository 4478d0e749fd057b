"""What a period code means: kind, first and last day, a Chinese name. Pure, no database."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodInfo:
    kind: str  # week, month, quarter, half, year, other
    starts: dt.date
    ends: dt.date
    name: str


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def infer_period(code: str, year: int) -> PeriodInfo:
    """Read ``2024-03``, ``2024-Q2``, ``2024-H1``/``2024-mid``, ``2024-end``/``2024``, ``2024-W07``.

    Anything else is an ``other`` period spanning the whole year, named by its code.
    """
    if m := re.fullmatch(r"(\d{4})-(\d{2})", code):
        y, mo = int(m[1]), int(m[2])
        if 1 <= mo <= 12:
            return PeriodInfo("month", dt.date(y, mo, 1), _month_end(y, mo), f"{y}年{mo}月")
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", code, re.IGNORECASE):
        y, q = int(m[1]), int(m[2])
        return PeriodInfo("quarter", dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q), f"{y}年第{'一二三四'[q - 1]}季度")
    if m := re.fullmatch(r"(\d{4})-(H1|H2|mid)", code, re.IGNORECASE):
        y = int(m[1])
        if m[2].upper() == "H2":
            return PeriodInfo("half", dt.date(y, 7, 1), dt.date(y, 12, 31), f"{y}年下半年")
        name = f"{y}年中期" if m[2].lower() == "mid" else f"{y}年上半年"
        return PeriodInfo("half", dt.date(y, 1, 1), dt.date(y, 6, 30), name)
    if m := re.fullmatch(r"(\d{4})(?:-(end|year|Y))?", code, re.IGNORECASE):
        y = int(m[1])
        return PeriodInfo("year", dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y}年年终" if m[2] else f"{y}年度")
    if m := re.fullmatch(r"(\d{4})-W(\d{2})", code, re.IGNORECASE):
        y, w = int(m[1]), int(m[2])
        try:
            start = dt.date.fromisocalendar(y, w, 1)
            return PeriodInfo("week", start, start + dt.timedelta(days=6), f"{y}年第{w}周")
        except ValueError:
            pass
    return PeriodInfo("other", dt.date(year, 1, 1), dt.date(year, 12, 31), code)
