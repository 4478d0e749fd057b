"""The pure rules without a database: the column-wise lights against a plain per-project
computation (Hypothesis), grades, control figures, the seeded sample, and the engine's
evaluation score against the engine's reference scorer and a hand computation."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.budget import evalscore, rules
from jixiao.engine.reference import reference_score

ratio = st.floats(min_value=0, max_value=1.5, allow_nan=False)
project = st.tuples(
    st.floats(min_value=0, max_value=1e7, allow_nan=False),  # budget
    st.one_of(st.none(), st.floats(min_value=0, max_value=1e7, allow_nan=False)),  # paid
    st.one_of(st.none(), st.floats(min_value=0, max_value=1, allow_nan=False)),  # completion
    st.floats(min_value=0, max_value=1, allow_nan=False),  # elapsed
)


@settings(max_examples=200, deadline=None)
@given(st.lists(project, min_size=1, max_size=40), st.floats(0.01, 0.4), st.floats(0.01, 0.5))
def test_lights_equal_plain_computation(rows: list[tuple[float, float | None, float | None, float]], a: float,
                                        b: float) -> None:
    th = rules.Thresholds(warn=min(a, b), red=max(a, b) + 0.01)
    budget = np.array([r[0] for r in rows])
    paid = np.array([np.nan if r[1] is None else r[1] for r in rows])
    comp = np.array([np.nan if r[2] is None else r[2] for r in rows])
    elapsed = np.array([r[3] for r in rows])
    got, _gap = rules.lights(budget=budget, paid=paid, completion=comp, elapsed=elapsed, th=th)
    want = [rules.light_one(budget=r[0], paid=r[1], completion=r[2], elapsed=r[3], th=th) for r in rows]
    assert got.tolist() == want


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.one_of(st.none(), st.floats(0, 1e4)), st.floats(0.1, 1e4),
                          st.booleans()), max_size=60))
def test_completion_means_equal_plain(rows: list[tuple[int, float | None, float, bool]]) -> None:
    owner = np.array([r[0] for r in rows], dtype=np.int64)
    value = np.array([np.nan if r[1] is None else r[1] for r in rows])
    got = rules.completion_means(owner, value, np.array([r[2] for r in rows]), np.array([r[3] for r in rows],
                                                                                          dtype=np.bool_), 10)
    for k in range(10):
        mine = [rules.completion(r[1], r[2], lower_is_better=r[3]) for r in rows if r[0] == k and r[1] is not None]
        if mine:
            assert math.isclose(got[k], sum(mine) / len(mine), rel_tol=1e-9, abs_tol=1e-12)
        else:
            assert math.isnan(got[k])


def test_grades_and_bands() -> None:
    b = rules.Bands()
    assert [rules.grade_of(Decimal(x), b) for x in ("90", "89.99", "80", "79.99", "60", "59.99")] == [
        "优", "良", "良", "中", "中", "差"]


def test_control_figure_rounds_half_up_to_the_fen() -> None:
    assert rules.control_figure(Decimal("1000.05"), "差", cut_share=Decimal("0.1")) == Decimal("900.05")
    assert rules.control_figure(Decimal("0.05"), "差", cut_share=Decimal("0.5")) == Decimal("0.03")
    assert rules.control_figure(Decimal("1000.05"), "中", cut_share=Decimal("0.1")) == Decimal("1000.05")


def test_sample_is_seeded_and_sized() -> None:
    codes = [f"P{i:03d}" for i in range(30)]
    s = rules.sample(codes, Decimal("0.2"), seed=7)
    assert len(s) == 6 and s == sorted(s) and s == rules.sample(list(reversed(codes)), Decimal("0.2"), seed=7)
    assert rules.sample(codes, Decimal(0), seed=7) == []
    assert len(rules.sample(codes[:3], Decimal("0.1"), seed=1)) == 1


def test_weighted_unit_score() -> None:
    assert rules.weighted_score([(Decimal(90), Decimal(300)), (Decimal(60), Decimal(100))]) == Decimal("82.50")
    assert rules.weighted_score([]) is None


FACTS = [evalscore.IndicatorFact("output", Decimal(100), Decimal(90)),
         evalscore.IndicatorFact("output", Decimal(10), Decimal(12), True),
         evalscore.IndicatorFact("effect", Decimal(5), Decimal(5)),
         evalscore.IndicatorFact("satisfaction", Decimal(90), Decimal(85))]


def test_evaluation_score_equals_engine_reference_and_hand() -> None:
    w = evalscore.Weights()
    got = evalscore.evaluate(FACTS, budget=Decimal(1000), paid=Decimal(800), weights=w)
    ref = reference_score(evalscore.scheme_for(FACTS, w), evalscore.dataset_for(FACTS, budget=Decimal(1000),
                                                                                 paid=Decimal(800)))
    assert round(ref[evalscore.OBJECT].total, 2) == float(got.total)
    # The engine rounds each part to two places, then adds them.
    hand = round(10 * 0.8, 2) + round(50 * (0.9 + 10 / 12) / 2, 2) + round(30 * 1.0, 2) + round(10 * 85 / 90, 2)
    assert got.total == Decimal(str(round(hand, 2))) == Decimal("90.77")
    assert got.parts == {"execution": Decimal("8.00"), "output": Decimal("43.33"), "effect": Decimal("30.00"),
                         "satisfaction": Decimal("9.44")}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["output", "effect", "satisfaction"]), st.integers(1, 1000),
                          st.integers(0, 1500), st.booleans()), min_size=1, max_size=8),
       st.integers(1, 10_000), st.integers(0, 10_000))
def test_evaluation_equals_engine_reference(rows: list[tuple[str, int, int, bool]], budget: int, paid: int) -> None:
    facts = [evalscore.IndicatorFact(p, Decimal(t), Decimal(a), lo) for p, t, a, lo in rows]
    w = evalscore.Weights()
    got = evalscore.evaluate(facts, budget=Decimal(budget), paid=Decimal(min(paid, budget)), weights=w)
    ref = reference_score(evalscore.scheme_for(facts, w), evalscore.dataset_for(
        facts, budget=Decimal(budget), paid=Decimal(min(paid, budget))))
    assert abs(float(got.total) - ref[evalscore.OBJECT].total) < 0.006


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.dates(), st.integers(-5, 800), st.integers(-900, 900)), min_size=1, max_size=30))
def test_elapsed_shares_equal_plain(rows: list[tuple[dt.date, int, int]]) -> None:
    at = dt.date(2025, 6, 30)
    starts = [s for s, _l, _o in rows]
    ends = [s + dt.timedelta(days=length) for s, length, _o in rows]
    got = rules.elapsed_shares(np.array([s.toordinal() for s in starts], dtype=np.float64),
                               np.array([e.toordinal() for e in ends], dtype=np.float64), float(at.toordinal()))
    want = [rules.elapsed_share(s, e, at) for s, e in zip(starts, ends, strict=True)]
    assert np.allclose(got, want)
