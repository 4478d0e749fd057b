"""Composition (汇总): leaves to groups to the category total, per period and overall.

The per-period frame scores every node in every period. The overall frame follows the
roll-ups: a node that declares one rolls up its own per-period scores; a leaf without one
(and no roll-up above it) uses its default (pool for incidents and ballots, else the
scheme's); a group without one combines its children's overall scores. Every node is
rounded half up to the scheme's decimals, and groups add the rounded scores of their
children, so the parts a clerk sees always add up to the whole (``rounding.at: total``
instead keeps every node exact and rounds only the category totals).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from jixiao.engine.compile import CCategory, CNode, CScheme, default_leaf_rollup
from jixiao.engine.inputs import CategoryInputs
from jixiao.engine.methods import score_leaf
from jixiao.engine.parallel import pmap
from jixiao.engine.rounding import round_half_up
from jixiao.engine.scheme.model import Rollup

F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]


@dataclass
class NodeScores:
    """Scores of every node of one category: ``periods[node]`` is (P, O), ``overall[node]`` (O,)."""

    periods: list[F64]
    overall: list[F64]
    missing: dict[str, Bool] = field(default_factory=dict)  # flag -> (O,)


def weight_factor(weight: float, weight_total: float, points: float, child_points: float) -> float:
    """The multiplier of a child's score in a weighted mix: share of the weight × scale change."""
    return (weight / weight_total) * (points / child_points)


def combine(cc: CCategory, cn: CNode, kids: list[F64], na: dict[int, Bool] | None = None) -> F64:
    """A group's score from its children's (rounded) scores; NaN only if no child has data.

    A regular child that does not apply to an object (``na``) is left out and the group re-based
    on the points (weights) of the children that do: Σ applicable × points ÷ applicable points.
    """
    node = cn.node
    na = na or {}
    regular = [(cc.nodes[i], k) for i, k in zip(cn.children, kids, strict=True) if not cc.nodes[i].is_adjustment]
    adjust = [(cc.nodes[i], k) for i, k in zip(cn.children, kids, strict=True) if cc.nodes[i].is_adjustment]
    acc: F64 | float = 0.0
    has: Bool | bool = False
    for child, k in regular:
        v = np.where(np.isnan(k), 0.0, k)
        if cn.weighted:
            acc = acc + v * weight_factor(child.node.weight or 0.0, node.weight_total, cn.points or 0.0,
                                          child.points or 1.0)
        else:
            acc = acc + v
        has = has | ~np.isnan(k)
    if any(child.index in na for child, _ in regular):
        acc = acc * rebase_factor(cc, cn, na)
    if adjust:
        bonus: F64 | float = 0.0
        ded: F64 | float = 0.0
        for child, k in adjust:
            v = np.where(np.isnan(k), 0.0, k)
            if child.node.rule is not None and child.node.rule.method == "bonus":
                bonus = bonus + v
            else:
                ded = ded - v
        if node.bonus_cap is not None:
            bonus = np.minimum(bonus, node.bonus_cap)
        if node.deduction_cap is not None:
            ded = np.minimum(ded, node.deduction_cap)
        acc = acc + bonus - ded
    floor = _floor(cc, cn, bool(adjust))
    if floor is not None:
        acc = np.maximum(acc, floor)
    out = np.where(has, acc, np.nan)
    return np.asarray(out, dtype=np.float64)


def rebase_factor(cc: CCategory, cn: CNode, na: dict[int, Bool]) -> F64:
    """Per object: the group's points over the points of its regular children that apply (weights
    over the weights that apply, in a weighted group); 1 where every child applies."""
    regular = [cc.nodes[i] for i in cn.children if not cc.nodes[i].is_adjustment]
    size = next(iter(na.values())).shape[0]
    some: Bool = np.zeros(size, dtype=np.bool_)
    part: F64 | float = 0.0
    for child in regular:
        gone = na.get(child.index)
        share = (child.node.weight or 0.0) if cn.weighted else (child.points or 0.0)
        part = part + (share if gone is None else np.where(gone, 0.0, share))
        if gone is not None:
            some = some | gone
    whole = cn.node.weight_total if cn.weighted else (cn.points or 0.0)
    part_a = np.asarray(part, dtype=np.float64)
    # Where nothing applies the group has no score anyway; keep the factor finite there.
    factor = np.where(some & (part_a > 0), whole / np.where(part_a > 0, part_a, 1.0), 1.0)
    return np.asarray(factor, dtype=np.float64)


def _floor(cc: CCategory, cn: CNode, has_adjustments: bool) -> float | None:
    if cn.parent is None:
        return cc.category.min_score
    return 0.0 if has_adjustments else None


def rollup(r: Rollup, periods: list[str], per: F64) -> F64:
    """Roll a node's per-period scores (P, O) up to one score per object."""
    has = ~np.isnan(per)
    if r.mode == "weighted":
        assert r.weights is not None
        wt = r.weight_total()
        acc: F64 | float = 0.0
        any_data: Bool | bool = False
        for p, code in enumerate(periods):
            if code in r.weights:
                acc = acc + np.where(has[p], per[p], 0.0) * (r.weights[code] / wt)
                any_data = any_data | has[p]
        return np.where(any_data, acc, np.nan)
    if r.mode == "last":
        out = np.full(per.shape[1:], np.nan)
        for p in range(per.shape[0]):
            out = np.where(has[p], per[p], out)
        return out
    total: F64 | float = 0.0
    count: F64 | float = 0.0
    for p in range(per.shape[0]):
        total = total + np.where(has[p], per[p], 0.0)
        count = count + has[p]
    if r.mode == "mean":
        return np.where(np.asarray(count) > 0, total / np.maximum(count, 1.0), np.nan)
    return np.where(np.asarray(count) > 0, total, np.nan)  # sum (and pool on a group)


def compose_category(cs: CScheme, inp: CategoryInputs) -> NodeScores:
    """Score every node of a category per period and overall.

    Leaves are independent, so they are scored on the worker threads; groups then combine
    their children bottom-up (children follow their parent in pre-order). With
    ``rounding.at: total`` only the root is rounded (overall and per period); its overall is
    rolled up from its exact per-period scores.
    """
    cc = inp.cc
    d = cs.decimals
    n = len(cc.nodes)
    leaves = [cn for cn in cc.nodes if cn.is_leaf]
    work = inp.dense.shape[1] * inp.dense.shape[2]
    periods: list[F64] = [np.empty(0)] * n
    overall: list[F64] = [np.empty(0)] * n
    missing: dict[str, Bool] = {}

    def rnd(a: F64, cn: CNode) -> F64:
        return round_half_up(a, d) if cs.round_nodes or cn.parent is None else a

    def leaf_scores(cn: CNode) -> tuple[F64, F64]:
        per = rnd(score_leaf(cn, inp, pooled=False), cn)
        r = cn.rollup or default_leaf_rollup(cn.node, cc.default_rollup)
        if r.mode == "pool":
            return per, rnd(score_leaf(cn, inp, pooled=True), cn)
        return per, rnd(rollup(r, cs.periods, per), cn)

    na = inp.na
    for cn, (per, whole) in zip(leaves, pmap(leaf_scores, leaves, work=work), strict=True):
        gone = na.get(cn.index)
        if gone is not None:  # a part that does not apply has no score, and is not missing
            per, whole = np.where(gone, np.nan, per), np.where(gone, np.nan, whole)
        periods[cn.index], overall[cn.index] = per, whole
        r = cn.rollup or default_leaf_rollup(cn.node, cc.default_rollup)
        _weighted_gaps(cs, cn, r, per, missing, gone)
        gap = np.isnan(whole) if gone is None else np.isnan(whole) & ~gone
        if gap.any():
            missing[f"missing:{cn.code}"] = gap
    root_exact: F64 | None = None
    for cn in reversed(cc.nodes):
        if not cn.is_leaf:
            raw = _blank(combine(cc, cn, [periods[i] for i in cn.children], na), na.get(cn.index))
            if cn.parent is None:
                root_exact = raw
            periods[cn.index] = rnd(raw, cn)

    def visit(cn: CNode) -> F64:
        if cn.is_leaf:
            return overall[cn.index]
        kids = [visit(cc.nodes[c]) for c in cn.children]  # every child keeps its own overall, for the trace
        if cn.rollup is not None:
            exact = not cs.round_nodes and cn.parent is None and root_exact is not None
            own = root_exact if exact and root_exact is not None else periods[cn.index]
            score = rnd(_blank(rollup(cn.rollup, cs.periods, own), na.get(cn.index)), cn)
        else:
            score = rnd(_blank(combine(cc, cn, kids, na), na.get(cn.index)), cn)
        overall[cn.index] = score
        return score

    visit(cc.root)
    for i, gone in na.items():  # flag the top-most regular part that does not apply
        cn = cc.nodes[i]
        if cn.parent is not None and not cn.is_adjustment:
            top = gone & ~na[cn.parent] if cn.parent in na else gone
            if top.any():
                missing[f"not_applicable:{cn.code}"] = top
    return NodeScores(periods=periods, overall=overall, missing=missing)


def _blank(a: F64, gone: Bool | None) -> F64:
    """No score where the node does not apply."""
    return a if gone is None else np.where(gone, np.nan, a)


def _weighted_gaps(cs: CScheme, cn: CNode, r: Rollup, per: F64, missing: dict[str, Bool],
                   gone: Bool | None = None) -> None:
    """A weighted roll-up counts a period without data as zero; flag it so nobody is surprised."""
    if r.mode != "weighted" or r.weights is None or not cn.is_leaf:
        return
    for p, code in enumerate(cs.periods):
        if code in r.weights:
            gap = np.isnan(per[p]) if gone is None else np.isnan(per[p]) & ~gone
            if gap.any():
                missing[f"missing:{cn.code}@{code}"] = gap
