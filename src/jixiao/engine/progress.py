"""Progress against the schedule (完成进度 against 时序进度), for the leaders' cockpit. Pure NumPy.

As of a day, a period has *elapsed* once it has ended. For every node of a category:

- its **schedule** is a weight per period, summing to 1: the weights of its own weighted roll-up,
  else those of the nearest ancestor with a roll-up (the periods its scores are mixed in), else
  equal weights over the periods of its frequency (its own or inherited; all periods without one).
  A group with no roll-up on itself or above has no schedule of its own: it combines its children.
- **expected** (时序进度, one number per node) is the share of its schedule that has elapsed; for a
  combining group, the points-weighted mean of its regular children's (the weights in a weighted mix).
- **secured** (已得分, per object) is the points already earned toward the year: Σ weight × period
  score over the elapsed periods, a period without a score counting zero; bonuses and deductions
  accrue as their periods pass (Σ of their period scores); a combining group adds its children's
  exactly as the engine composes scores (:func:`jixiao.engine.compose.combine`: weights, caps,
  floors). Once every period has elapsed, secured *is* the node's final score.
- **completion** (完成进度) = secured / the node's points. The light compares it with expected:
  green at or above, yellow within ``warn`` of it (completion ≥ expected × warn), red below, and
  ``missing`` when none of the elapsed periods has a score (the object has not reported).

Loops run over nodes and periods, never over objects: every step is a column operation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jixiao.engine.compile import CNode
from jixiao.engine.compose import combine
from jixiao.engine.results import competition_rank
from jixiao.engine.rounding import round_half_up
from jixiao.engine.score import ScoreResult
from jixiao.engine.stored import CategoryArrays

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
Bool = npt.NDArray[np.bool_]

# Light codes, worst first so that ``min`` over several gives the worst.
NOT_DUE, MISSING, RED, YELLOW, GREEN = 0, 1, 2, 3, 4
LIGHTS = {NOT_DUE: "not_due", MISSING: "missing", RED: "red", YELLOW: "yellow", GREEN: "green"}
LABELS = {"not_due": "未到考核期", "missing": "未报送", "red": "滞后", "yellow": "略滞后", "green": "达到进度"}
EPS = 1e-9


@dataclass
class NodeProgress:
    """One node's progress over the category's objects (arrays of length O)."""

    cn: CNode
    schedule: F64 | None  # (P,) weights summing to 1, None for a combining group
    expected: float
    secured: F64
    completion: F64  # NaN where the node has no points (bonus, deduction)
    reported: Bool
    light: I8

    @property
    def code(self) -> str:
        return self.cn.code


@dataclass
class CategoryProgress:
    """Every node's progress in one category as of one day, and the root's progress ranking."""

    arrays: CategoryArrays
    periods: list[str]
    elapsed: Bool  # (P,)
    nodes: list[NodeProgress]  # in the category's pre-order, root first
    rank: I64  # competition rank of the root's secured points within the ranking groups
    warn: float

    @property
    def root(self) -> NodeProgress:
        return self.nodes[0]

    def node(self, code: str) -> NodeProgress:
        for n in self.nodes:
            if n.code == code:
                return n
        raise KeyError(code)

    def schedule_periods(self) -> Bool:
        """Periods that carry weight in some regular indicator's schedule: the checkpoints."""
        out = np.zeros(len(self.periods), dtype=bool)
        for n in self.nodes:
            if n.schedule is not None and not n.cn.is_adjustment:
                out |= n.schedule > 0
        return out


def schedules(cs: CategoryArrays, periods: list[str], kinds: list[str]) -> list[F64 | None]:
    """Each node's period weights (see the module docstring), in node order.

    Without a declared frequency, equal weights go to the periods of the kinds the node has
    scores in (a monthly indicator in a scheme that also lists quarters and halves: its months),
    and to all periods when it has no score yet.
    """
    cc = cs.cc
    out: list[F64 | None] = [None] * len(cc.nodes)
    kind_arr = np.array(kinds, dtype=object)

    def equal(freq: str | None, i: int) -> F64:
        if freq:
            mask = kind_arr == freq
        else:
            seen = (~np.isnan(cs.per_period[i])).any(axis=1)
            mask = np.isin(kind_arr, list(set(kind_arr[seen].tolist())))
        if not mask.any():
            mask = np.ones(len(periods), dtype=bool)
        return np.asarray(mask / mask.sum(), dtype=np.float64)

    def visit(i: int, inherited: F64 | None, freq: str | None) -> None:
        cn = cc.nodes[i]
        f = cn.node.frequency or freq
        w = inherited
        r = cn.rollup
        if r is not None and r.mode == "weighted" and r.weights:
            raw = np.array([float(r.weights.get(p, 0.0)) for p in periods])
            w = raw / raw.sum() if raw.sum() > 0 else equal(f, i)
        elif r is not None and w is None:
            w = equal(f, i)
        if cn.is_leaf and w is None:
            w = equal(f, i)
        out[i] = w
        for c in cn.children:
            visit(c, w if not cn.is_leaf and w is not None else None, f)

    visit(cc.root.index, None, None)
    return out


def progress(source: ScoreResult | CategoryArrays, category: str, kinds: list[str], elapsed: Bool, *,
             warn: float = 0.9) -> CategoryProgress:
    """Progress of every node of a scored category as of the day that makes ``elapsed`` true;
    ``kinds`` gives each scheme period's kind (month, quarter…), for frequency schedules.

    ``source`` is a fresh engine result or a category's stored arrays (what the web pages read)."""
    cs = source if isinstance(source, CategoryArrays) else CategoryArrays.from_score(source, category)
    periods = cs.periods
    decimals = cs.decimals
    cc = cs.cc
    n_obj = len(cs.objects)
    elapsed = np.asarray(elapsed, dtype=bool)
    all_done = bool(elapsed.all())
    weights = schedules(cs, periods, kinds)
    secured: list[F64] = [np.zeros(n_obj)] * len(cc.nodes)
    expected: list[float] = [0.0] * len(cc.nodes)
    reported: list[Bool] = [np.zeros(n_obj, dtype=bool)] * len(cc.nodes)
    for cn in reversed(cc.nodes):  # pre-order reversed: children before their parent
        i = cn.index
        w = weights[i]
        per = cs.per_period[i]  # (P, O)
        if w is not None:
            due = w * elapsed
            expected[i] = float(due.sum())
            has = ~np.isnan(per)
            counted = elapsed if cn.is_adjustment else due > 0
            reported[i] = np.asarray((has & counted[:, None]).any(axis=0), dtype=np.bool_)
            if cn.is_adjustment:
                got = np.nansum(np.where(elapsed[:, None], per, np.nan), axis=0) if n_obj else np.zeros(0)
            else:
                got = due @ np.nan_to_num(per, nan=0.0) if n_obj else np.zeros(0)
            secured[i] = round_half_up(np.asarray(got, dtype=np.float64), decimals)
        else:
            kids = [cc.nodes[c] for c in cn.children]
            secured[i] = np.nan_to_num(combine(cc, cn, [secured[k.index] for k in kids]), nan=0.0)
            regular = [k for k in kids if not k.is_adjustment]
            share = [(k.node.weight or 0.0) if cn.weighted else (k.points or 0.0) for k in regular]
            total = sum(share)
            expected[i] = sum(s * expected[k.index] for s, k in zip(share, regular, strict=True)) / total \
                if total > 0 else 0.0
            rep = np.zeros(n_obj, dtype=bool)
            for k in regular:
                rep = rep | reported[k.index]
            reported[i] = rep
        if all_done:
            secured[i] = np.nan_to_num(cs.overall[i], nan=0.0)
    nodes = []
    for cn in cc.nodes:
        i = cn.index
        pts = cn.points
        completion = secured[i] / pts if pts else np.full(n_obj, np.nan)
        nodes.append(NodeProgress(cn=cn, schedule=weights[i], expected=expected[i], secured=secured[i],
                                  completion=completion, reported=reported[i],
                                  light=lights(completion, expected[i], reported[i], warn)))
    labels = cs.groups
    ranking = labels if cc.category.results.ranking == "group" else [cc.code] * n_obj
    groups = np.unique(np.array(ranking, dtype=object), return_inverse=True)[1].astype(np.int64) if n_obj \
        else np.zeros(0, dtype=np.int64)
    rank, _ = competition_rank(nodes[0].secured.astype(np.float64), groups)
    return CategoryProgress(arrays=cs, periods=periods, elapsed=elapsed, nodes=nodes, rank=rank, warn=warn)


def lights(completion: F64, expected: float, reported: Bool, warn: float) -> I8:
    """The light of each object on one node (codes in :data:`LIGHTS`)."""
    n = len(completion)
    if expected <= EPS:
        return np.full(n, NOT_DUE, dtype=np.int8)
    c = np.nan_to_num(completion, nan=-np.inf)
    out = np.select([~reported, c >= expected - EPS, c >= expected * warn - EPS], [MISSING, GREEN, YELLOW], RED)
    return np.asarray(out, dtype=np.int8)


def explain(p: CategoryProgress, node: NodeProgress, local: int) -> str:
    """Why this progress, in words: what was earned in which elapsed period, against what."""
    cn = node.cn
    pts = cn.points
    got = float(node.secured[local])
    parts: list[str] = []
    if node.schedule is not None and not cn.is_adjustment and not p.elapsed.all():
        per = p.arrays.per_period[cn.index][:, local]
        for k, code in enumerate(p.periods):
            w = float(node.schedule[k])
            if w > 0 and p.elapsed[k]:
                s = per[k]
                parts.append(f"{code} {'未报' if s != s else _fmt(float(s))} × {_fmt(w * 100)}%")
    elif p.elapsed.all():
        parts.append("全部考核期已结束，按最终得分")
    else:
        parts.append("由下级指标合计")
    head = f"已得 {_fmt(got)} 分" + (f"（{'；'.join(parts)}）" if parts else "")
    if not pts:
        return head
    return (f"{head}，全年 {_fmt(pts)} 分，完成进度 {_fmt(got / pts * 100)}%，"
            f"时序进度 {_fmt(node.expected * 100)}%")


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x == x else "—"
