"""The snapshot a bulletin (督办通报) is drawn from, computed from plain rows. Pure: no Django.

A bulletin freezes what it reports: the rows below are computed once, stored as JSON in
``Bulletin.data`` and every page, XLSX and PDF of the bulletin is drawn from the stored copy, so
a published bulletin reads the same forever, whatever happens to its matters afterwards.

As of ``date_to``: lights and days overdue run on the clock of ``date_to``; the states are those
the matters stand in when the bulletin is drawn (the chain is not replayed backwards).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jixiao.supervision.lights import DONE_STATES, OPEN_STATES, days_late
from jixiao.supervision.lights import LABELS as LIGHT_LABELS

SNAPSHOT_VERSION = 1

# State groups the bulletin counts, in the order the columns print.
GROUPS: tuple[tuple[str, str], ...] = (
    ("unsigned", "未签收"), ("working", "办理中"), ("reported", "待核查"), ("returned", "已退回"), ("done", "已办结"))
GROUP_OF_STATE = {"assigned": "unsigned", "signed": "working", "in_progress": "working", "reported": "reported",
                  "returned": "returned", "checked": "done", "closed": "done"}
STATE_LABELS = {"registered": "已登记", "reviewed": "已审核", "assigned": "已交办", "signed": "已签收",
                "in_progress": "办理中", "reported": "待核查", "returned": "已退回", "checked": "核查通过",
                "closed": "已办结"}
KIND_LABELS = {"": "督办事项和整改事项", "supervision": "督办事项", "rectification": "整改事项"}


@dataclass(frozen=True)
class MatterRow:
    """One matter as the bulletin needs it (already filtered to those assigned by ``date_to``)."""

    id: int
    number: str
    title: str
    kind: str
    state: str
    light: str
    unit_id: int
    unit_code: str
    unit_name: str
    unit_order: tuple[int, int, str]  # the unit tree's print order: level, position, code
    leader: str
    deadline: dt.date
    completed_on: dt.date | None = None
    return_count: int = 0
    notices: int = 0  # reminder notices issued up to date_to
    source: str = ""  # label, e.g. 查访核验
    measures: str = ""
    reason: str = ""  # why the light (lights.Light.reason as of date_to)


def overdue_days(row: MatterRow, on: dt.date) -> int:
    """Days past the deadline as of ``on``: the one rule (``lights.days_late``), as every list,
    notice and the API count them."""
    return days_late(row.state, row.deadline, row.completed_on, on)


def light_text(row: MatterRow) -> str:
    """A yellow or red light with its reason (红灯：已逾期4天), as the pages print it; others by name."""
    label = LIGHT_LABELS.get(row.light, row.light)
    return f"{label}：{row.reason}" if row.reason and row.light in ("yellow", "red") else label


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _zero() -> dict[str, Any]:
    return {"total": 0, "states": {g: 0 for g, _ in GROUPS}, "green": 0, "yellow": 0, "red": 0, "overdue": 0}


def _count(into: dict[str, Any], row: MatterRow, late: int) -> None:
    into["total"] += 1
    into["states"][GROUP_OF_STATE.get(row.state, "working")] += 1
    if row.light in ("green", "yellow", "red"):
        into[row.light] += 1
    if late > 0:
        into["overdue"] += 1


def compute(rows: Iterable[MatterRow], last_feedback: Mapping[int, dt.date], *, date_from: dt.date,
            date_to: dt.date, kind: str = "") -> dict[str, Any]:
    """The snapshot (JSON-ready) of ``rows`` for the window ``[date_from, date_to]``.

    ``last_feedback`` maps a unit id to the date of its latest feedback report (on or before
    ``date_to``) on a matter it leads; a unit fed back in the window when that date is on or
    after ``date_from``.
    """
    rows = sorted(rows, key=lambda r: (r.unit_order, r.deadline, r.number))
    units: dict[int, dict[str, Any]] = {}
    open_count: dict[int, int] = defaultdict(int)
    totals = _zero()
    overdue: list[dict[str, Any]] = []
    rect: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        # A matter done late keeps its overdue days (shown with its light), but the bulletin's
        # overdue count and list are of the matters still to be urged.
        days = overdue_days(r, date_to)
        late = 0 if r.state in DONE_STATES else days
        unit = units.get(r.unit_id)
        if unit is None:
            last = last_feedback.get(r.unit_id)
            unit = units[r.unit_id] = {"code": r.unit_code, "name": r.unit_name, **_zero(),
                                       "fed_back": last is not None and date_from <= last <= date_to,
                                       "last_feedback": _iso(last)}
        _count(unit, r, late)
        _count(totals, r, late)
        if r.state in OPEN_STATES:
            open_count[r.unit_id] += 1
        if late > 0:
            overdue.append({"number": r.number, "title": r.title, "kind": r.kind, "unit": r.unit_name,
                            "leader": r.leader, "deadline": r.deadline.isoformat(), "days": late,
                            "light": r.light, "light_text": light_text(r),
                            "returns": r.return_count, "notices": r.notices})
        if not kind and r.kind == "rectification":
            rect[r.unit_id].append({"number": r.number, "title": r.title, "source": r.source,
                                    "measures": r.measures, "state": STATE_LABELS.get(r.state, r.state),
                                    "light": r.light, "light_label": LIGHT_LABELS.get(r.light, r.light),
                                    "light_text": light_text(r), "deadline": r.deadline.isoformat(), "days": days})
    overdue.sort(key=lambda o: (-o["days"], o["number"]))
    not_fed = [{"code": u["code"], "name": u["name"], "open": open_count[uid], "last_feedback": u["last_feedback"]}
               for uid, u in units.items() if open_count[uid] and not u["fed_back"]]
    totals.update(name="合计", fed_back=sum(1 for u in units.values() if u["fed_back"]), units=len(units))
    return {
        "version": SNAPSHOT_VERSION,
        "kind": kind,
        "kind_label": KIND_LABELS.get(kind, kind),
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "groups": [list(g) for g in GROUPS],
        "units": list(units.values()),
        "totals": totals,
        "overdue": overdue,
        "not_fed_back": not_fed,
        "rectification": None if kind else [
            {"code": units[uid]["code"], "name": units[uid]["name"], "items": items} for uid, items in rect.items()],
    }


def group_labels(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The state groups a stored snapshot was drawn with (its own copy, so old ones keep theirs)."""
    groups: Sequence[Sequence[str]] = data.get("groups") or GROUPS
    return [(g[0], g[1]) for g in groups]
