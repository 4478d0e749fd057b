"""The pure rules of budget performance management (预算绩效管理). No database: arrays and
numbers in, arrays and numbers out, so 10,000 projects' lights take milliseconds.

- :func:`lights`: the dual-monitoring light (双监控) of every project at once, column-wise;
- :func:`grade_of`: 优 / 良 / 中 / 差 from a score and the bands;
- :func:`control_figure`: next year's control figure proposed from a grade (差 → cut);
- :func:`sample`: the self-evaluations the finance bureau re-checks, drawn with a seed;
- :func:`completion`: an indicator's completion against its target and direction.

Money is :class:`~decimal.Decimal` in yuan with two places (分); a proposed figure is rounded to
the fen half up (ROUND_HALF_UP), the way a budget table is printed. The lights work on floats:
they compare ratios against thresholds, never add money.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
I8 = npt.NDArray[np.int8]

FEN = Decimal("0.01")

# Light codes: no report yet, then green, yellow, red (the supervision colours).
GREY, GREEN, YELLOW, RED = -1, 0, 1, 2
LIGHT_NAMES = {GREY: "grey", GREEN: "green", YELLOW: "yellow", RED: "red"}
LIGHT_LABELS = {GREY: "未报送", GREEN: "正常", YELLOW: "轻度偏差", RED: "严重偏差"}


@dataclass(frozen=True)
class Thresholds:
    """How far execution or target completion may lag behind the time elapsed: at ``warn`` or more
    the light is yellow, at ``red`` or more red (shares, e.g. 0.10 and 0.25)."""

    warn: float = 0.10
    red: float = 0.25


def elapsed_share(start: dt.date, end: dt.date, at: dt.date) -> float:
    """The share of the execution period gone at ``at`` (0–1), counting both ends' days."""
    total = (end - start).days + 1
    if total <= 0:
        return 1.0
    done = (at - start).days + 1
    return min(max(done / total, 0.0), 1.0)


def elapsed_shares(start: F64, end: F64, at: float) -> F64:
    """:func:`elapsed_share` column-wise, on day ordinals."""
    total = end - start + 1
    done = at - start + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, done / np.where(total > 0, total, 1), 1.0)
    return np.clip(share, 0.0, 1.0)


def lights(*, budget: F64, paid: F64, completion: F64, elapsed: F64, th: Thresholds) -> tuple[I8, F64]:
    """Every project's light and gap, column-wise.

    ``budget`` and ``paid`` are the budget and the amount paid so far; ``completion`` the mean
    target completion reported (0–1, NaN: nothing reported); ``elapsed`` the share of the period
    gone. The execution rate is paid / budget. The gap is how far the lower of the execution rate
    and the completion lags behind the time elapsed: ``elapsed − min(rate, completion)`` (a
    negative gap is ahead of time). Red at ``th.red`` or more, yellow at ``th.warn`` or more,
    green below; grey when neither execution nor progress is reported (paid and completion NaN).
    With only one of them reported, that one is compared."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rate = np.where(budget > 0, paid / budget, np.nan)
    low = np.fmin(rate, completion)  # fmin ignores a NaN side
    gap = elapsed - low
    out = np.where(gap >= th.red, RED, np.where(gap >= th.warn, YELLOW, GREEN)).astype(np.int8)
    out[np.isnan(low)] = GREY
    return out, gap


def light_one(*, budget: float, paid: float | None, completion: float | None, elapsed: float,
              th: Thresholds) -> int:
    """One project's light, written plainly (the reference :func:`lights` is tested against)."""
    rate = paid / budget if paid is not None and budget > 0 else None
    seen = [x for x in (rate, completion) if x is not None and not math.isnan(x)]
    if not seen:
        return GREY
    gap = elapsed - min(seen)
    if gap >= th.red:
        return RED
    if gap >= th.warn:
        return YELLOW
    return GREEN


def completion(value: float, target: float, *, lower_is_better: bool) -> float:
    """An indicator's completion, 0–1: value / target (target / value when lower is better),
    capped at 1 — the engine's ratio rule without points."""
    if lower_is_better:
        return 1.0 if value <= target else (target / value if value > 0 else 0.0)
    if target <= 0:
        return 1.0
    return min(max(value / target, 0.0), 1.0)


@dataclass(frozen=True)
class Bands:
    """The grade bands: 优 at ``excellent`` or more, 良 at ``good``, 中 at ``fair``, 差 below."""

    excellent: Decimal = Decimal(90)
    good: Decimal = Decimal(80)
    fair: Decimal = Decimal(60)


GRADES = ("优", "良", "中", "差")


def grade_of(score: Decimal, bands: Bands) -> str:
    if score >= bands.excellent:
        return "优"
    if score >= bands.good:
        return "良"
    if score >= bands.fair:
        return "中"
    return "差"


def control_figure(amount: Decimal, grade: str, *, cut_share: Decimal) -> Decimal:
    """Next year's proposed control figure (控制数): a 差 project's amount cut by ``cut_share``,
    rounded half up to the fen; any other grade keeps its amount."""
    if grade != "差":
        return amount.quantize(FEN, rounding=ROUND_HALF_UP)
    return (amount * (Decimal(1) - cut_share)).quantize(FEN, rounding=ROUND_HALF_UP)


def sample_size(n: int, share: Decimal) -> int:
    """How many of ``n`` self-evaluations are re-checked: the share rounded up, at least one of a
    non-empty set when the share is above zero."""
    if n <= 0 or share <= 0:
        return 0
    return min(n, max(1, math.ceil(n * float(share) - 1e-9)))


def sample(codes: Sequence[str], share: Decimal, *, seed: int) -> list[str]:
    """The codes drawn for re-checking: the same seed and codes draw the same sample (the order
    of ``codes`` does not matter), listed in code order."""
    pool = sorted(set(codes))
    k = sample_size(len(pool), share)
    if k == 0:
        return []
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(pool), size=k, replace=False)
    return sorted(pool[int(i)] for i in picked)


def weighted_score(scores: Sequence[tuple[Decimal, Decimal]]) -> Decimal | None:
    """A unit's budget-performance score: its projects' final scores weighted by their amounts
    (an unfunded project weighs nothing), rounded half up to two places; None without projects."""
    total = sum((a for _s, a in scores), Decimal(0))
    if not scores:
        return None
    if total <= 0:
        plain = sum((s for s, _a in scores), Decimal(0)) / len(scores)
        return plain.quantize(FEN, rounding=ROUND_HALF_UP)
    return (sum((s * a for s, a in scores), Decimal(0)) / total).quantize(FEN, rounding=ROUND_HALF_UP)


def completion_means(owner: npt.NDArray[np.int64], value: F64, target: F64, lower: npt.NDArray[np.bool_],
                     n: int) -> F64:
    """Each project's mean target completion (0–1) over its indicators with a value reported
    (``owner``: the project index of each indicator row); NaN for a project with none — the
    column-wise :func:`completion` of every row, averaged per owner."""
    seen = ~np.isnan(value)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        up = np.where(target > 0, np.clip(value / target, 0.0, 1.0), 1.0)
        down = np.where(value <= target, 1.0, np.where(value > 0, target / value, 0.0))
    c = np.where(lower, down, up)
    sums = np.bincount(owner[seen], weights=c[seen], minlength=n)
    counts = np.bincount(owner[seen], minlength=n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
