"""Column-wise scoring of one leaf indicator over all objects (and periods) at once.

Every function takes arrays of one shape — ``(period, object)`` for the per-period frame or
``(object,)`` for inputs pooled over the periods — and returns unrounded scores of that
shape, NaN where nothing was reported. The order of the arithmetic is fixed and mirrored
operation by operation in ``reference.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from jixiao.engine.compile import CNode
from jixiao.engine.inputs import CategoryInputs
from jixiao.engine.scheme.rules import (
    FollowRule,
    FormulaRule,
    GradeMapRule,
    IncidentRule,
    ManualRule,
    PlanRule,
    RatingRule,
    RatioRule,
    SupervisionRule,
    TiersRule,
)

F64 = npt.NDArray[np.float64]
Getter = Callable[[str], F64]


def score_leaf(cn: CNode, inp: CategoryInputs, *, pooled: bool) -> F64:
    """Score a leaf from the category's inputs, per period or pooled over the periods."""
    shape = (inp.dense.shape[2],) if pooled else inp.dense.shape[1:]
    out = _score_leaf(cn, inp, pooled=pooled)
    return np.broadcast_to(np.asarray(out, dtype=np.float64), shape) + 0.0


def _score_leaf(cn: CNode, inp: CategoryInputs, *, pooled: bool) -> F64 | float:
    rule = cn.node.rule
    pts = cn.points or 0.0

    def var(name: str) -> F64:
        arr = inp.values(cn.index, name)
        return _pool(arr) if pooled else arr

    with np.errstate(divide="ignore", invalid="ignore"):
        if isinstance(rule, FollowRule):
            f = inp.followed[cn.index]
            return (f.overall if pooled else f.per) / f.points * pts
        if isinstance(rule, IncidentRule):
            return incident_score(rule, pts if cn.points is not None else None, _item_totals(cn, inp, rule, pooled))
        if isinstance(rule, RatingRule | GradeMapRule):
            shape = (inp.dense.shape[2],) if pooled else inp.dense.shape[1:]
            s = inp.rating_sum.get(cn.index)
            c = inp.rating_count.get(cn.index)
            if s is None or c is None:
                return np.full(shape, np.nan)
            if pooled:
                s, c = s.sum(axis=0), c.sum(axis=0)
            mean = np.where(c > 0, s / c, np.nan)
            if isinstance(rule, RatingRule):
                return pts * mean / rule.full
            return mean
        if isinstance(rule, ManualRule):
            # Every score given counts once: each reported value (one per period) and each
            # rater's score in the ratings table; the result is their mean.
            arr = inp.values(cn.index, "value")
            frames = arr if pooled else arr[None, :, :]
            vsum: F64 | float = 0.0
            vcnt: F64 | float = 0.0
            for p in range(frames.shape[0]):
                has = ~np.isnan(frames[p])
                vsum = vsum + np.where(has, frames[p], 0.0)
                vcnt = vcnt + has
            s = inp.rating_sum.get(cn.index)
            c = inp.rating_count.get(cn.index)
            if s is not None and c is not None:
                if pooled:
                    s, c = s.sum(axis=0), c.sum(axis=0)
                vsum, vcnt = vsum + s, vcnt + c
            return np.where(np.asarray(vcnt) > 0, vsum / np.maximum(vcnt, 1.0), np.nan)
        if isinstance(rule, RatioRule):
            target = rule.target if rule.target is not None else var("target")
            return ratio_score(rule, pts, var("value"), target)
        if isinstance(rule, TiersRule):
            return tiers_score(rule, pts, var("value"))
        if isinstance(rule, PlanRule):
            return plan_score(rule, pts, var("planned"), var("actual"))
        if isinstance(rule, SupervisionRule):
            return supervision_score(rule, pts, var("due"), var("on_time"), var("overdue"), var("returned"))
        if isinstance(rule, FormulaRule):
            assert cn.formula is not None
            env: dict[str, F64 | float] = {v: var(v) for v in rule.variables()}
            env["points"] = pts
            env["target"] = rule.target if rule.target is not None else np.nan
            env["challenge"] = rule.challenge if rule.challenge is not None else np.nan
            out = cn.formula.evaluate(env)
            lo = rule.min if rule.min is not None else 0.0
            hi = rule.max if rule.max is not None else pts
            return np.minimum(np.maximum(out, lo), hi)
    raise TypeError(f"no scorer for {type(rule).__name__}")  # pragma: no cover


def _pool(arr: F64) -> F64:
    """Sum over the periods; NaN where no period has a value."""
    has = ~np.isnan(arr)
    total = np.zeros(arr.shape[1:])
    for p in range(arr.shape[0]):
        total = total + np.where(has[p], arr[p], 0.0)
    return np.where(has.any(axis=0), total, np.nan)


def _item_totals(cn: CNode, inp: CategoryInputs, rule: IncidentRule, pooled: bool) -> list[F64 | None]:
    out: list[F64 | None] = []
    for it in rule.items:
        a = inp.incident_amounts.get((cn.index, it.code))
        if a is not None and pooled:
            a = a.sum(axis=0)
        out.append(a)
    return out


def incident_score(rule: IncidentRule, points: float | None, items: list[F64 | None]) -> F64 | float:
    """Σ items (each capped) capped in total; a deduction from full points, or an adjustment."""
    total: F64 | float = 0.0
    for it, amount in zip(rule.items, items, strict=True):
        if amount is None:
            continue
        capped = np.minimum(amount, it.cap) if it.cap is not None else amount
        total = total + capped
    cap = rule.cap if rule.cap is not None else points
    if cap is not None:
        total = np.minimum(total, cap)
    if rule.method == "bonus":
        return total + 0.0
    if rule.base == "full":
        return np.maximum((points or 0.0) - total, 0.0)
    return 0.0 - total


def ratio_score(rule: RatioRule, pts: float, v: F64, t: F64 | float) -> F64:
    """完成率: min(actual/target, 1) × points (inverted when lower is better), plus the
    challenge bonus."""
    if rule.lower_is_better:
        ratio = np.where(v <= t, 1.0, t / v)
    else:
        ratio = v / t
    ratio = np.maximum(np.minimum(ratio, 1.0), 0.0)
    if rule.zero_below > 0:
        ratio = np.where(ratio < rule.zero_below, 0.0, ratio)
    score = pts * ratio
    ch = rule.challenge
    if ch is not None:
        if ch.mode == "step":
            reached = v <= ch.value if rule.lower_is_better else v >= ch.value
            bonus = np.where(reached, ch.bonus, 0.0)
        else:
            frac = (v - t) / (ch.value - t)
            bonus = ch.bonus * np.maximum(np.minimum(frac, 1.0), 0.0)
        score = score + bonus
    return np.where(np.isnan(v), np.nan, score)


def tiers_score(rule: TiersRule, pts: float, v: F64) -> F64:
    """满意度分档: the score of the highest tier whose min the value reaches."""
    mult = pts if rule.basis == "share" else 1.0
    out = np.full(v.shape, rule.below * mult)
    for t in sorted(rule.tiers, key=lambda t: t.min):
        out = np.where(v >= t.min, t.score * mult, out)
    return np.where(np.isnan(v), np.nan, out)


def plan_score(rule: PlanRule, pts: float, planned: F64, actual: F64) -> F64:
    """计划完成率: actual / planned, capped, × points; nothing planned is no score."""
    ratio = np.where(planned > 0, actual / planned, np.nan)
    return pts * np.minimum(ratio, rule.cap_ratio)


def supervision_score(rule: SupervisionRule, pts: float, due: F64, on_time: F64, overdue: F64,
                      returned: F64) -> F64:
    """督办: points × on-time rate less per-matter deductions (capped), not below zero."""
    none = np.isnan(due) & np.isnan(on_time) & np.isnan(overdue) & np.isnan(returned)
    due, on_time = np.nan_to_num(due), np.nan_to_num(on_time)
    overdue, returned = np.nan_to_num(overdue), np.nan_to_num(returned)
    rate = np.where(due > 0, np.minimum(on_time / due, 1.0), 1.0)
    ded = rule.per_overdue * overdue + rule.per_returned * returned
    if rule.cap is not None:
        ded = np.minimum(ded, rule.cap)
    score = np.maximum(pts * rate - ded, 0.0)
    return np.where(none, np.nan, score)
