"""Properties of progress against the schedule (engine/progress.py) over random schemes and data:
the schedule share grows from 0 to 1 as periods pass; the whole period at once equals one object
at a time; the lights follow the documented thresholds; at the end, secured is the final score;
several days worked out at once equal each day alone."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from jixiao.engine.data import DataSet
from jixiao.engine.progress import GREEN, MISSING, NOT_DUE, RED, YELLOW, Schedule, progress
from jixiao.engine.score import score
from tests.engine.strategies import build_scheme, datasets, scheme_dicts


def _draw(data: st.DataObject):  # type: ignore[no-untyped-def]
    scheme = build_scheme(data.draw(scheme_dicts()))
    return scheme, data.draw(datasets(scheme))


def _kinds(n: int) -> list[str]:
    return ["other"] * n


@given(st.data())
def test_expected_rises_from_zero_to_one_as_periods_pass(data: st.DataObject) -> None:
    scheme, ds = _draw(data)
    result = score(scheme, ds)
    n = len(result.scheme.periods)
    previous = None
    for k in range(n + 1):
        elapsed = np.arange(n) < k
        p = progress(result, "c", _kinds(n), elapsed)
        for node in p.nodes:
            if node.cn.is_adjustment or not node.cn.points:
                continue
            assert -1e-9 <= node.expected <= 1 + 1e-9
            if k == 0:
                assert node.expected == 0
            if k == n:
                assert abs(node.expected - 1) < 1e-9
            if previous is not None:
                assert node.expected >= previous.node(node.code).expected - 1e-9
        previous = p


@given(st.data())
def test_all_objects_at_once_equal_one_object_at_a_time(data: st.DataObject) -> None:
    scheme, ds = _draw(data)
    result = score(scheme, ds)
    n = len(result.scheme.periods)
    k = data.draw(st.integers(min_value=0, max_value=n))
    elapsed = np.arange(n) < k
    whole = progress(result, "c", _kinds(n), elapsed)
    cs = result.category("c")
    for obj in ds.objects["object"].to_list():
        def only(df: pl.DataFrame, o: str = obj) -> pl.DataFrame:
            return df.filter(pl.col("object") == o)
        single = score(scheme, DataSet(values=only(ds.values), incidents=only(ds.incidents),
                                       ratings=only(ds.ratings), objects=only(ds.objects), has_objects=True))
        one = progress(single, "c", _kinds(n), elapsed)
        local = cs.local(result.objects, obj)
        for a, b in zip(whole.nodes, one.nodes, strict=True):
            assert a.expected == b.expected
            assert a.secured[local] == b.secured[0] or (np.isnan(a.secured[local]) and np.isnan(b.secured[0]))
            assert a.light[local] == b.light[0]


@given(st.data())
def test_lights_follow_completion_against_the_schedule(data: st.DataObject) -> None:
    scheme, ds = _draw(data)
    result = score(scheme, ds)
    n = len(result.scheme.periods)
    k = data.draw(st.integers(min_value=0, max_value=n))
    warn = data.draw(st.sampled_from([0.8, 0.9, 1.0]))
    p = progress(result, "c", _kinds(n), np.arange(n) < k, warn=warn)
    for node in p.nodes:
        if not node.cn.points:
            continue
        for c, rep, light in zip(node.completion, node.reported, node.light, strict=True):
            if node.expected <= 1e-9:
                assert light == NOT_DUE
            elif not rep:
                assert light == MISSING
            elif c >= node.expected - 1e-9:
                assert light == GREEN
            elif c >= node.expected * warn - 1e-9:
                assert light == YELLOW
            else:
                assert light == RED


@given(st.data())
def test_when_every_period_has_passed_secured_is_the_final_score(data: st.DataObject) -> None:
    scheme, ds = _draw(data)
    result = score(scheme, ds)
    n = len(result.scheme.periods)
    p = progress(result, "c", _kinds(n), np.ones(n, dtype=bool))
    cs = result.category("c")
    for node in p.nodes:
        np.testing.assert_array_equal(node.secured, np.nan_to_num(cs.scores.overall[node.cn.index], nan=0.0))
    total = np.nan_to_num(cs.results.total, nan=0.0)
    # The progress ranking is then the ranking by score (ties and groups as the engine ranks).
    for i in range(len(total)):
        for j in range(len(total)):
            same = result.objects.groups[cs.inputs.objects[i]] == result.objects.groups[cs.inputs.objects[j]] or \
                cs.cc.category.results.ranking == "category"
            if same and total[i] > total[j]:
                assert p.rank[i] < p.rank[j]


@given(st.data())
def test_several_days_at_once_equal_each_day_alone(data: st.DataObject) -> None:
    scheme, ds = _draw(data)
    result = score(scheme, ds)
    n = len(result.scheme.periods)
    # Any days, in any order: also ones whose elapsed periods are not the first ones.
    masks = data.draw(st.lists(st.lists(st.booleans(), min_size=n, max_size=n), min_size=1, max_size=4))
    elapsed = [np.array(m, dtype=bool) for m in masks]
    full = data.draw(st.integers(min_value=0, max_value=len(elapsed) - 1))
    roots, whole = Schedule(result, "c", _kinds(n)).days(elapsed, full=full)
    assert whole is not None
    for k, (m, r) in enumerate(zip(elapsed, roots, strict=True)):
        alone = progress(result, "c", _kinds(n), m)
        if k != full:  # ranked on demand, one object or all
            assert [r.rank_of(j) for j in range(len(r.secured))] == alone.rank.tolist()
        assert r.expected == alone.root.expected
        np.testing.assert_array_equal(r.secured, alone.root.secured)
        np.testing.assert_array_equal(r.completion, alone.root.completion)
        np.testing.assert_array_equal(r.rank, alone.rank)
    alone = progress(result, "c", _kinds(n), elapsed[full])
    np.testing.assert_array_equal(whole.rank, alone.rank)
    for a, b in zip(whole.nodes, alone.nodes, strict=True):
        assert a.expected == b.expected
        np.testing.assert_array_equal(a.secured, b.secured)
        np.testing.assert_array_equal(a.reported, b.reported)
        np.testing.assert_array_equal(a.light, b.light)
