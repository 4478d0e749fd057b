"""Score a scheme over a data set: the engine's single entry point.

``score(scheme, data)`` validates everything first (nothing is scored from a half-valid
file), then scores each category column-wise, then applies the result rules in category
dependency order, so that a section's grade is known before its staff are graded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from jixiao.engine.compile import CCategory, CScheme, compile_scheme
from jixiao.engine.compose import NodeScores, compose_category
from jixiao.engine.data import DataSet
from jixiao.engine.encode import encode
from jixiao.engine.inputs import CategoryInputs, Followed, Objects
from jixiao.engine.results import CategoryResults, assign, competition_rank
from jixiao.engine.rounding import round_count, round_half_up
from jixiao.engine.scheme.model import ParentValue, Scheme
from jixiao.engine.scheme.rules import FollowRule

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]


@dataclass
class CategoryScore:
    """One category's inputs, node scores and results."""

    cc: CCategory
    inputs: CategoryInputs
    scores: NodeScores
    results: CategoryResults
    period_rank: I64  # (P, O)

    def local(self, objects: Objects, object_id: str) -> int:
        return int(objects.local[objects.index[object_id]])


@dataclass(frozen=True)
class ResultRow:
    """One object's result, the row of the ranked table and of the JSON output."""

    object_id: str
    object_name: str
    category: str
    group: str
    total: float | None
    rank: int
    group_size: int
    grade: str | None
    eligible_top: bool
    vetoed: bool
    flags: tuple[str, ...]
    components: dict[str, float | None]
    periods: dict[str, dict[str, float | int | None]]
    multi_year: bool | None

    def as_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "object_name": self.object_name,
            "category": self.category,
            "group": self.group,
            "total": self.total,
            "rank": self.rank,
            "group_size": self.group_size,
            "grade": self.grade,
            "eligible_top": self.eligible_top,
            "vetoed": self.vetoed,
            "flags": list(self.flags),
            "components": self.components,
            "periods": self.periods,
            "multi_year": self.multi_year,
        }


@dataclass
class ScoreResult:
    """Everything the engine computed; traces are rendered on demand from these arrays."""

    scheme: CScheme
    objects: Objects
    categories: list[CategoryScore]

    def category(self, code: str) -> CategoryScore:
        for c in self.categories:
            if c.cc.code == code:
                return c
        raise KeyError(code)

    def category_of(self, object_id: str) -> CategoryScore:
        return self.categories[int(self.objects.category[self.objects.index[object_id]])]

    def rows(self) -> list[ResultRow]:
        """All objects' results: categories in scheme order, then group, rank and object id."""
        out: list[ResultRow] = []
        for cs in sorted(self.categories, key=lambda c: c.cc.position):
            out.extend(self._category_rows(cs))
        return out

    def _category_rows(self, cs: CategoryScore) -> list[ResultRow]:
        ids, names, groups = self.objects.ids, self.objects.names, self.objects.groups
        g = cs.inputs.objects
        rows = category_rows(cs.cc, self.scheme.periods, overall=cs.scores.overall, per_root=cs.scores.periods[
            cs.cc.root.index], period_rank=cs.period_rank, res=cs.results, ids=[ids[i] for i in g],
            names=[names[i] for i in g], groups=[groups[i] for i in g])
        rows.sort(key=lambda r: (r.group, r.rank, r.object_id))
        return rows

    def to_json(self) -> dict[str, Any]:
        return {"scheme": self.scheme.scheme.code, "results": [r.as_json() for r in self.rows()]}


def _num(x: float) -> float | None:
    return None if x != x else x  # NaN → None


def category_rows(cc: CCategory, periods: list[str], *, overall: list[F64] | F64, per_root: F64, period_rank: I64,
                  res: CategoryResults, ids: list[str], names: list[str], groups: list[str],
                  only: list[int] | None = None) -> list[ResultRow]:
    """The result rows of one category's objects (all, or the local indices ``only``), in local
    order, from its node scores (``overall[node]``, the root's ``(P, O)`` period scores) and results."""
    cat = cc.category
    comp_nodes = [cc.nodes[i] for i in cc.root.children]
    # Convert whole columns to Python lists once; the loop below only picks from them.
    comp = {cn.code: overall[cn.index].tolist() for cn in comp_nodes}
    per_total = per_root.T.tolist()
    per_rank = period_rank.T.tolist()
    total = res.total.tolist()
    rank, size = res.rank.tolist(), res.group_size.tolist()
    eligible, vetoed = res.eligible_top.tolist(), res.vetoed.tolist()
    bands = [b.name for b in cat.results.grades.bands] if cat.results.grades else []
    grade = [bands[g] if g >= 0 else None for g in res.grade.tolist()]
    multi = res.multi_year.tolist() if res.multi_year is not None else None
    flagged: list[list[str]] = [[] for _ in ids]
    for name, mask in sorted(res.flags.items()):
        for local in np.flatnonzero(mask).tolist():
            flagged[local].append(name)
    rows = []
    for local in (range(len(ids)) if only is None else only):
        pt, pr = per_total[local], per_rank[local]
        rows.append(ResultRow(
            object_id=ids[local],
            object_name=names[local],
            category=cat.code,
            group=groups[local],
            total=_num(total[local]),
            rank=rank[local],
            group_size=size[local],
            grade=grade[local],
            eligible_top=eligible[local],
            vetoed=vetoed[local],
            flags=tuple(flagged[local]),
            components={code: _num(vals[local]) for code, vals in comp.items()},
            periods={p: {"total": pt[pi], "rank": pr[pi]} for pi, p in enumerate(periods) if pt[pi] == pt[pi]},
            multi_year=None if multi is None else multi[local],
        ))
    return rows


def period_ranks(cc: CCategory, group_labels: list[str], per: F64) -> I64:
    """(P, O) competition ranks of the root's period scores within the ranking groups."""
    ranking = group_labels if cc.category.results.ranking == "group" else [cc.code] * len(group_labels)
    groups = np.unique(np.array(ranking, dtype=object), return_inverse=True)[1].astype(np.int64)
    if not len(group_labels):
        return np.zeros((per.shape[0], 0), dtype=np.int64)
    return np.stack([competition_rank(per[p], groups)[0] for p in range(per.shape[0])])


def score(scheme: Scheme | CScheme, data: DataSet) -> ScoreResult:
    """Validate and score; raises ``DataError`` listing every bad row before scoring anything."""
    cs = scheme if isinstance(scheme, CScheme) else compile_scheme(scheme)
    objects, inputs = encode(cs, data)
    done: dict[str, CategoryScore] = {}
    out: list[CategoryScore] = []
    for inp in inputs:  # dependency order
        cc = inp.cc
        _follow(cs, objects, inp, done)
        node_scores = compose_category(cs, inp)
        root = cc.root
        total = node_scores.overall[root.index]
        group_labels = [objects.groups[g] for g in inp.objects]
        blocked, forced = _eligibility(cs, cc, objects, inp, done, group_labels, node_scores)
        history_ok = _multi_year(cc, objects, inp, data, total, group_labels, cs.decimals)
        my = cc.category.results.multi_year
        if my is not None and history_ok is not None and my.effect == "no_top":
            blocked[my.label] = ~history_ok
        elif my is not None and history_ok is not None and my.effect == "force_grade":
            assert my.grade is not None
            forced[f"rule:{my.label}"] = (my.grade, ~history_ok)
        res = assign(cc.category, total, group_labels, points=root.points or 100.0,
                     vetoes=inp.vetoes, blocked=blocked, forced=forced, history_ok=history_ok)
        for flag, mask in node_scores.missing.items():
            res.flags[flag] = mask
        period_rank = period_ranks(cc, group_labels, node_scores.periods[root.index])
        score_c = CategoryScore(cc=cc, inputs=inp, scores=node_scores, results=res, period_rank=period_rank)
        done[cc.code] = score_c
        out.append(score_c)
    return ScoreResult(scheme=cs, objects=objects, categories=out)


MAX_LEVELS = 16  # how far up the objects' parents are followed (a person → section → unit → …)


def _parents(objects: Objects, inp: CategoryInputs, parent_index: int) -> I64:
    """Local index of each object's nearest ancestor in the parent category (its parent, or the
    parent's parent, …: a person's unit above the section), -1 where it has none there."""
    return _up(objects, objects.parent[np.asarray(inp.objects, dtype=np.int64)], parent_index)


def _linked(objects: Objects, inp: CategoryInputs, parent_index: int) -> list[I64]:
    """The nearest ancestor in the category, then each overseen object there (or its nearest ancestor
    there): a vice-head's units (分管单位) beside his own unit."""
    out = [_parents(objects, inp, parent_index)]
    if objects.oversees.shape[1]:
        mine = objects.oversees[np.asarray(inp.objects, dtype=np.int64)]
        out.extend(_up(objects, mine[:, k], parent_index) for k in range(mine.shape[1]))
    return out


def _up(objects: Objects, start: I64, parent_index: int) -> I64:
    """From ``start`` (global indices, -1 none) upwards: the local index of the first object in the
    category, -1 where there is none within MAX_LEVELS."""
    cur = start
    out = np.full(cur.shape[0], -1, dtype=np.int64)
    for _ in range(MAX_LEVELS):  # one step up the whole column at a time
        live = cur >= 0
        if not live.any():
            break
        safe = np.maximum(cur, 0)
        found = live & (out < 0) & (objects.category[safe] == parent_index)
        out = np.where(found, objects.local[safe], out)
        cur = np.where(live & (out < 0), objects.parent[safe], -1)
    return out


def _follow(cs: CScheme, objects: Objects, inp: CategoryInputs, done: dict[str, CategoryScore]) -> None:
    """Each follow leaf's source results, gathered column-wise from the category already scored:
    the parent's, or the mean over the children's; their score of a part, or their grade's share."""
    codes = [c.code for c in cs.categories]
    for cn in inp.cc.leaves():
        rule = cn.node.rule
        if not isinstance(rule, FollowRule):
            continue
        other = done[rule.category]
        n_per = len(cs.periods)
        if rule.grades is not None:
            bands = [b.name for b in other.cc.category.results.grades.bands] if other.cc.category.results.grades \
                else []
            share = np.array([rule.grades.get(b, np.nan) for b in bands] + [np.nan], dtype=np.float64)
            all_src = share[other.results.grade]  # grade -1 (none) reads the trailing NaN
            per_src = np.broadcast_to(all_src, (n_per, all_src.shape[0]))
            points = 1.0
        else:
            node = other.cc.root if rule.indicator is None else next(
                n for n in other.cc.nodes if n.code == rule.indicator)
            per_src, all_src = other.scores.periods[node.index], other.scores.overall[node.index]
            points = node.points or 100.0
        n_own = len(inp.objects)
        if rule.of == "children":
            pg = objects.parent[np.asarray(other.inputs.objects, dtype=np.int64)]
            safe_pg = np.maximum(pg, 0)
            mine = (pg >= 0) & (objects.category[safe_pg] == codes.index(inp.cc.code))
            loc = objects.local[safe_pg[mine]]
            per = np.stack([_mean_by(loc, per_src[p][mine], n_own) for p in range(n_per)]) if n_per \
                else np.zeros((0, n_own))
            count = np.bincount(loc, minlength=n_own).astype(np.int64)
            inp.followed[cn.index] = Followed(per=per, overall=_mean_by(loc, all_src[mine], n_own), points=points,
                                              parent=np.full(n_own, -1, dtype=np.int64), children=count)
            continue
        plocal = _parents(objects, inp, codes.index(rule.category))
        has = plocal >= 0
        safe = np.where(has, plocal, 0)
        if all_src.shape[0] == 0:
            has = np.zeros_like(has)
            per_src, all_src = np.full((n_per, 1), np.nan), np.full(1, np.nan)
        parent = np.asarray(other.inputs.objects, dtype=np.int64)[safe] if len(other.inputs.objects) else safe
        inp.followed[cn.index] = Followed(per=np.where(has, per_src[:, safe], np.nan),
                                          overall=np.where(has, all_src[safe], np.nan),
                                          points=points, parent=np.where(has, parent, -1))


def _mean_by(loc: I64, vals: F64, size: int) -> F64:
    """The mean of ``vals`` per target index ``loc`` (in order), NaN where none has a value."""
    has = ~np.isnan(vals)
    sums = np.zeros(size)
    cnt = np.zeros(size)
    np.add.at(sums, loc[has], vals[has])
    np.add.at(cnt, loc[has], 1.0)
    return np.where(cnt > 0, sums / np.maximum(cnt, 1.0), np.nan)


def _measure(cc: CCategory, inputs: CategoryInputs, overall: list[F64], pv: ParentValue) -> F64:
    """An indicator's measure for an eligibility condition: the mean of the reported values when it
    reads ``value`` (满意率 57.5%), else its score; ``percent``: its score as % of its points."""
    node = next(n for n in cc.nodes if n.code == pv.indicator)
    if pv.measure == "percent":
        return overall[node.index] / (node.points or 100.0) * 100.0
    key = (node.code, "value")
    if key not in cc.slots:
        return overall[node.index]
    block = inputs.dense[cc.slots[key]]
    with np.errstate(invalid="ignore"):
        cnt = (~np.isnan(block)).sum(axis=0)
        return np.asarray(np.where(cnt > 0, np.nansum(block, axis=0) / np.maximum(cnt, 1), np.nan), dtype=np.float64)


def _eligibility(cs: CScheme, cc: CCategory, objects: Objects, inp: CategoryInputs, done: dict[str, CategoryScore],
                 group_labels: list[str], own: NodeScores) -> tuple[dict[str, Bool], dict[str, tuple[str, Bool]]]:
    blocked: dict[str, Bool] = {}
    forced: dict[str, tuple[str, Bool]] = {}
    for k, rule in enumerate(cc.category.results.eligibility):
        when = rule.when
        if when.own_value is not None:  # the object's own indicator (优秀必须由民主测评产生)
            measure = _measure(cc, inp, own.overall, when.own_value)
            cond = np.nan_to_num(measure, nan=np.inf) < when.own_value.below
        elif when.rank_after is not None:  # its place in the ranking (排名后一半)
            ra = when.rank_after
            labels = group_labels if cc.category.results.ranking == "group" else [cc.code] * len(group_labels)
            scope = np.unique(np.array(labels, dtype=object), return_inverse=True)[1].astype(np.int64)
            rank, _ = competition_rank(own.overall[cc.root.index], scope)
            sizes = np.bincount(scope) if len(scope) else np.zeros(0, dtype=np.int64)
            limit = np.array([round_count(ra.share * int(x), ra.rounding) for x in sizes], dtype=np.int64)
            cond = rank > limit[scope] if len(scope) else np.zeros(0, dtype=np.bool_)
        else:
            assert when.parent_category is not None
            parent = done[when.parent_category]
            cond = np.zeros(len(inp.objects), dtype=np.bool_)
            if when.parent_grade_in is not None:
                pcat = parent.cc.category
                names = [b.name for b in pcat.results.grades.bands] if pcat.results.grades else []
                wanted = np.array([i for i, b in enumerate(names) if b in when.parent_grade_in], dtype=np.int64)
                hit_at = np.isin(parent.results.grade, wanted)
            else:
                assert when.parent_value is not None
                measure = _measure(parent.cc, parent.inputs, parent.scores.overall, when.parent_value)
                hit_at = np.nan_to_num(measure, nan=np.inf) < when.parent_value.below
            # Any linked object meeting the condition: the parent (or further up), or an overseen unit.
            for plocal in _linked(objects, inp, [c.code for c in cs.categories].index(when.parent_category)):
                has = plocal >= 0
                if len(plocal) and len(hit_at):
                    cond |= has & hit_at[np.where(has, plocal, 0)]
        if rule.groups is not None:
            cond = cond & np.isin(np.array(group_labels, dtype=object), rule.groups)
        name = rule.name or f"{when.parent_category or cc.code}#{k + 1}"
        if rule.effect == "no_top":
            blocked[name] = cond
        else:
            assert rule.grade is not None
            forced[f"rule:{name}"] = (rule.grade, cond)
    return blocked, forced


def _multi_year(cc: CCategory, objects: Objects, inp: CategoryInputs, data: DataSet, total: F64,
                group_labels: list[str], decimals: int) -> Bool | None:
    """Three years all ≥ min_each, or their sum in the top share of the group (002 Jingzhou)."""
    rule = cc.category.results.multi_year
    if rule is None:
        return None
    n = len(inp.objects)
    need = rule.years - 1
    # The latest ``need`` past totals of each object, scattered into (year, object) in one go.
    local_of = np.full(len(objects.ids), -1, dtype=np.int64)
    local_of[np.asarray(inp.objects, dtype=np.int64)] = np.arange(n)
    hist = (data.history
            .with_columns(pl.col("object").replace_strict(objects.index, default=-1, return_dtype=pl.Int64).alias("_g"))
            .filter(pl.col("_g") >= 0)
            .sort(["_g", "period"], descending=[False, True])
            .with_columns(pl.int_range(pl.len()).over("_g").alias("_k")))
    loc = local_of[hist["_g"].to_numpy()] if hist.height else np.zeros(0, dtype=np.int64)
    k = hist["_k"].to_numpy()
    keep = (loc >= 0) & (k < need)
    past = np.full((need, n), np.nan)
    past[k[keep], loc[keep]] = hist["total"].to_numpy()[keep]
    years = np.vstack([past, total[None, :]])
    complete = ~np.isnan(years).any(axis=0)
    ok = complete & (np.nan_to_num(years, nan=-np.inf) >= rule.min_each).all(axis=0)
    if rule.or_top_share is not None:
        groups = np.unique(np.array(group_labels, dtype=object), return_inverse=True)[1].astype(np.int64)
        # Rounded like every other score, so equal sums on paper tie here too.
        sums = round_half_up(np.where(complete, years.sum(axis=0), np.nan), decimals)
        rank, _ = competition_rank(sums, groups)
        sizes = np.bincount(groups)
        limit = np.array([round_count(rule.or_top_share * s, rule.or_top_rounding) for s in sizes])[groups]
        ok |= complete & (rank <= limit)
    return np.asarray(ok, dtype=np.bool_)
