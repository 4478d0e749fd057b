"""Each data-quality rule against the plain per-value reference on random ledgers (Hypothesis),
and a crafted ledger that trips every rule once."""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.datatrust.flags import (
    INCIDENTS_SCHEMA,
    INDICATORS_SCHEMA,
    RULES,
    VALUES_SCHEMA,
    Thresholds,
    flags_compute,
)
from jixiao.datatrust.tests.reference import reference

DAY = 86_400
# Small thresholds so that random ledgers of a few dozen values trip every rule now and then.
SMALL = Thresholds(min_targets=2, z=1.5, min_history=2, min_same=2, min_digits=2, window_hours=24,
                   silence_hours=48, benford_min=12, benford_mad=0.05)

# Values in millionths of a few chosen magnitudes: ties, zeros, round and precise numbers.
numbers = st.one_of(st.sampled_from([0.0, 1.0, 5.0, 100.0, 12.5, 12345.67]),
                    st.integers(0, 2_000_000_000).map(lambda m: m / 1_000_000),
                    st.integers(-50, 900).map(float))


@st.composite
def ledgers(draw: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    n_obj = draw(st.integers(1, 5))
    n_ind = draw(st.integers(1, 3))
    periods = draw(st.lists(st.tuples(st.integers(2023, 2024), st.integers(1, 4)), min_size=1, max_size=7,
                            unique=True))
    rows = []
    vid = 0
    for o in range(n_obj):
        for i in range(n_ind):
            for (y, s) in periods:
                if not draw(st.booleans()) and len(rows) > 0 and draw(st.integers(0, 4)) == 0:
                    continue
                vid += 1
                value = draw(numbers)
                target = draw(st.one_of(st.none(), st.just(value), numbers))
                deadline = draw(st.one_of(st.none(), st.just(1_000_000 + (y * 12 + s) * 30 * DAY)))
                base = 1_000_000 + (y * 12 + s) * 30 * DAY
                changed = base - draw(st.integers(0, 10 * DAY))
                rows.append({"vid": vid, "object": o, "unit": o // 2, "indicator": i, "year": y, "seq": s,
                             "value": value, "target": target, "changed_at": changed, "deadline": deadline})
    indicators = [{"indicator": i, "lower_better": draw(st.booleans()), "amount": draw(st.booleans())}
                  for i in range(n_ind)]
    incidents = [{"object": draw(st.integers(0, n_obj - 1)), "indicator": draw(st.integers(0, n_ind - 1)),
                  "year": y, "seq": s, "count": float(draw(st.integers(0, 2)))}
                 for (y, s) in draw(st.lists(st.sampled_from(periods), max_size=4))]
    return rows, indicators, incidents


def _frames(rows: list[dict[str, Any]], indicators: list[dict[str, Any]],
            incidents: list[dict[str, Any]]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    return (pl.DataFrame(rows, schema=VALUES_SCHEMA), pl.DataFrame(indicators, schema=INDICATORS_SCHEMA),
            pl.DataFrame(incidents, schema=INCIDENTS_SCHEMA))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.booleans())
def test_every_rule_matches_the_per_value_reference(ledger: Any, shuffled: bool) -> None:
    rows, indicators, incidents = ledger
    if shuffled:
        rows = rows[::-1]  # the sort path as well as the already-ordered one
    got = flags_compute(*_frames(rows, indicators, incidents), thresholds=SMALL)
    flagged = {(r, v) for r, v in got.select("rule", "vid").iter_rows()}
    expected, unsure = reference(rows, indicators, incidents, SMALL)
    assert flagged - unsure == expected - unsure
    assert got.height == len(flagged)  # one row per value and rule


def test_empty_ledger() -> None:
    out = flags_compute(*_frames([], [], []))
    assert out.height == 0 and out.columns == ["rule", "vid", "object", "unit", "indicator", "year", "seq", "value",
                                               "score", "ref"]


def crafted() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """A ledger of ordinary objects and one that trips each rule (object 9 / unit 9)."""
    import random

    rnd = random.Random(5)
    rows: list[dict[str, Any]] = []
    vid = 0

    def add(o: int, i: int, y: int, s: int, v: float, target: float | None = None, changed: int | None = None,
            unit: int | None = None) -> None:
        nonlocal vid
        vid += 1
        deadline = (y * 12 + s) * 30 * DAY
        rows.append({"vid": vid, "object": o, "unit": o if unit is None else unit, "indicator": i, "year": y,
                     "seq": s, "value": v, "target": target, "changed_at": changed or deadline - 5 * DAY,
                     "deadline": deadline})

    for o in range(8):
        for s in range(1, 13):
            add(o, 0, 2024, s, round(100 + rnd.gauss(0, 3), 2), target=100.0)  # completion vs target
            add(o, 1, 2024, s, round(50 + rnd.gauss(0, 2), 2))  # a smooth series
            add(o, 2, 2024, s, float(rnd.randint(1, 9)))  # incidents count, lower is better
            add(o, 3, 2024, s, round(10 ** rnd.uniform(2, 6), 2))  # an amount (万元)
    # object 9: at target everywhere in month 3, a jump in month 8, identical with objects 0 and 1,
    # zero incidents with incidents recorded, and a last-minute burst in month 11.
    for s in range(1, 13):
        late = (2024 * 12 + s) * 30 * DAY - 3600 if s == 11 else None
        add(9, 0, 2024, s, 100.0 if s == 3 else round(100 + rnd.gauss(0, 3), 2), target=100.0, changed=late)
        add(9, 1, 2024, s, round((500 if s >= 8 else 50) + rnd.gauss(0, 2), 2), changed=late)
        add(9, 2, 2024, s, 0.0 if s == 5 else float(rnd.randint(1, 9)), changed=late)
        add(9, 3, 2024, s, 12345.67 if s == 6 else round(10 ** rnd.uniform(2, 6), 2), changed=late)
    for r in rows:
        if r["object"] in (0, 1) and r["indicator"] == 3 and r["seq"] == 6:
            r["value"] = 12345.67
        if r["object"] == 9 and r["indicator"] in (0,) and r["seq"] == 3:
            r["value"] = r["target"]
    for r in rows:  # a fabricated amount series: every value of object 9's unit starts with 9 in month 12
        if r["indicator"] == 3 and r["seq"] == 12:
            r["value"] = 9000 + r["object"] * 37.5
    values = pl.DataFrame(rows, schema=VALUES_SCHEMA)
    indicators = pl.DataFrame([{"indicator": 0, "lower_better": False, "amount": False},
                               {"indicator": 1, "lower_better": False, "amount": False},
                               {"indicator": 2, "lower_better": True, "amount": False},
                               {"indicator": 3, "lower_better": False, "amount": True}], schema=INDICATORS_SCHEMA)
    incidents = pl.DataFrame([{"object": 9, "indicator": 2, "year": 2024, "seq": 5, "count": 2.0}],
                             schema=INCIDENTS_SCHEMA)
    return values, indicators, incidents


def test_crafted_object_trips_each_rule() -> None:
    values, indicators, incidents = crafted()
    t = Thresholds(min_targets=1, benford_min=90, benford_mad=0.02)
    out = flags_compute(values, indicators, incidents, thresholds=t)
    nine = out.filter(pl.col("object") == 9)
    got = set(nine["rule"].to_list())
    assert got >= {"at_target", "jump_pop", "identical", "last_minute", "zero_incidents", "benford"}
    assert nine.filter(pl.col("rule") == "jump_pop")["seq"].to_list() == [8]
    assert set(nine.filter(pl.col("rule") == "zero_incidents")["seq"].to_list()) == {5}
    assert set(nine.filter(pl.col("rule") == "last_minute")["seq"].to_list()) == {11}
    assert set(out.filter(pl.col("rule") == "identical")["object"].to_list()) == {0, 1, 9}
    # at target: only objects whose every targeted value sits on it (min_targets 1: month 3 of object 9)
    assert (9, 3) in set(out.filter(pl.col("rule") == "at_target").select("object", "seq").iter_rows())
    assert set(RULES) >= got
