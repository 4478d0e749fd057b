"""Progress against the schedule (完成进度 against 时序进度), for the leaders' cockpit. Pure NumPy.

As of a day, a period has *elapsed* once it has ended. For every node of a category:

- its **schedule** is a weight per period, summing to 1: the weights of its own weighted roll-up,
  else those of the nearest ancestor with a roll-up (the periods its scores are mixed in), else
  equal weights over the periods of its frequency (its own or inherited; all periods without one).
  A group with no roll-up on itself or above has no schedule of its own: it combines its children.
- **expected** (时序进度, one number per node) is the share of its schedule that has elapsed; for a
  combining group, the points-weighted mean of its regular children's (the weights in a weighted mix).
- **secured** (已得分, per object) is the points already earned toward the year: Σ weight × period
  score over the elapsed periods (added one period after another, in the scheme's order, then
  rounded to the scheme's decimals), a period without a score counting zero; bonuses and deductions
  accrue as their periods pass (Σ of their period scores); a combining group adds its children's
  exactly as the engine composes scores (:func:`jixiao.engine.compose.combine`: weights, caps,
  floors). Once every period has elapsed, secured *is* the node's final score.
- **completion** (完成进度) = secured / the node's points. The light compares it with expected:
  green at or above, yellow within ``warn`` of it (completion ≥ expected × warn), red below, and
  ``missing`` when none of the elapsed periods has a score (the object has not reported).

Loops run over nodes and periods, never over objects: every step is a column operation. A
:class:`Schedule` holds what does not depend on the day, so that a cockpit's trend (the progress at
every checkpoint) reads each node's scores once for all its days (:meth:`Schedule.days`), a slice
of objects at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jixiao.engine.compile import CCategory, CNode
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


class RootProgress:
    """The root's progress alone as of one day (a trend's point): what :meth:`Schedule.at` gives
    for the root that day, without every node's lights."""

    def __init__(self, *, expected: float, secured: F64, completion: F64, groups: I64,
                 rank: I64 | None = None) -> None:
        self.expected = expected
        self.secured = secured
        self.completion = completion
        self._groups = groups
        self._rank = rank

    @property
    def rank(self) -> I64:
        """Competition rank of the root's secured points within the ranking groups (on demand)."""
        if self._rank is None:
            self._rank = competition_rank(self.secured.astype(np.float64), self._groups)[0]
        return self._rank

    def rank_of(self, local: int) -> int:
        """``rank[local]`` without ranking everyone: 1 + how many of its group secured more."""
        if self._rank is not None:
            return int(self._rank[local])
        s = np.where(np.isnan(self.secured), -np.inf, self.secured)
        return int(np.count_nonzero((self._groups == self._groups[local]) & (s > s[local]))) + 1


class Schedule:
    """What does not depend on the day: the category's arrays, every node's schedule and the
    ranking groups. :meth:`at` gives the progress as of one day, :meth:`roots` the root's as of
    several (a trend), :meth:`days` both in one pass."""

    def __init__(self, source: ScoreResult | CategoryArrays, category: str, kinds: list[str]) -> None:
        cs = source if isinstance(source, CategoryArrays) else CategoryArrays.from_score(source, category)
        self.arrays = cs
        self.periods = cs.periods
        self.weights = schedules(cs, cs.periods, kinds)
        ranking = cs.groups if cs.cc.category.results.ranking == "group" else [cs.cc.code] * len(cs.objects)
        number = {label: k for k, label in enumerate(sorted(set(ranking)))}  # as np.unique numbers them
        self.groups: I64 = np.fromiter((number[label] for label in ranking), dtype=np.int64, count=len(ranking))

    def checkpoint_periods(self) -> Bool:
        """Periods that carry weight in some regular indicator's schedule: the checkpoints."""
        out = np.zeros(len(self.periods), dtype=bool)
        for cn, w in zip(self.arrays.cc.nodes, self.weights, strict=True):
            if w is not None and not cn.is_adjustment:
                out |= w > 0
        return out

    def at(self, elapsed: Bool, *, warn: float = 0.9) -> CategoryProgress:
        """Every node's progress as of the day that makes ``elapsed`` true."""
        full = self.days([elapsed], full=0, warn=warn)[1]
        assert full is not None
        return full

    def roots(self, elapsed: list[Bool]) -> list[RootProgress]:
        """The root's progress as of several days, each the root of :meth:`at` that day."""
        return self.days(elapsed)[0]

    def days(self, elapsed: list[Bool], *, full: int | None = None, warn: float = 0.9
             ) -> tuple[list[RootProgress], CategoryProgress | None]:
        """The root's progress as of several days, and every node's as of the day ``full`` among
        them (its :meth:`at`), in one pass over the node scores."""
        cs = self.arrays
        n_obj = len(cs.objects)
        mat = np.array([np.asarray(e, dtype=bool) for e in elapsed], dtype=bool).reshape(len(elapsed), -1) \
            if elapsed else np.zeros((0, len(self.periods)), dtype=bool)
        ev = _evaluate(cs, self.weights, mat, full)
        root = cs.cc.root
        pts = root.points
        out = [RootProgress(expected=float(ev.expected[root.index][k]), secured=ev.root[k],
                            completion=ev.root[k] / pts if pts else np.full(n_obj, np.nan), groups=self.groups)
               for k in range(len(elapsed))]
        if full is None:
            return out, None
        nodes = []
        for cn in cs.cc.nodes:
            i = cn.index
            got, exp, rep = ev.secured[i], float(ev.expected[i][full]), ev.reported[i]
            completion = got / cn.points if cn.points else np.full(n_obj, np.nan)
            nodes.append(NodeProgress(cn=cn, schedule=self.weights[i], expected=exp, secured=got,
                                      completion=completion, reported=rep, light=lights(completion, exp, rep, warn)))
        rank, _ = competition_rank(nodes[0].secured.astype(np.float64), self.groups)
        out[full]._rank = rank  # the same ranking, computed once
        return out, CategoryProgress(arrays=cs, periods=self.periods, elapsed=mat[full], nodes=nodes, rank=rank,
                                     warn=warn)


def progress(source: ScoreResult | CategoryArrays, category: str, kinds: list[str], elapsed: Bool, *,
             warn: float = 0.9) -> CategoryProgress:
    """Progress of every node of a scored category as of the day that makes ``elapsed`` true;
    ``kinds`` gives each scheme period's kind (month, quarter…), for frequency schedules.

    ``source`` is a fresh engine result or a category's stored arrays (what the web pages read).
    Several days of one category: build its :class:`Schedule` once."""
    return Schedule(source, category, kinds).at(elapsed, warn=warn)


# Objects are taken a slice at a time, so that each node's (day × object) arrays stay in the CPU's
# cache through the dozen array operations a node takes: about this many numbers per array.
CHUNK = 1 << 16


def _zero_nan(x: F64) -> F64:
    """``np.nan_to_num(x, nan=0.0)``, in one pass when ``x`` has no infinity (scores never do)."""
    out = np.where(np.isnan(x), 0.0, x)
    return out if np.isfinite(out).all() else np.nan_to_num(x, nan=0.0)


def _term(per: F64, w: F64 | None) -> Callable[[int], F64]:
    """Period p's term of a node's sum: its weighted score (its score alone without weights), NaN as 0."""
    if w is None:
        return lambda p: _zero_nan(per[p])
    return lambda p: w[p] * _zero_nan(per[p])


def _ordered_sum(term: Callable[[int], F64], support: I64, elapsed: Bool, n_obj: int) -> F64:
    """For each day (row of ``elapsed``): Σ term(p) over the periods p of ``support`` that have
    elapsed, added one period after another in period order, (K, O).

    One running sum serves every day whose elapsed periods of the support are its first ones (the
    usual case: periods end in the order they are listed); any other day adds its own."""
    n_day = elapsed.shape[0]
    out = np.zeros((n_day, n_obj))
    if not n_obj or not len(support):
        return out
    rows: dict[int, F64] = {}

    def row(p: int) -> F64:
        if p not in rows:
            rows[p] = term(p)
        return rows[p]

    upto: dict[int, list[int]] = {}  # n → the days that have the first n periods of the support
    for k in range(n_day):
        on = elapsed[k, support]
        n_on = int(on.sum())
        if not n_on:
            continue
        if on[:n_on].all():
            upto.setdefault(n_on, []).append(k)
            continue
        picked = support[on].tolist()
        acc = row(picked[0]).copy()
        for q in picked[1:]:
            acc += row(q)
        out[k] = acc
    if upto:
        acc = row(int(support[0])).copy()
        for n in range(1, max(upto) + 1):
            if n > 1:
                acc += row(int(support[n - 1]))
            if n in upto:
                out[upto[n]] = acc
    return out


def _expected(cc: CCategory, weights: list[F64 | None], elapsed: Bool) -> list[F64]:
    """Each node's expected share (时序进度) for each day's ``elapsed`` (K, P): (K,) per node."""
    n_day = elapsed.shape[0]
    expected: list[F64] = [np.zeros(n_day)] * len(cc.nodes)
    for cn in reversed(cc.nodes):
        i = cn.index
        w = weights[i]
        if w is not None:
            expected[i] = np.array([float((w * e).sum()) for e in elapsed])
            continue
        regular = [cc.nodes[c] for c in cn.children if not cc.nodes[c].is_adjustment]
        share = [(k.node.weight or 0.0) if cn.weighted else (k.points or 0.0) for k in regular]
        total = sum(share)
        expected[i] = np.array([sum(s * float(expected[k.index][d]) for s, k in zip(share, regular, strict=True))
                                / total if total > 0 else 0.0 for d in range(n_day)])
    return expected


_GONE = np.zeros((0, 0))


@dataclass
class _Evaluation:
    root: F64  # (K, O) the root's secured points each day
    expected: list[F64]  # per node, (K,)
    secured: list[F64]  # per node, (O,) on the full day (empty without one)
    reported: list[Bool]  # per node, (O,) on the full day (empty without one)


def _evaluate(cs: CategoryArrays, weights: list[F64 | None], elapsed: Bool, full: int | None) -> _Evaluation:
    """The root's secured points and every node's expected share for each day's ``elapsed`` (K, P),
    and on the day ``full`` every node's secured points and whether it has reported.

    A leaf's secured points are Σ weight × score over its elapsed scheduled periods, added in
    period order (a period without a score counting zero), rounded to the scheme's decimals; a
    bonus or deduction sums its elapsed periods' scores; a group combines its children as the
    engine does. On a day when every period has elapsed, secured is the node's final score."""
    cc = cs.cc
    n_day, n_obj = elapsed.shape[0], len(cs.objects)
    n_node = len(cc.nodes)
    expected = _expected(cc, weights, elapsed)
    all_done = elapsed.all(axis=1)
    counted: list[Bool | None] = [
        None if w is None else elapsed if cn.is_adjustment else np.array([w * e > 0 for e in elapsed], dtype=bool)
        for cn, w in zip(cc.nodes, weights, strict=True)]
    root = np.empty((n_day, n_obj))
    secured = [np.empty(n_obj) for _ in range(n_node)] if full is not None else []
    reported = [np.empty(n_obj, dtype=bool) for _ in range(n_node)] if full is not None else []
    step = max(1024, CHUNK // max(n_day, 1))
    for lo in range(0, n_obj, step):
        objs = slice(lo, min(lo + step, n_obj))
        m = objs.stop - lo
        sec: list[F64] = [np.zeros((n_day, m))] * n_node
        rep: list[Bool] = [np.zeros(m, dtype=bool)] * n_node
        for cn in reversed(cc.nodes):  # pre-order reversed: children before their parent
            i = cn.index
            w = weights[i]
            c = counted[i]
            if w is not None and c is not None:
                per = cs.per_period[i][:, objs]  # (P, m)
                if full is not None:
                    rep[i] = np.asarray((~np.isnan(per[c[full]])).any(axis=0), dtype=np.bool_)
                if cn.is_adjustment:  # bonuses and deductions accrue: every elapsed period counts in full
                    got = _ordered_sum(_term(per, None), np.arange(len(w)), elapsed, m)
                else:
                    got = _ordered_sum(_term(per, w), np.flatnonzero(w), elapsed, m)
                sec[i] = round_half_up(got, cs.decimals)
            else:
                kids = [cc.nodes[k] for k in cn.children]
                sec[i] = np.nan_to_num(combine(cc, cn, [sec[k.index] for k in kids]), nan=0.0)
                if full is not None:
                    r = np.zeros(m, dtype=bool)
                    for k in kids:
                        if not k.is_adjustment:
                            r = r | rep[k.index]
                    rep[i] = r
            if all_done.any():
                sec[i] = sec[i].copy()
                sec[i][all_done] = np.nan_to_num(cs.overall[i][objs], nan=0.0)
            if full is not None:
                secured[i][objs] = sec[i][full]
                reported[i][objs] = rep[i]
            for child in cn.children:  # combined: the children's (day × object) arrays can go
                sec[child] = _GONE
        root[:, objs] = sec[cc.root.index]
    return _Evaluation(root=root, expected=expected, secured=secured, reported=reported)


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
