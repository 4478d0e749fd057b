"""Properties of the stored node scores (engine/stored.py): they read back exactly, and scoring the
changed objects alone, patching them into the stored scores and re-ranking gives exactly the rows
and node scores that scoring the whole category again gives (grades with quotas, ties, vetoes and
missing data included)."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from jixiao.engine.compile import compile_scheme
from jixiao.engine.data import DataSet
from jixiao.engine.score import category_rows, score
from jixiao.engine.stored import CategoryArrays, moved, patchable, patched, ranked
from tests.engine.strategies import build_scheme, datasets, scheme_dicts


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a, b, equal_nan=True))


def _thin(ds: DataSet, changed: set[str], keep: np.random.Generator) -> DataSet:
    """``ds`` with about half the rows of the ``changed`` objects dropped."""

    def drop(df: pl.DataFrame) -> pl.DataFrame:
        mask = keep.random(df.height) < 0.5
        return df.filter(~(pl.col("object").is_in(list(changed)) & pl.Series(mask)))

    return DataSet(values=drop(ds.values), incidents=drop(ds.incidents), ratings=drop(ds.ratings),
                   objects=ds.objects, has_objects=True)


def _only(ds: DataSet, objs: set[str]) -> DataSet:
    def f(df: pl.DataFrame) -> pl.DataFrame:
        return df.filter(pl.col("object").is_in(list(objs)))

    return DataSet(values=f(ds.values), incidents=f(ds.incidents), ratings=f(ds.ratings), objects=f(ds.objects),
                   has_objects=True)


@given(st.data())
def test_stored_scores_read_back_exactly(data: st.DataObject) -> None:
    scheme = build_scheme(data.draw(scheme_dicts()))
    result = score(scheme, data.draw(datasets(scheme)))
    arrays = CategoryArrays.from_score(result, "c")
    size = data.draw(st.integers(min_value=1, max_value=4))  # pages of a few objects: several pages
    back = CategoryArrays.from_parts(result.scheme, arrays.head_bytes(),
                                     [arrays.page_bytes(k, size) for k in range(arrays.page_count(size))])
    assert back.objects == arrays.objects and back.groups == arrays.groups and back.names == arrays.names
    assert _same(back.per_period, arrays.per_period) and _same(back.overall, arrays.overall)
    assert {k: v.tolist() for k, v in back.vetoes.items()} == {k: v.tolist() for k, v in arrays.vetoes.items()}
    assert {k: v.tolist() for k, v in back.missing.items()} == {k: v.tolist() for k, v in arrays.missing.items()}


@given(st.data())
def test_patching_changed_objects_equals_scoring_the_whole_category(data: st.DataObject) -> None:
    scheme = build_scheme(data.draw(scheme_dicts()))
    compiled = compile_scheme(scheme)
    assert patchable(compiled, compiled.categories[0])
    full = data.draw(datasets(scheme))
    objs = full.objects["object"].to_list()
    changed = set(data.draw(st.lists(st.sampled_from(objs), min_size=1, max_size=len(objs), unique=True)))
    thinned = _thin(full, changed, np.random.default_rng(data.draw(st.integers(0, 2**32 - 1))))
    old, new = (full, thinned) if data.draw(st.booleans()) else (thinned, full)

    stored = CategoryArrays.from_score(score(compiled, old), "c")
    truth = score(compiled, new)
    part = CategoryArrays.from_score(score(compiled, _only(new, changed)), "c")
    got = patched(stored, part)
    assert got is not None
    arrays, pos = got
    assert sorted(arrays.objects[p] for p in pos.tolist()) == sorted(changed)

    expected = CategoryArrays.from_score(truth, "c")
    order = [expected.index[c] for c in arrays.objects]
    assert _same(arrays.per_period, expected.per_period[:, :, order])
    assert _same(arrays.overall, expected.overall[:, order])

    res, period_rank = ranked(arrays)
    rows = category_rows(arrays.cc, arrays.periods, overall=arrays.overall,
                         per_root=arrays.per_period[arrays.cc.root.index], period_rank=period_rank, res=res,
                         ids=arrays.objects, names=arrays.names, groups=arrays.groups)
    want = {r.object_id: r for r in truth.rows()}
    assert {r.object_id: r for r in rows} == want

    # The rows a patch rewrites: the changed objects and every object whose result moved.
    write = moved(ranked(stored), (res, period_rank))
    write[pos] = True
    before = {r.object_id: r for r in score(compiled, old).rows()}
    for local, code in enumerate(arrays.objects):
        if before[code] != want[code]:
            assert write[local], code
