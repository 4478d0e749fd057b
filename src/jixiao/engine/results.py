"""Results (考核结果): ranks, grade bands, quotas, vetoes, eligibility and multi-year rules.

Ranks are competition ranks on the rounded total within a ranking group: equal totals
share a rank and the next rank skips (1, 2, 2, 4). Grade bands are assigned from the top
down; a band with a quota takes, in each scope, the best eligible candidates up to the
quota count. Candidates tied across the quota line are flagged ``quota_tie:<band>`` and
all included or all excluded, as the scheme states.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from jixiao.engine.rounding import round_count
from jixiao.engine.scheme.model import Category, Grades

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]


@dataclass
class CategoryResults:
    """Per-object results of one category, as arrays over its objects."""

    total: F64
    rank: I64
    group_size: I64
    grade: I64  # index into the bands, -1 without grade bands
    eligible_top: Bool
    vetoed: Bool
    flags: dict[str, Bool] = field(default_factory=dict)
    multi_year: Bool | None = None
    quota_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # band -> scope -> count


def competition_rank(scores: F64, groups: I64) -> tuple[I64, I64]:
    """Rank (1, 2, 2, 4) within each group, highest first, NaN last; and each tie's size."""
    n = len(scores)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    s = np.where(np.isnan(scores), -np.inf, scores)
    order = np.lexsort((-s, groups))  # stable: equal scores keep object order
    gs, ss = groups[order], s[order]
    idx = np.arange(n)
    new_group = np.r_[True, gs[1:] != gs[:-1]]
    new_score = new_group | np.r_[True, ss[1:] != ss[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, idx, 0))
    tie_start = np.maximum.accumulate(np.where(new_score, idx, 0))
    starts = np.nonzero(new_score)[0]
    sizes = np.diff(np.r_[starts, n])
    rank = np.empty(n, dtype=np.int64)
    tie = np.empty(n, dtype=np.int64)
    rank[order] = tie_start - group_start + 1
    tie[order] = np.repeat(sizes, sizes)
    return rank, tie


def assign(cat: Category, total: F64, group_labels: list[str], *,
           points: float, vetoes: dict[str, Bool], blocked: dict[str, Bool], forced: dict[str, tuple[str, Bool]],
           history_ok: Bool | None = None) -> CategoryResults:
    """Rank and grade one category.

    ``blocked`` maps a reason to objects that lose top eligibility; ``forced`` maps a reason
    to (grade, objects) whose grade is forced (vetoes are given separately).
    """
    n = len(total)
    res = cat.results
    ranking_labels = group_labels if res.ranking == "group" else [cat.code] * n
    groups, names = _codes(ranking_labels)
    rank, _ = competition_rank(total, groups)
    group_size = np.bincount(groups, minlength=len(names))[groups] if n else np.zeros(0, dtype=np.int64)
    flags: dict[str, Bool] = {}
    eligible = np.ones(n, dtype=bool)
    vetoed = np.zeros(n, dtype=bool)
    forced_all = dict(forced)
    for v in res.vetoes:
        hit = vetoes.get(v.code)
        if hit is None or not hit.any():
            continue
        vetoed |= hit
        flags[f"veto:{v.code}"] = hit
        if v.effect == "no_top":
            eligible &= ~hit
        else:
            assert v.grade is not None
            forced_all[f"veto:{v.code}"] = (v.grade, hit)
    for reason, hit in blocked.items():
        if hit.any():
            eligible &= ~hit
            flags[f"no_top:{reason}"] = hit
    grade = np.full(n, -1, dtype=np.int64)
    quota_counts: dict[str, dict[str, int]] = {}
    if res.grades is not None:
        # An object whose grade is forced takes no place in any band, so its quota place passes on.
        forced_mask = np.zeros(n, dtype=bool)
        for _, hit in forced_all.values():
            forced_mask |= hit
        grade = _grade(res.grades, total, points, eligible & ~forced_mask, ~forced_mask, cat.code,
                       group_labels, flags, quota_counts, groups)
        band_index = {b.name: i for i, b in enumerate(res.grades.bands)}
        for reason, (g, hit) in forced_all.items():
            if hit.any():
                grade = np.where(hit, band_index[g], grade)
                flags.setdefault(reason, hit)
    eligible_top = eligible.copy()
    for _, hit in forced_all.values():
        eligible_top &= ~hit
    if res.bottom_report is not None:
        br = res.bottom_report
        from_bottom = _from_bottom(total, groups)
        flags["bottom_report"] = (from_bottom <= br.count) & (np.nan_to_num(total, nan=-np.inf) < br.below)
    return CategoryResults(total=total, rank=rank, group_size=group_size, grade=grade, eligible_top=eligible_top,
                           vetoed=vetoed, flags=flags, multi_year=history_ok, quota_counts=quota_counts)


def _codes(labels: list[str]) -> tuple[I64, list[str]]:
    names = sorted(set(labels))
    index = {g: i for i, g in enumerate(names)}
    return np.array([index[g] for g in labels], dtype=np.int64), names


def _from_bottom(total: F64, groups: I64) -> I64:
    """Position counted from the bottom of the group (1 = last), ties sharing the better place."""
    neg = np.where(np.isnan(total), np.inf, -total)
    rank, _ = competition_rank(neg, groups)
    return rank


def _grade(grades: Grades, total: F64, points: float, eligible: Bool, free: Bool, category: str,
           group_labels: list[str], flags: dict[str, Bool], quota_counts: dict[str, dict[str, int]],
           ranking: I64) -> I64:
    n = len(total)
    bands = grades.bands
    value = total if grades.basis == "points" else total / points * 100.0
    value = np.where(np.isnan(value), -np.inf, np.rint(value * 1e9) / 1e9)
    placed = np.zeros(n, dtype=bool)
    rest = max(i for i, b in enumerate(bands) if b.last is None)
    grade = np.full(n, rest, dtype=np.int64)
    n_scopes = int(ranking.max()) + 1 if n else 0
    # Bands by places from the bottom first, the lowest band first: a tie across the line stays above it.
    taken = np.zeros(n_scopes, dtype=np.int64)
    reach = 0
    for b in range(len(bands) - 1, rest, -1):
        reach += bands[b].last or 0
        cand = free & ~placed
        up, tie = competition_rank(np.where(cand, -value, np.nan), ranking)
        award = cand & (up + tie - 1 <= reach - taken[ranking])
        straddle = cand & ~award & (up <= reach - taken[ranking])
        if straddle.any():
            flags[f"rank_tie:{bands[b].name}"] = straddle
        taken += np.bincount(ranking[award], minlength=n_scopes)
        grade = np.where(award, b, grade)
        placed |= award
    taken = np.zeros(n_scopes, dtype=np.int64)
    reach = 0
    for b, band in enumerate(bands[:rest]):
        # A band without min (by places or quota alone) still needs a total: no score, no award.
        cand = free & ~placed & (value >= band.min if band.min is not None else value > -np.inf)
        if b == 0:
            cand &= eligible
        award = cand
        if band.count is not None:
            # Places from the top: competition ranks among the objects still to be graded, so a
            # tie across the line gets this band and the next band starts after the tie.
            reach += band.count
            down, tie = competition_rank(np.where(cand, value, np.nan), ranking)
            limit = reach - taken[ranking]
            award = cand & (down <= limit)
            straddle = award & (down + tie - 1 > limit)
            if straddle.any():
                flags[f"rank_tie:{band.name}"] = straddle
            taken += np.bincount(ranking[award], minlength=n_scopes)
        elif band.quota is not None:
            q = band.quota
            labels = group_labels if q.per == "group" else [category] * n
            scope, names = _codes(labels)
            sizes = np.bincount(scope, minlength=len(names))
            counts = np.array([_quota_count(q.share, int(s), q.rounding, q.min_count, q.max_count) for s in sizes],
                              dtype=np.int64)
            quota_counts[band.name] = {nm: int(c) for nm, c in zip(names, counts, strict=True)}
            rank, tie = competition_rank(np.where(cand, value, np.nan), scope)
            limit = counts[scope]
            if q.discretion:
                # Only min_count places are decided; the next places up to the quota count are left
                # to the leaders (flagged, graded in the band below until approved).
                upper = limit
                limit = np.minimum(q.min_count, sizes)[scope]
                left = cand & (rank > limit) & (rank <= upper)
                if left.any():
                    flags[f"discretion:{band.name}"] = left
            within = cand & (rank <= limit)
            boundary = within & (rank + tie - 1 > limit)
            if boundary.any():
                flags[f"quota_tie:{band.name}"] = boundary
            if q.ties == "exclude":
                within &= ~boundary
            award = within
        grade = np.where(award, b, grade)
        placed |= award
    return grade


def _quota_count(share: float, size: int, rounding: str, lo: int, hi: int | None) -> int:
    c = max(round_count(share * size, rounding), lo)
    if hi is not None:
        c = min(c, hi)
    return min(c, size)
