"""The rules of targets and plans, pure (no Django): what a submission must satisfy, the allowed
range of a target, the coverage of higher-level targets, the calendar's reminders and lateness,
and a plan's totals. The services load the configuration and call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class ProposalRules:
    """方案规则 of one assessment (PlanningSettings): e.g. 002's "7+2, at most 10, all quantified"."""

    max_indicators: int | None = None
    min_indicators: int | None = None
    require_quantified: bool = True
    min_ratio: Decimal | None = None  # target ≥ last year's actual × min_ratio
    max_ratio: Decimal | None = None  # target ≤ last year's actual × max_ratio


@dataclass(frozen=True)
class ProposalFacts:
    indicator: str
    name: str
    target: Decimal | None


def _n(d: Decimal) -> str:
    return format(d.normalize(), "f")


def target_range_problem(rules: ProposalRules, target: Decimal | None, last_actual: Decimal | None) -> str | None:
    """Why a target lies outside the allowed range (against last year's actual), or None."""
    if target is None or last_actual is None:
        return None
    if rules.min_ratio is not None and target < last_actual * rules.min_ratio:
        low = _n(last_actual * rules.min_ratio)
        return f"目标值 {_n(target)} 低于允许下限 {low}（上年实际 × {_n(rules.min_ratio)}）"
    if rules.max_ratio is not None and target > last_actual * rules.max_ratio:
        high = _n(last_actual * rules.max_ratio)
        return f"目标值 {_n(target)} 高于允许上限 {high}（上年实际 × {_n(rules.max_ratio)}）"
    return None


def submission_problems(rules: ProposalRules, proposals: Sequence[ProposalFacts]) -> list[str]:
    """What a unit's set of proposals breaks of the scheme-level rules, in Chinese (empty: none)."""
    out = []
    n = len(proposals)
    if n == 0:
        out.append("没有可报送的目标申报")
    if rules.max_indicators is not None and n > rules.max_indicators:
        out.append(f"申报了 {n} 项指标，超过方案规定的最多 {rules.max_indicators} 项")
    if rules.min_indicators is not None and 0 < n < rules.min_indicators:
        out.append(f"只申报了 {n} 项指标，少于方案规定的至少 {rules.min_indicators} 项")
    if rules.require_quantified:
        vague = [p.name for p in proposals if p.target is None]
        if vague:
            out.append(f"方案要求目标全部量化，以下指标未填目标值：{'、'.join(vague)}")
    return out


# --- Coverage of higher-level targets -----------------------------------------------------------


@dataclass(frozen=True)
class Higher:
    """A higher-level target split among objects: ``parts`` maps an object to its share (0–1,
    ``split == "shares"``) or its amount (``split == "amounts"``)."""

    indicator: str
    name: str
    total: Decimal
    split: str
    parts: Mapping[int, Decimal]

    def expected(self, obj: int) -> Decimal:
        part = self.parts[obj]
        return self.total * part if self.split == "shares" else part


@dataclass(frozen=True)
class Shortfall:
    indicator: str
    name: str
    object_id: int | None  # None: the units' targets together
    expected: Decimal
    got: Decimal


@dataclass
class Coverage:
    uncovered: list[tuple[str, str, tuple[int, ...]]] = field(default_factory=list)  # indicator, name, objects
    shortfalls: list[Shortfall] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.uncovered and not self.shortfalls


def coverage(highers: Iterable[Higher], targets: Mapping[tuple[int, str], Decimal]) -> Coverage:
    """Higher-level indicators some assigned unit has no target for (or assigned to none), and the
    unit targets that do not add up: a unit below its part, or the parts' targets together below
    the higher total. ``targets``: (object id, indicator) → the unit's target."""
    out = Coverage()
    for h in highers:
        missing = tuple(sorted(o for o in h.parts if (o, h.indicator) not in targets))
        if not h.parts or missing:
            out.uncovered.append((h.indicator, h.name, missing))
        got_total = Decimal(0)
        for o in sorted(h.parts):
            got = targets.get((o, h.indicator))
            if got is None:
                continue
            got_total += got
            if got < h.expected(o):
                out.shortfalls.append(Shortfall(h.indicator, h.name, o, h.expected(o), got))
        if h.parts and got_total < h.total:
            out.shortfalls.append(Shortfall(h.indicator, h.name, None, h.total, got_total))
    return out


# --- The reporting calendar ---------------------------------------------------------------------


def calendar_action(*, due: dt.date, today: dt.date, before: int, after: int, done: bool) -> str | None:
    """What a unit behind on a due date gets today: ``"before"`` (a reminder ``before`` days ahead,
    up to the day), ``"after"`` (a chase ``after`` days past it and later), or None (done, or
    not yet)."""
    if done:
        return None
    if today > due:
        return "after" if (today - due).days >= after else None
    return "before" if (due - today).days <= before else None


def days_late(*, due: dt.date, done_on: dt.date | None, today: dt.date) -> int:
    """Whole days past the due date: to the day it was done, or to today while it is not."""
    end = done_on or today
    return max((end - due).days, 0)


# --- Work plans ---------------------------------------------------------------------------------


def plan_totals(items: Iterable[tuple[Decimal, Decimal | None]]) -> tuple[Decimal, Decimal]:
    """(Σ planned, Σ actual) of a plan's items (planned, actual); an item not reported is 0 done."""
    planned = actual = Decimal(0)
    for p, a in items:
        planned += p
        actual += a or Decimal(0)
    return planned, actual
