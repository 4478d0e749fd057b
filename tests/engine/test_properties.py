"""Properties every scheme must keep: caps hold, ratios are monotone, row order is irrelevant,
ranks and quotas agree."""

from __future__ import annotations

from collections import Counter

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from jixiao.engine.data import DataSet
from jixiao.engine.scheme.loader import parse_scheme_text
from jixiao.engine.score import score
from tests.engine.strategies import build_scheme, datasets, scheme_dicts


def _draw(data: st.DataObject):  # type: ignore[no-untyped-def]
    scheme = build_scheme(data.draw(scheme_dicts()))
    return scheme, data.draw(datasets(scheme))


@given(st.data())
def test_caps_are_never_exceeded(data: st.DataObject) -> None:
    scheme, ds = _draw(data)
    result = score(scheme, ds)
    cs = result.categories[0]
    for cn in cs.cc.nodes:
        rule = cn.node.rule
        overall = cs.scores.overall[cn.index]
        per = cs.scores.periods[cn.index]
        for arr in (overall, per.ravel()):
            vals = arr[~(arr != arr)]
            if rule is not None and rule.method == "bonus":
                cap = rule.cap if rule.cap is not None else cn.points  # type: ignore[union-attr]
                assert (vals >= 0).all() and (cap is None or (vals <= cap).all())
            elif rule is not None and rule.method == "deduction":
                cap = rule.cap if rule.cap is not None else cn.points  # type: ignore[union-attr]
                if rule.base == "zero":  # type: ignore[union-attr]
                    assert (vals <= 0).all() and (cap is None or (vals >= -cap).all())
                else:
                    assert (vals >= 0).all() and (vals <= (cn.points or 0)).all()
                    if cap is not None:
                        assert (vals >= (cn.points or 0) - cap - 1e-9).all()
            elif cn.is_leaf and rule is not None and rule.method != "ratio" and arr is not overall:
                # Per period a leaf stays within its points; a "sum" roll-up may add periods up.
                assert (vals >= 0).all() and (vals <= (cn.points or 0) + 1e-9).all(), cn.code
    root = cs.cc.root
    cat = cs.cc.category
    adjustments = [cs.cc.nodes[i] for i in root.children if cs.cc.nodes[i].is_adjustment]
    regular = [cs.cc.nodes[i] for i in root.children if not cs.cc.nodes[i].is_adjustment]
    for r in result.rows():
        if r.total is None or root.weighted or any(f.startswith("not_applicable:") for f in r.flags):
            continue
        base = sum(r.components[c.code] or 0 for c in regular)
        bonus = sum(r.components[c.code] or 0 for c in adjustments if (r.components[c.code] or 0) > 0)
        ded = -sum(r.components[c.code] or 0 for c in adjustments if (r.components[c.code] or 0) < 0)
        if cat.bonus_cap is not None:
            bonus = min(bonus, cat.bonus_cap)
        if cat.deduction_cap is not None:
            ded = min(ded, cat.deduction_cap)
        # The total is rounded once more than its parts (and a group with its own roll-up may differ by
            # a unit, docs 2.1): within about one unit of the last kept decimal.
            unit = 10.0 ** -result.scheme.decimals
            assert abs(r.total - max(base + bonus - ded, 0)) < 1.1 * unit, (r.total, base, bonus, ded)


RATIO = """
code: mono
name: 单调
periods: {codes: [P1]}
categories:
  - code: c
    indicators:
      - code: R
        points: 100
        rule: {method: ratio, target: %s, lower_is_better: %s, challenge: {value: %s, bonus: 5, mode: %s},
               zero_below: %s}
"""


@given(
    target=st.integers(min_value=1, max_value=200),
    lower=st.booleans(),
    mode=st.sampled_from(["step", "linear"]),
    zero_below=st.sampled_from([0, 0.5, 0.6]),
    values=st.lists(st.integers(min_value=-50, max_value=400).map(lambda x: x / 2), min_size=2, max_size=12),
)
def test_ratio_score_never_falls_when_the_actual_improves(target: int, lower: bool, mode: str, zero_below: float,
                                                           values: list[float]) -> None:
    challenge = target * 0.8 if lower else target * 1.2
    scheme = parse_scheme_text(RATIO % (target, str(lower).lower(), challenge, mode, zero_below))
    objs = [f"o{i}" for i in range(len(values))]
    ds = DataSet(values=pl.DataFrame({"object": objs, "group": ["c"] * len(objs), "indicator": ["R"] * len(objs),
                                      "period": ["P1"] * len(objs), "value": values}))
    totals = {r.object_id: r.total for r in score(scheme, ds).rows()}
    ordered = sorted(zip(values, objs), reverse=lower)  # from worst to best actual value
    got = [totals[o] for _, o in ordered]
    assert got == sorted(got), list(zip(ordered, got))


@given(st.data(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_row_order(data: st.DataObject, rnd) -> None:  # type: ignore[no-untyped-def]
    scheme, ds = _draw(data)

    def shuffled(df: pl.DataFrame) -> pl.DataFrame:
        idx = list(range(df.height))
        rnd.shuffle(idx)
        return df[idx] if df.height else df

    other = DataSet(values=shuffled(ds.values), incidents=shuffled(ds.incidents), ratings=shuffled(ds.ratings),
                    objects=shuffled(ds.objects), has_objects=True)
    assert score(scheme, ds).to_json() == score(scheme, other).to_json()


@given(st.data())
def test_ranks_and_quotas_are_consistent(data: st.DataObject) -> None:
    scheme, ds = _draw(data)
    result = score(scheme, ds)
    rows = result.rows()
    cat = scheme.categories[0]
    by_scope: dict[str, list] = {}  # type: ignore[type-arg]
    for r in rows:
        by_scope.setdefault(r.group if cat.results.ranking == "group" else cat.code, []).append(r)
    for members in by_scope.values():
        for r in members:
            better = sum(1 for x in members if (x.total if x.total is not None else -1e18) >
                         (r.total if r.total is not None else -1e18))
            assert r.rank == better + 1
    grades = cat.results.grades
    assert grades is not None
    top = grades.bands[0]
    for r in rows:
        if r.grade == top.name:
            assert r.eligible_top and r.total is not None
    if top.count is not None:
        placed = Counter(r.group if cat.results.ranking == "group" else cat.code for r in rows if r.grade == top.name)
        for scope, n in placed.items():
            assert n <= top.count or any(f"rank_tie:{top.name}" in r.flags for r in rows), (scope, n)
        return
    assert top.quota is not None
    counts = result.categories[0].results.quota_counts[top.name]
    awarded = Counter((r.group if top.quota.per == "group" else cat.code) for r in rows if r.grade == top.name)
    for scope, n in awarded.items():
        tied = any(f"quota_tie:{top.name}" in r.flags for r in rows if r.grade == top.name and
                   (r.group if top.quota.per == "group" else cat.code) == scope)
        assert n <= counts[scope] or tied, (scope, n, counts[scope])
    for r in rows:
        if r.grade == top.name:
            assert r.eligible_top and r.total is not None
