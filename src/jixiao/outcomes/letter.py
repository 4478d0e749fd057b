"""反馈意见书 (feedback letter) of one assessed unit: its score per indicator beside the
category's average, its weakest indicators, and how its rank moved. Pure: no Django."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One indicator (a component of the ranking) of the letter."""

    code: str
    name: str
    points: float | None
    own: float | None
    average: float | None

    @property
    def gap(self) -> float | None:
        """Own score minus the category's average (negative: below it)."""
        if self.own is None or self.average is None:
            return None
        return round(self.own - self.average, 2)

    @property
    def share(self) -> float | None:
        """Own score as a share of the indicator's points (得分率)."""
        if self.own is None or not self.points:
            return None
        return self.own / self.points


def averages(rows: Sequence[Mapping[str, float | None]], codes: Sequence[str]) -> dict[str, float | None]:
    """The category's average score per component over the objects that have one."""
    out: dict[str, float | None] = {}
    for c in codes:
        got = [r[c] for r in rows if r.get(c) is not None]
        out[c] = round(sum(x for x in got if x is not None) / len(got), 2) if got else None
    return out


def lines(components: Sequence[tuple[str, str, float | None]], own: Mapping[str, float | None],
          avg: Mapping[str, float | None]) -> list[Line]:
    return [Line(code, name, points, own.get(code), avg.get(code)) for code, name, points in components]


def weakest(items: Sequence[Line], n: int = 3) -> list[Line]:
    """The indicators furthest below the category's average (at most ``n``); ties by the lower
    share of the points, then scheme order. None below average: none listed."""
    below = [(i, x) for i, x in enumerate(items) if x.gap is not None and x.gap < 0]
    below.sort(key=lambda p: (p[1].gap, p[1].share if p[1].share is not None else 1.0, p[0]))
    return [x for _, x in below[:n]]


@dataclass(frozen=True)
class Move:
    """The rank in one period (or year) and the change from the one before (positive: up)."""

    label: str
    rank: int
    change: int | None


def rank_moves(points: Sequence[tuple[str, int | None]]) -> list[Move]:
    """(label, rank) in time order → each rank with its change from the previous known rank."""
    out: list[Move] = []
    prev: int | None = None
    for label, rank in points:
        if rank is None:
            continue
        out.append(Move(label, rank, None if prev is None else prev - rank))
        prev = rank
    return out
